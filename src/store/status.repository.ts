/**
 * Status intervals (derived from events) and the counts computed from them. Counting on a date is a
 * range count over two indexes; a series over many dates is one pass over per-day deltas.
 */
import { sql } from 'kysely';
import { personTimeline, type CustodyEvent, type StatusKind } from '../domain/custody.js';
import { COUNT_FIELD, emptyCounts, seriesFromDeltas, type Counts, type Delta } from '../domain/counting.js';
import type { EventType } from '../domain/event-types.js';
import type { Executor } from './history.repository.js';
import type { Dialect } from './connection.js';

/**
 * After a large write in one transaction, PostgreSQL's planner still believes the table is tiny and
 * scans it whole for every chunk of the status rebuild; ANALYZE (allowed inside a transaction) fixes
 * that. SQLite picks the index without statistics.
 */
export async function refreshEventStatistics(db: Executor, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`ANALYZE event`.execute(db);
}

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

/**
 * Recomputes the status intervals of the given people from all their events. A record merged into
 * another has none of its own: its events count for the record it was merged into.
 */
export async function rebuildStatus(db: Executor, personIds: Iterable<number>): Promise<void> {
  const ids = [...personIds];
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
      await db.deleteFrom('status_interval').where('person_id', 'in', cleared.slice(j, j + CHUNK)).execute();
    }
    for (let j = 0; j < rows.length; j += CHUNK) {
      await db.insertInto('status_interval').values(rows.slice(j, j + CHUNK)).execute();
    }
  }
}

/** The intervals that hold at the end of `day`: started on or before it, not ended by it. */
function holdingOn(db: Executor, day: string) {
  return db
    .selectFrom('status_interval')
    .where('start_day', '<=', day)
    .where((eb) => eb.or([eb('end_day', 'is', null), eb('end_day', '>', day)]));
}

/** Counts for one day (YYYY-MM-DD). */
export async function countsOn(db: Executor, day: string): Promise<Counts> {
  const rows = await holdingOn(db, day)
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
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

/** Counts for many days at once, from per-day deltas (a few thousand rows, whatever the store's size). */
export async function countSeries(db: Executor, days: readonly string[]): Promise<Counts[]> {
  const starts = await db
    .selectFrom('status_interval')
    .select(['kind', 'start_day as day', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['kind', 'start_day'])
    .execute();
  const ends = await db
    .selectFrom('status_interval')
    .select(['kind', sql<string>`end_day`.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('end_day', 'is not', null)
    .groupBy(['kind', 'end_day'])
    .execute();
  const deltas: Delta[] = [
    ...starts.map((row) => ({ kind: row.kind as StatusKind, day: row.day, change: Number(row.n) })),
    ...ends.map((row) => ({ kind: row.kind as StatusKind, day: row.day, change: -Number(row.n) })),
  ];
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
