/**
 * The counts of DOMAIN.md for a date, from status intervals. The store runs the same arithmetic in SQL;
 * this module is the reference the store is tested against and the sweep used for long series.
 */
import { STATUS_KINDS, type StatusInterval, type StatusKind } from './custody.js';

export interface Counts {
  date: string;
  in_custody: number;
  political_prisoners: number;
  released_political_prisoners: number;
  died_in_custody: number;
}

export const COUNT_FIELD: Record<StatusKind, Exclude<keyof Counts, 'date'>> = {
  custody: 'in_custody',
  political: 'political_prisoners',
  released_political: 'released_political_prisoners',
  died_in_custody: 'died_in_custody',
};

export function emptyCounts(date: string): Counts {
  return { date, in_custody: 0, political_prisoners: 0, released_political_prisoners: 0, died_in_custody: 0 };
}

export function contains(interval: Pick<StatusInterval, 'start' | 'end'>, day: string): boolean {
  return interval.start <= day && (interval.end === null || interval.end > day);
}

export function countOn(intervals: Iterable<StatusInterval>, day: string): Counts {
  const counts = emptyCounts(day);
  for (const interval of intervals) if (contains(interval, day)) counts[COUNT_FIELD[interval.kind]] += 1;
  return counts;
}

/** A change of +n or -n to one kind's count, effective from `day`. */
export interface Delta {
  kind: StatusKind;
  day: string;
  change: number;
}

/**
 * Counts for many dates from per-day deltas (+1 where an interval starts, -1 where it ends): one pass
 * over the deltas, whatever the number of dates.
 */
export function seriesFromDeltas(deltas: readonly Delta[], days: readonly string[]): Counts[] {
  const sortedDeltas = [...deltas].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const sortedDays = [...days].sort();
  const running = Object.fromEntries(STATUS_KINDS.map((kind) => [kind, 0])) as Record<StatusKind, number>;
  const byDay = new Map<string, Counts>();
  let next = 0;
  for (const day of sortedDays) {
    while (next < sortedDeltas.length && sortedDeltas[next]!.day <= day) {
      const delta = sortedDeltas[next++]!;
      running[delta.kind] += delta.change;
    }
    const counts = emptyCounts(day);
    for (const kind of STATUS_KINDS) counts[COUNT_FIELD[kind]] = running[kind];
    byDay.set(day, counts);
  }
  return days.map((day) => ({ ...byDay.get(day)! }));
}
