/**
 * Row schemas for the CSV import contract (DOMAIN.md), in zod like every other input. Values arrive as
 * strings; an empty cell means "no value". Each schema turns a row into clean, canonical values or
 * issues that name the column.
 */
import { z } from 'zod';
import {
  ARTICLE_PATTERN,
  EVENT_TYPES,
  FACILITY_TYPES,
  FIELDS_BY_TYPE,
  GENDERS,
  REGIMES,
  RELEASE_REASONS,
  isCountryCode,
} from '../../domain/event-types.js';
import { normalizePartialDate, today } from '../../domain/partial-date.js';
import { EVENT_COLUMNS, FACILITY_COLUMNS, PERSON_COLUMNS } from '../../domain/csv-contract.js';

export { EVENT_COLUMNS, FACILITY_COLUMNS, PERSON_COLUMNS };

/** Trims; an empty cell becomes undefined so `.optional()` means "may be empty". */
const cell = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }, schema);

const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: `must be one of ${values.join(', ')} (${what})` });

const partialDate = z.string().transform((value, ctx) => {
  try {
    return normalizePartialDate(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const notInFuture = (value: string) => value.slice(0, 10) <= today();

const list = (itemPattern: RegExp, what: string) =>
  z.string().transform((value, ctx) => {
    const items = value.split(';').map((item) => item.trim()).filter((item) => item !== '');
    const bad = items.find((item) => !itemPattern.test(item));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not ${what}` });
      return z.NEVER;
    }
    return items;
  });


const nameText = z.string().max(200, 'is longer than 200 characters');

export const personRowSchema = z
  .object({
    external_id: cell(z.string({ error: 'is required' }).max(100, 'is longer than 100 characters')),
    family_name_be: cell(nameText.optional()),
    given_name_be: cell(nameText.optional()),
    patronymic_be: cell(nameText.optional()),
    family_name_ru: cell(nameText.optional()),
    given_name_ru: cell(nameText.optional()),
    patronymic_ru: cell(nameText.optional()),
    name_latin: cell(nameText.optional()),
    birth_date: cell(partialDate.optional()),
    gender: cell(oneOf(GENDERS, 'gender').optional()),
    region: cell(z.string().max(200).optional()),
    occupation: cell(z.string().max(500).optional()),
    tags: cell(list(/^[^;]{1,100}$/, 'a tag').optional()),
    publish: cell(
      z
        .string()
        .transform((value) => value.toLowerCase())
        .pipe(oneOf(['yes', 'no'], 'publication consent'))
        .optional(),
    ),
  })
  .superRefine((row, ctx) => {
    if (!row.family_name_be && !row.family_name_ru && !row.name_latin) {
      ctx.addIssue({
        code: 'custom',
        path: ['family_name_be'],
        message: 'a person needs a name: fill at least one of family_name_be, family_name_ru, name_latin',
      });
    }
    if (row.birth_date && !notInFuture(row.birth_date)) {
      ctx.addIssue({ code: 'custom', path: ['birth_date'], message: `${row.birth_date} is in the future` });
    }
  });
export type PersonRowValues = z.output<typeof personRowSchema>;


const OPTIONAL_EVENT_FIELDS = ['facility', 'articles', 'term_months', 'regime', 'reason', 'country', 'organization'] as const;

export const eventRowSchema = z
  .object({
    person_external_id: cell(z.string({ error: 'is required' })),
    type: cell(z.string({ error: 'is required' }).pipe(oneOf(EVENT_TYPES, 'event type'))),
    date: cell(z.string({ error: 'is required' }).pipe(partialDate)),
    facility: cell(z.string().max(200).optional()),
    articles: cell(list(ARTICLE_PATTERN, 'an article number like 342 or 361-1').optional()),
    term_months: cell(
      z
        .string()
        .regex(/^\d{1,4}$/, 'must be a whole number of months')
        .transform(Number)
        .optional(),
    ),
    regime: cell(oneOf(REGIMES, 'regime').optional()),
    reason: cell(oneOf(RELEASE_REASONS, 'release reason').optional()),
    country: cell(
      z
        .string()
        .refine(isCountryCode, { message: 'must be an ISO 3166 two-letter country code in capitals, such as LT or UA' })
        .optional(),
    ),
    organization: cell(z.string().max(200).optional()),
    note: cell(z.string().max(5000).optional()),
    source_url: cell(
      z
        .string()
        .max(2000)
        .refine((value) => /^https?:\/\/\S+$/i.test(value) && URL.canParse(value), {
          message: 'must be a web address starting with http:// or https://',
        })
        .optional(),
    ),
  })
  .superRefine((row, ctx) => {
    const allowed = FIELDS_BY_TYPE[row.type as keyof typeof FIELDS_BY_TYPE] ?? [];
    for (const field of OPTIONAL_EVENT_FIELDS) {
      const value = row[field];
      const present = Array.isArray(value) ? value.length > 0 : value !== undefined;
      if (present && !allowed.includes(field)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `does not apply to a ${row.type} event (leave it empty)` });
      }
    }
    if (row.type === 'expelled' && !row.country) {
      ctx.addIssue({ code: 'custom', path: ['country'], message: 'is required for an expelled event (the country the person was expelled to)' });
    }
    if (row.date && !notInFuture(row.date)) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: `${row.date} is in the future; events record what has happened` });
    }
  });
export type EventRowValues = z.output<typeof eventRowSchema>;


const coordinate = (limit: number, what: string) =>
  z
    .string()
    .regex(/^-?\d{1,3}(\.\d+)?$/, `must be a decimal number (${what})`)
    .transform(Number)
    .refine((value) => Math.abs(value) <= limit, { message: `must be between -${limit} and ${limit} (${what})` });

export const facilityRowSchema = z
  .object({
    name: cell(z.string({ error: 'is required' }).max(200)),
    type: cell(oneOf(FACILITY_TYPES, 'facility type').optional()),
    address: cell(z.string().max(1000).optional()),
    region: cell(z.string().max(200).optional()),
    lat: cell(coordinate(90, 'latitude').optional()),
    lon: cell(coordinate(180, 'longitude').optional()),
  })
  .superRefine((row, ctx) => {
    // A point on the map needs both; one alone is a shifted or forgotten column.
    if (row.lat !== undefined && row.lon === undefined) ctx.addIssue({ code: 'custom', path: ['lon'], message: 'is empty while lat is given: give both coordinates or neither' });
    if (row.lon !== undefined && row.lat === undefined) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'is empty while lon is given: give both coordinates or neither' });
  });
export type FacilityRowValues = z.output<typeof facilityRowSchema>;

export interface RowIssue {
  column: string | null;
  message: string;
}

/** Validates one row; returns values or the issues, each naming its column. */
export function validateRow<T extends z.ZodType>(
  schema: T,
  values: Record<string, string>,
): { ok: true; value: z.output<T> } | { ok: false; issues: RowIssue[] } {
  // PostgreSQL cannot store U+0000 in text (SQLite would): refuse it here, the same on both, naming the cell.
  const nul = Object.keys(values).filter((column) => values[column]!.includes('\u0000'));
  if (nul.length > 0) return { ok: false, issues: nul.map((column) => ({ column, message: 'contains the character U+0000 (NUL), which text cannot hold; remove it' })) };
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      column: typeof issue.path[0] === 'string' ? issue.path[0] : null,
      message: issue.message,
    })),
  };
}
