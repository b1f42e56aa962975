/** Zod schemas of the JSON API: they validate requests and generate the OpenAPI document. */
import { z } from 'zod';
import { LEVELS } from '../../domain/confidentiality.js';
import { EVENT_TYPES, GENDERS, REGIMES, RELEASE_REASONS } from '../../domain/event-types.js';
import { ROLES } from '../../domain/policy.js';

export const Level = z.enum(LEVELS);

export const ErrorBody = z
  .object({ error: z.object({ id: z.string().describe('stable machine-readable id'), message: z.string().describe('what was wrong and how to fix it') }) })
  .describe('An error');

export const NameVariant = z.object({
  family: z.string().max(200).nullable(),
  given: z.string().max(200).nullable(),
  patronymic: z.string().max(200).nullable(),
  full_name: z.string().max(300).nullable(),
  lang: z.string().max(10).nullable(),
  script: z.string().nullable().describe('Cyrl or Latn'),
  romanization: z.string().max(50).nullable(),
  confidentiality: Level,
});

export const NameVariantInput = NameVariant.partial().extend({
  script: z.enum(['Cyrl', 'Latn']).nullable().optional().describe('detected from the letters when left out'),
  confidentiality: Level.default('internal'),
});

const partialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date as YYYY, YYYY-MM or YYYY-MM-DD');

export const PersonView = z.object({
  id: z.number().int(),
  external_id: z.string(),
  version: z.number().int(),
  names: z.array(NameVariant),
  birth_date: z.string().nullable().optional(),
  gender: z.string().optional(),
  region: z.string().nullable().optional(),
  occupation: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  biography: z.record(z.string(), z.string()).optional(),
  publish: z.boolean().describe('publication consent'),
  confidentiality: Level,
  field_levels: z.record(z.string(), Level).optional(),
  merged_into: z.number().int().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const personFields = {
  birth_date: partialDate.nullable(),
  gender: z.enum(GENDERS),
  region: z.string().max(200).nullable(),
  occupation: z.string().max(500).nullable(),
  tags: z.array(z.string().min(1).max(100)).max(50),
  biography: z.record(z.enum(['be', 'ru', 'en']), z.string().max(20000)),
  publish: z.boolean(),
  confidentiality: Level,
  field_levels: z.record(z.string(), Level),
};

export const PersonCreate = z
  .object(personFields)
  .partial()
  .extend({
    external_id: z.string().min(1).max(100),
    names: z.array(NameVariantInput).min(1).max(20),
    change_reason: z.string().max(2000).default('').describe('where the record comes from or why it is added'),
  });

export const PersonUpdate = z
  .object(personFields)
  .partial()
  .extend({
    version: z.number().int().min(1).describe('the version you edited; a newer one means someone else saved first (409)'),
    change_reason: z.string().min(1).max(2000).describe('why the record changes: a source or an explanation'),
    names: z.array(NameVariantInput).min(1).max(20).optional(),
  });

export const PersonListQuery = z.object({
  q: z.string().max(300).optional().describe('a name in any script or spelling'),
  region: z.string().max(200).optional(),
  gender: z.enum(GENDERS).optional(),
  published: z.enum(['yes', 'no']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.coerce.number().int().min(0).default(0).describe('cursor: the last id of the previous page'),
});

export const EventView = z.object({
  id: z.number().int(),
  person_id: z.number().int(),
  type: z.string(),
  date: z.string(),
  facility_id: z.number().int().nullable(),
  facility: z.string().nullable(),
  case_id: z.number().int().nullable(),
  deal_id: z.number().int().nullable(),
  articles: z.array(z.string()),
  term_months: z.number().int().nullable(),
  regime: z.string().nullable(),
  reason: z.string().nullable(),
  country: z.string().nullable(),
  organization: z.string().nullable(),
  note: z.string().nullable().optional(),
  confidentiality: Level,
  sources: z.array(z.object({ id: z.number().int(), url: z.string().nullable(), title: z.string().nullable() })),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

const eventFields = {
  type: z.enum(EVENT_TYPES),
  date: partialDate,
  facility: z.string().max(200).nullable(),
  articles: z.array(z.string().regex(/^\d{1,3}(-\d{1,2})?(\.\d{1,2})?$/, 'an article number like 342 or 361-1')).max(30),
  term_months: z.number().int().min(0).max(1200).nullable(),
  regime: z.enum(REGIMES).nullable(),
  reason: z.enum(RELEASE_REASONS).nullable(),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 two-letter code such as LT').nullable(),
  organization: z.string().max(200).nullable(),
  note: z.string().max(5000).nullable(),
  confidentiality: Level,
};

export const EventCreate = z.object({
  person: z.string().min(1).max(100).describe('external id of the person'),
  change_reason: z.string().max(2000).default('').describe('where the event is known from'),
  source_urls: z.array(z.url({ protocol: /^https?$/ })).max(20).default([]),
  ...eventFields,
  facility: eventFields.facility.optional(),
  articles: eventFields.articles.optional(),
  term_months: eventFields.term_months.optional(),
  regime: eventFields.regime.optional(),
  reason: eventFields.reason.optional(),
  country: eventFields.country.optional(),
  organization: eventFields.organization.optional(),
  note: eventFields.note.optional(),
  confidentiality: eventFields.confidentiality.default('internal'),
});

export const EventUpdate = z.object({
  version: z.number().int().min(1),
  change_reason: z.string().min(1).max(2000).describe('why the event changes'),
  changes: z.object(eventFields).partial().describe('the fields to change'),
});

export const EventListQuery = z.object({
  person: z.string().max(100).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  from: partialDate.optional(),
  to: partialDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.coerce.number().int().min(0).default(0),
});

export const HistoryEntry = z.object({
  version: z.number().int(),
  action: z.string(),
  actor: z.string(),
  at: z.string(),
  reason: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

export const IdParam = z.object({ id: z.string().min(1).max(100).describe('external id or numeric id') });
export const NumericIdParam = z.object({ id: z.coerce.number().int().min(1) });
export const Role = z.enum(ROLES);
