/** The counts of DOMAIN.md, for one date or a series, computed from events (via status intervals). */
import type { Counts } from '../../domain/counting.js';
import { monthEnds, parseDay, today } from '../../domain/partial-date.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { countSeries, countsOn, statusStartsBetween } from '../../store/status.repository.js';
import { peopleWithEventBetween } from '../../store/event.repository.js';

export function checkDay(day: string, what = 'date'): string {
  try {
    parseDay(day);
    return day;
  } catch (error) {
    throw errors.validation(`${what}: ${(error as Error).message}`);
  }
}

export async function statsOn(store: Store, day: string = today()): Promise<Counts> {
  return countsOn(store.db, checkDay(day));
}

/** Counts at the end of every month from `from` to `to`, and on `to` itself. */
export async function monthlySeries(store: Store, from: string, to: string = today()): Promise<Counts[]> {
  checkDay(from, 'from');
  checkDay(to, 'to');
  if (from > to) throw errors.validation(`from (${from}) is after to (${to})`);
  return countSeries(store.db, monthEnds(from, to));
}

export interface MonthChanges {
  /** The first day of the month. */
  from: string;
  to: string;
  /** Political prisoners who left custody (released, expelled) this month. */
  released: number;
  /** People recognised as political prisoners this month (a recognition dated within it). */
  recognized: number;
}

/** What changed from the first of `day`'s month to `day`: aggregates over everyone. */
export async function monthChanges(store: Store, day: string = today()): Promise<MonthChanges> {
  const to = checkDay(day);
  const from = `${to.slice(0, 7)}-01`;
  const [released, recognized] = await Promise.all([
    statusStartsBetween(store.db, 'released_political', from, to),
    peopleWithEventBetween(store.db, 'recognized', to.slice(0, 7), to),
  ]);
  return { from, to, released, recognized };
}
