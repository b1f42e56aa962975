/** Zod schemas of the JSON API: they validate requests and generate the OpenAPI document. */
import { z } from 'zod';
import { LEVELS } from '../../domain/confidentiality.js';
import { EVENT_TYPES, FACILITY_TYPES, GENDERS, REGIMES, RELEASE_REASONS } from '../../domain/event-types.js';
import { ROLES } from '../../domain/policy.js';
import { CONCESSION_ACTIONS, DEAL_CONDITIONS, DEAL_OUTCOMES } from '../../domain/release-deal.js';
import { SOURCE_KINDS } from '../../features/sources/source.service.js';

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

export const partialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date as YYYY, YYYY-MM or YYYY-MM-DD');

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

// Facilities, cases, sources, release deals and sanction measures: versioned records with the same
// shape of API. A create body leaves nullable fields out to mean null; an update body leaves fields out
// to mean "as it is", and says which version it edited and why.

type NullByDefault<S extends z.ZodRawShape> = { [K in keyof S]: S[K] extends z.ZodNullable<z.ZodType> ? z.ZodDefault<S[K]> : S[K] };

export function nullByDefault<S extends z.ZodRawShape>(fields: S): NullByDefault<S> {
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, field instanceof z.ZodNullable ? field.default(null) : field])) as NullByDefault<S>;
}

export const createReason = z.string().max(2000).default('').describe('where the record comes from or why it is added');

export function recordUpdate<S extends z.ZodRawShape>(fields: S) {
  return z.object(fields).partial().extend({
    version: z.number().int().min(1).describe('the version you edited; a newer one means someone else saved first (409)'),
    change_reason: z.string().min(1).max(2000).describe('why the record changes: a source or an explanation'),
  });
}

export function recordView<S extends z.ZodRawShape>(fields: S) {
  return z.object({ id: z.number().int(), ...fields, version: z.number().int(), created_at: z.string(), updated_at: z.string() });
}

export const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.coerce.number().int().min(0).default(0).describe('cursor: next_after of the previous page'),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_after: z.number().int().nullable().describe('the cursor for the next page; null on the last page') });
}

export const text = (max: number) => z.string().max(max).nullable();

const facilityFields = {
  name: z.string().min(1).max(200),
  type: z.enum(FACILITY_TYPES),
  address: text(1000).describe('postal address, for letters'),
  region: text(200),
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
};
export const FacilityView = recordView({ ...facilityFields, type: z.string() });
export const FacilityCreate = z.object({ ...nullByDefault(facilityFields), type: facilityFields.type.default('other'), change_reason: createReason });
export const FacilityUpdate = recordUpdate(facilityFields);
export const FacilityListQuery = z.object({ type: z.enum(FACILITY_TYPES).optional(), region: z.string().max(200).optional(), ...page });

const caseFields = {
  case_number: text(100),
  articles: eventFields.articles,
  court: text(300),
  judge: text(300),
  prosecutor: text(300),
  verdict_date: partialDate.nullable(),
  term_months: eventFields.term_months,
  regime: eventFields.regime,
  note: text(5000),
  confidentiality: Level,
};
export const CaseView = recordView({ person_id: z.number().int(), person: z.string().describe('external id of the person'), ...caseFields, regime: z.string().nullable() });
export const CaseCreate = z.object({
  person: z.string().min(1).max(100).describe('external id of the person'),
  ...nullByDefault(caseFields),
  articles: caseFields.articles.default([]),
  confidentiality: Level.default('internal'),
  change_reason: createReason,
});
export const CaseUpdate = recordUpdate(caseFields);
export const CaseListQuery = z.object({ person: z.string().max(100).optional().describe('external id of the person'), court: z.string().max(300).optional(), regime: z.enum(REGIMES).optional(), ...page });

const sourceFields = {
  kind: z.enum(SOURCE_KINDS),
  url: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
  title: text(500),
  citation: text(5000),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 digest: 64 hexadecimal digits').nullable(),
  media_type: text(200),
  size_bytes: z.number().int().min(0).nullable(),
  published_date: partialDate.nullable(),
  reliability: text(50),
  confidentiality: Level,
};
export const SourceView = recordView({ ...sourceFields, kind: z.string(), url: z.string().nullable() });
export const SourceCreate = z.object({ ...nullByDefault(sourceFields), confidentiality: Level.default('internal'), change_reason: createReason });
export const SourceUpdate = recordUpdate(sourceFields);
export const SourceListQuery = z.object({
  kind: z.enum(SOURCE_KINDS).optional(),
  reliability: z.string().max(50).optional(),
  sha256: sourceFields.sha256.unwrap().optional(),
  url: z.string().max(2000).optional(),
  ...page,
});

const dealFields = {
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens, such as 2025-09-vilnius').max(100),
  date: partialDate,
  facilitator: text(200).describe('the facilitating government'),
  envoy: text(200),
  counterpart: text(200),
  destinations: z.array(eventFields.country.unwrap()).max(30).describe('ISO 3166 codes of the countries people were taken to'),
  conditions: z.array(z.enum(DEAL_CONDITIONS)).max(DEAL_CONDITIONS.length),
  summary: text(10000),
  confidentiality: Level,
};
export const DealPersonInput = z.object({
  person: z.string().min(1).max(100).describe('external id of the person'),
  outcome: z.enum(DEAL_OUTCOMES),
  note: text(2000).default(null),
});
export const ConcessionInput = z.object({ measure_id: z.number().int().min(1).describe('id of the sanction measure'), action: z.enum(CONCESSION_ACTIONS) });
export const DealView = recordView({
  ...dealFields,
  slug: z.string(),
  conditions: z.array(z.string()),
  people: z.array(z.object({ person_id: z.number().int(), person: z.string(), outcome: z.string(), note: z.string().nullable() })).describe('only the people the viewer may see'),
  concessions: z.array(z.object({ measure_id: z.number().int(), action: z.string() })),
});
export const DealCreate = z.object({
  ...nullByDefault(dealFields),
  destinations: dealFields.destinations.default([]),
  conditions: dealFields.conditions.default([]),
  confidentiality: Level.default('internal'),
  people: z.array(DealPersonInput).max(2000).default([]),
  concessions: z.array(ConcessionInput).max(100).default([]),
  change_reason: createReason,
});
export const DealUpdate = recordUpdate(dealFields);
export const DealPeopleUpdate = recordUpdate({}).extend({ people: z.array(DealPersonInput).max(2000).describe('every person named in the deal: the list replaces the one stored') });
export const DealConcessionsUpdate = recordUpdate({}).extend({ concessions: z.array(ConcessionInput).max(100).describe('every concession given: the list replaces the one stored') });
export const DealListQuery = z.object({ from: partialDate.optional(), to: partialDate.optional(), facilitator: z.string().max(200).optional(), ...page });

const sanctionFields = {
  issuer: z.string().min(1).max(50).describe('US, EU, UK, CA, ...'),
  target: z.string().min(1).max(300).describe('Belavia, potash (Belaruskali), a person, ...'),
  description: text(5000),
  imposed_on: partialDate.nullable(),
  eased_on: partialDate.nullable(),
  lifted_on: partialDate.nullable(),
  reimposed_on: partialDate.nullable(),
};
export const SanctionView = recordView(sanctionFields);
export const SanctionCreate = z.object({ ...nullByDefault(sanctionFields), change_reason: createReason });
export const SanctionUpdate = recordUpdate(sanctionFields);
export const SanctionListQuery = z.object({ issuer: z.string().max(50).optional(), target: z.string().max(300).optional(), ...page });
