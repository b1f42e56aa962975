/** The counts of DOMAIN.md, for one date or a series, computed from events (via status intervals). */
import type { Counts } from '../../domain/counting.js';
import { monthEnds, parseDay, today } from '../../domain/partial-date.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { countSeries, countsOn } from '../../store/status.repository.js';

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
