/**
 * Status intervals (derived from events) and the counts computed from them. Counting on a date is a
 * range count over two indexes; a series over many dates is one pass over per-day deltas.
 */
import { sql } from 'kysely';
import { personTimeline, type CustodyEvent, type StatusKind } from '../domain/custody.js';
import { COUNT_FIELD, emptyCounts, seriesFromDeltas, type Counts, type Delta } from '../domain/counting.js';
import type { EventType } from '../domain/event-types.js';
import type { Executor } from './history.repository.js';

const CHUNK = 500;

/** Recomputes the status intervals of the given people from all their events. */
export async function rebuildStatus(db: Executor, personIds: Iterable<number>): Promise<void> {
  const ids = [...personIds];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const events = await db
      .selectFrom('event')
      .select(['person_id', 'type', 'date', 'id'])
      .where('person_id', 'in', chunk)
      .execute();
    const byPerson = new Map<number, CustodyEvent[]>(chunk.map((id) => [id, []]));
    for (const event of events) {
      byPerson.get(event.person_id)!.push({ type: event.type as EventType, date: event.date, seq: event.id });
    }
    const rows = [...byPerson].flatMap(([personId, personEvents]) =>
      personTimeline(personEvents).intervals.map((interval) => ({
        person_id: personId,
        kind: interval.kind,
        start_day: interval.start,
        end_day: interval.end,
      })),
    );
    await db.deleteFrom('status_interval').where('person_id', 'in', chunk).execute();
    for (let j = 0; j < rows.length; j += CHUNK) {
      await db.insertInto('status_interval').values(rows.slice(j, j + CHUNK)).execute();
    }
  }
}

/** Counts for one day (YYYY-MM-DD). */
export async function countsOn(db: Executor, day: string): Promise<Counts> {
  const rows = await db
    .selectFrom('status_interval')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('start_day', '<=', day)
    .where((eb) => eb.or([eb('end_day', 'is', null), eb('end_day', '>', day)]))
    .groupBy('kind')
    .execute();
  const counts = emptyCounts(day);
  for (const row of rows) counts[COUNT_FIELD[row.kind as StatusKind]] = Number(row.n);
  return counts;
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
