// Row shapes of the CSV import contract (DOMAIN.md, "CSV import contract"). Keys are exactly the column
// names and every value is a string, '' when empty, so a row can be written to CSV without translation.

export const PERSON_COLUMNS = [
  'external_id',
  'family_name_be',
  'given_name_be',
  'patronymic_be',
  'family_name_ru',
  'given_name_ru',
  'patronymic_ru',
  'name_latin',
  'birth_date',
  'gender',
  'region',
  'occupation',
  'tags',
  'publish',
] as const;

export const EVENT_COLUMNS = [
  'person_external_id',
  'type',
  'date',
  'facility',
  'articles',
  'term_months',
  'regime',
  'reason',
  'country',
  'organization',
  'note',
  'source_url',
] as const;

export const FACILITY_COLUMNS = ['name', 'type', 'address', 'region', 'lat', 'lon'] as const;

export type PersonRow = Record<(typeof PERSON_COLUMNS)[number], string>;
export type EventRow = Record<(typeof EVENT_COLUMNS)[number], string>;
export type FacilityRow = Record<(typeof FACILITY_COLUMNS)[number], string>;

export type EventType =
  | 'detained'
  | 'charged'
  | 'sentenced'
  | 'transferred'
  | 'released'
  | 'expelled'
  | 'recognized'
  | 'recognition_withdrawn'
  | 'died';

export type ReleaseReason = 'end_of_term' | 'pardon' | 'negotiated' | 'amnesty' | 'acquitted' | 'non_custodial' | 'other';

export type Regime = 'general' | 'enhanced' | 'strict' | 'special' | 'prison' | 'restricted_freedom';

export type Region =
  | 'Minsk city'
  | 'Brest region'
  | 'Vitebsk region'
  | 'Gomel region'
  | 'Grodno region'
  | 'Minsk region'
  | 'Mogilev region';

export type FacilityType = 'sizo' | 'penal_colony' | 'prison' | 'temporary_detention' | 'other';

/** Every row says it is invented, so a demo file that leaks into the wrong place cannot pass for evidence. */
export const FICTIONAL_TAG = 'fictional-demo';
export const FICTIONAL_NOTE = 'Fictional demo record — not a real person';
export const FICTIONAL_SOURCE_BASE = 'https://example.org/fictional/';
