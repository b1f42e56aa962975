/** Parsing command-line values: a clear one-line error naming the option, as the API names the field. */
import { errors } from '../errors.js';
import { normalizePartialDate } from '../domain/partial-date.js';

/** A value from a fixed list, or a usage error naming the option and the values allowed. */
export function oneOf<const T extends readonly string[]>(option: string, value: string, allowed: T): T[number] {
  if (!(allowed as readonly string[]).includes(value)) throw errors.validation(`${option}: "${value}" is not one of ${allowed.join(', ')}`);
  return value as T[number];
}

/** A record id given on the command line. */
export function idOf(option: string, value: string): number {
  if (!/^\d{1,12}$/.test(value) || Number(value) < 1) throw errors.validation(`${option}: "${value}" is not an id (a whole number of at least 1)`);
  return Number(value);
}

/** A comma-separated list of values from a fixed list. */
export function listOf<const T extends readonly string[]>(option: string, value: string | undefined, allowed: T): T[number][] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((item) => oneOf(option, item.trim(), allowed));
}

/** A whole day (YYYY-MM-DD). */
export function dayOf(option: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw errors.validation(`${option}: "${value}" is not a day (YYYY-MM-DD)`);
  try {
    return normalizePartialDate(value);
  } catch (error) {
    throw errors.validation(`${option}: ${(error as Error).message}`);
  }
}

/** Repeated options collect into a list (commander calls this for each occurrence). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
