/**
 * Status intervals (derived from events) and the counts computed from them. Each kind's count changes
 * on the days intervals start and end; those per-day changes are kept beside the intervals, so a count
 * on any date, or a series of them, sums a few thousand rows however many people the store holds.
 */
import { sql } from 'kysely';
import { personTimeline, type CustodyEvent, type StatusKind } from '../domain/custody.js';
import { COUNT_FIELD, emptyCounts, seriesFromDeltas, type Counts, type Delta } from '../domain/counting.js';
import type { EventType } from '../domain/event-types.js';
import type { Executor } from './history.repository.js';

const CHUNK = 500;

/**
 * Maps people to the record they count as: a record merged into another (a duplicate) counts as that
 * one. Returns the canonical ids and every record whose events belong to each.
 */
async function canonicalGroups(db: Executor, ids: readonly number[]): Promise<{ merged: number[]; members: Map<number, number[]> }> {
  const rows = await db.selectFrom('person').select(['id', 'merged_into']).where('id', 'in', [...ids]).execute();
  const merged = rows.filter((row) => row.merged_into !== null).map((row) => row.id);
  const canonical = [...new Set(rows.map((row) => row.merged_into ?? row.id))];
  const members = new Map<number, number[]>(canonical.map((id) => [id, [id]]));
  const children = await db.selectFrom('person').select(['id', 'merged_into']).where('merged_into', 'in', canonical).execute();
  for (const child of children) members.get(child.merged_into!)!.push(child.id);
  return { merged, members };
}

type Interval = { kind: string; start_day: string; end_day: string | null };

/** Net per-day changes to each kind's count, keyed "kind day". */
class CountChanges {
  private readonly byKey = new Map<string, number>();

  add(intervals: readonly Interval[], sign: 1 | -1): void {
    for (const interval of intervals) {
      this.bump(interval.kind, interval.start_day, sign);
      if (interval.end_day !== null) this.bump(interval.kind, interval.end_day, -sign);
    }
  }

  private bump(kind: string, day: string, change: number): void {
    const key = `${kind} ${day}`;
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + change);
  }

  /**
   * Adds the net changes to status_count_change. Rows go in key order, so two writers on PostgreSQL
   * lock them in the same order (they also take turns: rebuildStatus runs after the data write turn).
   */
  async apply(db: Executor): Promise<void> {
    const rows = [...this.byKey]
      .filter(([, change]) => change !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, change]) => {
        const [kind, day] = key.split(' ') as [string, string];
        return { kind, day, change };
      });
    for (let i = 0; i < rows.length; i += CHUNK) {
      await db
        .insertInto('status_count_change')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((conflict) =>
          conflict.columns(['kind', 'day']).doUpdateSet((eb) => ({ change: eb('status_count_change.change', '+', eb.ref('excluded.change')) })),
        )
        .execute();
    }
  }
}

/**
 * Recomputes the status intervals of the given people from all their events, and the per-day count
 * changes with them. A record merged into another has none of its own: its events count for the record
 * it was merged into.
 */
export async function rebuildStatus(db: Executor, personIds: Iterable<number>): Promise<void> {
  const ids = [...personIds];
  const changes = new CountChanges();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const { merged, members } = await canonicalGroups(db, ids.slice(i, i + CHUNK));
    const owner = new Map<number, number>();
    for (const [canonical, group] of members) for (const member of group) owner.set(member, canonical);
    const events = owner.size
      ? await db.selectFrom('event').select(['person_id', 'type', 'date', 'id']).where('person_id', 'in', [...owner.keys()]).execute()
      : [];
    const byPerson = new Map<number, CustodyEvent[]>([...members.keys()].map((id) => [id, []]));
    for (const event of events) {
      byPerson.get(owner.get(event.person_id)!)!.push({ type: event.type as EventType, date: event.date, seq: event.id });
    }
    const rows = [...byPerson].flatMap(([personId, personEvents]) =>
      personTimeline(personEvents).intervals.map((interval) => ({
        person_id: personId,
        kind: interval.kind,
        start_day: interval.start,
        end_day: interval.end,
      })),
    );
    const cleared = [...members.keys(), ...merged];
    for (let j = 0; j < cleared.length; j += CHUNK) {
      const people = cleared.slice(j, j + CHUNK);
      changes.add(await db.selectFrom('status_interval').select(['kind', 'start_day', 'end_day']).where('person_id', 'in', people).execute(), -1);
      await db.deleteFrom('status_interval').where('person_id', 'in', people).execute();
    }
    for (let j = 0; j < rows.length; j += CHUNK) {
      await db.insertInto('status_interval').values(rows.slice(j, j + CHUNK)).execute();
    }
    changes.add(rows, 1);
  }
  await changes.apply(db);
}

/**
 * Fills status_count_change afresh from the stored intervals (after a restore, which copies the
 * intervals but not what is derived from them).
 */
export async function recountStatusChanges(db: Executor): Promise<void> {
  await db.deleteFrom('status_count_change').execute();
  await sql`
    INSERT INTO status_count_change (kind, day, change)
    SELECT kind, day, sum(change) FROM (
      SELECT kind, start_day AS day, 1 AS change FROM status_interval
      UNION ALL
      SELECT kind, end_day AS day, -1 AS change FROM status_interval WHERE end_day IS NOT NULL
    ) AS changes
    GROUP BY kind, day`.execute(db);
}

/** The intervals that hold at the end of `day`: started on or before it, not ended by it. */
function holdingOn(db: Executor, day: string) {
  return db
    .selectFrom('status_interval')
    .where('start_day', '<=', day)
    .where((eb) => eb.or([eb('end_day', 'is', null), eb('end_day', '>', day)]));
}

/** Counts for one day (YYYY-MM-DD): the per-day changes up to it, summed (a few thousand rows at most). */
export async function countsOn(db: Executor, day: string): Promise<Counts> {
  const rows = await db
    .selectFrom('status_count_change')
    .select(['kind', (eb) => eb.fn.sum<number>('change').as('n')])
    .where('day', '<=', day)
    .groupBy('kind')
    .execute();
  const counts = emptyCounts(day);
  for (const row of rows) counts[COUNT_FIELD[row.kind as StatusKind]] = Number(row.n);
  return counts;
}

/** The people with a status (e.g. in custody) at the end of `day`. */
export async function peopleWithStatusOn(db: Executor, kind: StatusKind, day: string): Promise<Set<number>> {
  const rows = await holdingOn(db, day).select('person_id').where('kind', '=', kind).execute();
  return new Set(rows.map((row) => row.person_id));
}

/** Counts for many days at once, from the per-day changes (a few thousand rows, whatever the store's size). */
export async function countSeries(db: Executor, days: readonly string[]): Promise<Counts[]> {
  const rows = await db.selectFrom('status_count_change').select(['kind', 'day', 'change']).where('change', '!=', 0).execute();
  const deltas: Delta[] = rows.map((row) => ({ kind: row.kind as StatusKind, day: row.day, change: Number(row.change) }));
  return seriesFromDeltas(deltas, days);
}

/** How many times a status began between two days (inclusive): e.g. releases of political prisoners in a month. */
export async function statusStartsBetween(db: Executor, kind: StatusKind, from: string, to: string): Promise<number> {
  const row = await db
    .selectFrom('status_interval')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', kind)
    .where('start_day', '>=', from)
    .where('start_day', '<=', to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
