/** The columns of the CSV interchange files (DOMAIN.md, "CSV import contract"): one list for every reader and writer. */

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
