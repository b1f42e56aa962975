/** Event types, their effect on custody, and the closed vocabularies their fields use (DOMAIN.md). */

export const EVENT_TYPES = [
  'detained',
  'charged',
  'sentenced',
  'transferred',
  'released',
  'expelled',
  'recognized',
  'recognition_withdrawn',
  'died',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const RELEASE_REASONS = [
  'end_of_term',
  'pardon',
  'negotiated',
  'amnesty',
  'acquitted',
  'non_custodial',
  'other',
] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

export const REGIMES = [
  'general',
  'enhanced',
  'strict',
  'special',
  'prison',
  'colony_settlement',
  'restricted_freedom',
  'home_confinement',
  'compulsory_treatment',
  'other',
] as const;
export type Regime = (typeof REGIMES)[number];

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

export const FACILITY_TYPES = ['sizo', 'penal_colony', 'prison', 'temporary_detention', 'other'] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

/** What an event does to custody: start it, end it, or nothing. */
export type CustodyEffect = 'starts' | 'ends' | 'none';

export function custodyEffect(type: EventType): CustodyEffect {
  switch (type) {
    case 'detained':
      return 'starts';
    case 'released':
    case 'expelled':
    case 'died':
      return 'ends';
    default:
      return 'none';
  }
}

/** Which optional fields make sense for a type; others are rejected on import as likely column mistakes. */
export const FIELDS_BY_TYPE: Record<EventType, readonly string[]> = {
  detained: ['facility', 'articles'],
  charged: ['articles', 'facility'],
  sentenced: ['articles', 'term_months', 'regime', 'facility'],
  transferred: ['facility'],
  released: ['reason', 'facility', 'country'],
  expelled: ['country', 'reason'],
  recognized: ['organization'],
  recognition_withdrawn: ['organization'],
  died: ['facility'],
};

/** Criminal code article numbers: "342", "361-1", "130.3" (part), "342 ч.1" is not accepted. */
export const ARTICLE_PATTERN = /^\d{1,3}(?:-\d{1,2})?(?:\.\d{1,2})?$/;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** ISO 3166-1 alpha-2 check through the platform's CLDR data, so no hand-kept list goes stale. */
export function isCountryCode(code: string): boolean {
  // ZZ is CLDR's "Unknown Region", not a country.
  return /^[A-Z]{2}$/.test(code) && code !== 'ZZ' && regionNames.of(code) !== undefined;
}
