// Row shapes of the CSV import contract (DOMAIN.md, "CSV import contract"). Keys are exactly the column
// names and every value is a string, '' when empty, so a row can be written to CSV without translation.

import { EVENT_COLUMNS, FACILITY_COLUMNS, PERSON_COLUMNS } from '../domain/csv-contract.js';

export { EVENT_COLUMNS, FACILITY_COLUMNS, PERSON_COLUMNS };
export type { EventType, FacilityType, Regime, ReleaseReason } from '../domain/event-types.js';

export type PersonRow = Record<(typeof PERSON_COLUMNS)[number], string>;
export type EventRow = Record<(typeof EVENT_COLUMNS)[number], string>;
export type FacilityRow = Record<(typeof FACILITY_COLUMNS)[number], string>;

export type Region =
  | 'Minsk city'
  | 'Brest region'
  | 'Vitebsk region'
  | 'Gomel region'
  | 'Grodno region'
  | 'Minsk region'
  | 'Mogilev region';

/** Every row says it is invented, so a demo file that leaks into the wrong place cannot pass for evidence. */
export const FICTIONAL_TAG = 'fictional-demo';
export const FICTIONAL_NOTE = 'Fictional demo record — not a real person';
export const FICTIONAL_SOURCE_BASE = 'https://example.org/fictional/';
