// Calendar arithmetic on whole UTC days. The generator works in day numbers (days since 1970-01-01) because
// they compare and add cheaply; they become ISO strings only when a row is written.

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDay(text: string): number {
  const match = ISO_DATE.exec(text);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got "${text}"`);
  const [, year, month, day] = match;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const result = ms / MS_PER_DAY;
  if (isoDay(result) !== text) throw new RangeError(`not a calendar date: "${text}"`);
  return result;
}

export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Same day of month `months` later, clamped by Date.UTC's overflow (31 Jan + 1 month = 3 Mar is fine here). */
export function addMonths(day: number, months: number): number {
  const date = new Date(day * MS_PER_DAY);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate()) / MS_PER_DAY;
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Formatting ten million event dates through Date objects is a measurable share of the benchmark, so day
 * numbers in a fixed window are formatted once and looked up after that.
 */
export class DayFormatter {
  private readonly cache = new Map<number, string>();

  format(day: number): string {
    let text = this.cache.get(day);
    if (text === undefined) {
      text = isoDay(day);
      this.cache.set(day, text);
    }
    return text;
  }
}
