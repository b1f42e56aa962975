/**
 * Partial dates: documenters often know only the year ("2021") or the month ("2021-05") of a fact.
 *
 * One type for all three precisions. The canonical text form is ISO 8601 truncated to the known part,
 * which has a useful property: comparing canonical strings compares dates, and among dates that share a
 * prefix the less precise one sorts first ("2021" < "2021-05" < "2021-05-10"). For counting, a partial
 * date takes effect on the first day it can denote (see `firstDay`), a rule documented in README.
 */

export type Precision = 'year' | 'month' | 'day';

export interface PartialDate {
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
}

const PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export class PartialDateError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`"${input}" is not a valid date: ${reason} (use YYYY, YYYY-MM or YYYY-MM-DD)`);
    this.name = 'PartialDateError';
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Dates repeat a great deal (a million events fall on a few thousand days), and counting, sorting and
 * the public registry parse them over and over: parsed values are remembered (bounded, frozen).
 */
const parsedDates = new Map<string, PartialDate>();
const firstDays = new Map<string, string>();
const MEMO_LIMIT = 100_000;

function remember<T>(memo: Map<string, T>, key: string, value: T): T {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** Parses YYYY, YYYY-MM or YYYY-MM-DD; throws PartialDateError naming what is wrong. */
export function parsePartialDate(input: string): PartialDate {
  return parsedDates.get(input) ?? remember(parsedDates, input, Object.freeze(parseUncached(input)));
}

function parseUncached(input: string): PartialDate {
  const text = input.trim();
  const match = PATTERN.exec(text);
  if (!match) throw new PartialDateError(input, 'wrong format');
  const year = Number(match[1]);
  if (year < 1850 || year > 2200) throw new PartialDateError(input, `year ${year} is out of range`);
  if (match[2] === undefined) return { year };
  const month = Number(match[2]);
  if (month < 1 || month > 12) throw new PartialDateError(input, `month ${match[2]} does not exist`);
  if (match[3] === undefined) return { year, month };
  const day = Number(match[3]);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new PartialDateError(input, `day ${match[3]} does not exist in ${match[1]}-${match[2]}`);
  }
  return { year, month, day };
}

export function isValidPartialDate(input: string): boolean {
  try {
    parsePartialDate(input);
    return true;
  } catch {
    return false;
  }
}

/** Parses a full calendar date (YYYY-MM-DD only). */
export function parseDay(input: string): PartialDate {
  const date = parsePartialDate(input);
  if (date.day === undefined) throw new PartialDateError(input, 'a full date is needed here');
  return date;
}

export function precisionOf(date: PartialDate): Precision {
  if (date.day !== undefined) return 'day';
  return date.month !== undefined ? 'month' : 'year';
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

export function formatPartialDate(date: PartialDate): string {
  let text = pad(date.year, 4);
  if (date.month !== undefined) text += `-${pad(date.month, 2)}`;
  if (date.month !== undefined && date.day !== undefined) text += `-${pad(date.day, 2)}`;
  return text;
}

/** Canonical form of a date string ("2021-5" is rejected; " 2021-05 " becomes "2021-05"). */
export function normalizePartialDate(input: string): string {
  return formatPartialDate(parsePartialDate(input));
}

/** The first calendar day the date can denote, as YYYY-MM-DD. */
export function firstDay(date: PartialDate | string): string {
  if (typeof date === 'string') return firstDays.get(date) ?? remember(firstDays, date, firstDayOf(parsePartialDate(date)));
  return firstDayOf(date);
}

function firstDayOf(value: PartialDate): string {
  return `${pad(value.year, 4)}-${pad(value.month ?? 1, 2)}-${pad(value.day ?? 1, 2)}`;
}

/** The last calendar day the date can denote, as YYYY-MM-DD. */
export function lastDay(date: PartialDate | string): string {
  const value = typeof date === 'string' ? parsePartialDate(date) : date;
  const month = value.month ?? 12;
  return `${pad(value.year, 4)}-${pad(month, 2)}-${pad(value.day ?? daysInMonth(value.year, month), 2)}`;
}

const precisionRank: Record<Precision, number> = { year: 0, month: 1, day: 2 };

/**
 * Total order: by first possible day, then the less precise first. Equivalent to comparing canonical
 * strings, but works on parsed values too.
 */
export function comparePartialDates(a: PartialDate | string, b: PartialDate | string): number {
  const left = typeof a === 'string' ? parsePartialDate(a) : a;
  const right = typeof b === 'string' ? parsePartialDate(b) : b;
  const [dayLeft, dayRight] = [typeof a === 'string' ? firstDay(a) : firstDay(left), typeof b === 'string' ? firstDay(b) : firstDay(right)];
  if (dayLeft !== dayRight) return dayLeft < dayRight ? -1 : 1;
  return precisionRank[precisionOf(left)] - precisionRank[precisionOf(right)];
}

/** Today's date in the machine's local time zone, as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1, 2)}-${pad(now.getDate(), 2)}`;
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The last day of every month from `from` to `to` (inclusive, both YYYY-MM-DD), plus `to` itself. */
export function monthEnds(from: string, to: string): string[] {
  const result: string[] = [];
  let { year, month } = parseDay(from) as { year: number; month: number };
  for (;;) {
    const end = lastDay({ year, month });
    if (end >= to) break;
    result.push(end);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  result.push(to);
  return result;
}
