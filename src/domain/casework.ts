/**
 * Casework, letters and accountability (issue 8): the kinds of values and the few rules about them.
 * Pure: no I/O. Who may see what stays in policy.ts.
 */
import { firstDay, lastDay } from './partial-date.js';
import type { Level } from './confidentiality.js';

/** What a family asks for help with. */
export const NEED_KINDS = ['legal', 'medical', 'financial', 'parcels', 'other'] as const;
export type NeedKind = (typeof NEED_KINDS)[number];

export const CASE_STATUSES = ['open', 'on_hold', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * Assistance cases and health flags are never public (DOMAIN.md: family contacts, health and
 * assistance cases are restricted). They default to restricted; a documenter may open one to every
 * team member (internal), but family contacts and health details stay restricted whatever the record's level.
 */
export const CASEWORK_LEVELS = ['internal', 'restricted'] as const satisfies readonly Level[];
export type CaseworkLevel = (typeof CASEWORK_LEVELS)[number];

export const LETTER_DIRECTIONS = ['sent', 'reply'] as const;
export type LetterDirection = (typeof LETTER_DIRECTIONS)[number];

/** An official's position; the role they played in a case or event is given per link. */
export const OFFICIAL_ROLES = ['judge', 'prosecutor', 'investigator', 'facility_head', 'other'] as const;
export type OfficialRole = (typeof OFFICIAL_ROLES)[number];

export const INSTITUTION_KINDS = ['court', 'prosecutor_office', 'investigative_body', 'facility', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const VIOLATION_TYPES = ['ill_treatment', 'incommunicado', 'denial_of_medical_care', 'forced_labour', 'other'] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

export const HEALTH_FLAG_KINDS = ['serious_illness', 'disability', 'elderly', 'other'] as const;
export type HealthFlagKind = (typeof HEALTH_FLAG_KINDS)[number];

/**
 * "Elderly" is computed from the birth date: 60 or older (the UN's "older persons") on the day asked.
 * A partial birth date counts only once the person is 60 whatever the exact day ("1964" from
 * 1964-12-31 + 60 years). A stored flag of kind elderly covers people whose birth date is not known.
 */
export const ELDERLY_AGE = 60;

/**
 * The day sixty years before `day`: someone is elderly on `day` when their birth date's last possible
 * day is on or before it. Every such birth date, partial ones too, sorts as text at or before this
 * ("1964" < "1964-12-31" ≤ it), so a query can narrow by it and isElderlyOn decide.
 */
export function elderlyBornBy(day: string): string {
  return `${String(Number(day.slice(0, 4)) - ELDERLY_AGE).padStart(4, '0')}${day.slice(4)}`;
}

export function isElderlyOn(birthDate: string | null, day: string): boolean {
  return birthDate !== null && birthDate !== '' && lastDay(birthDate) <= elderlyBornBy(day);
}

/** A flag holds on `day` from the day it was noted (or always, undated) until the day it was resolved. */
export function flagHoldsOn(flag: { noted_on: string | null; resolved_on: string | null }, day: string): boolean {
  if (flag.noted_on !== null && firstDay(flag.noted_on) > day) return false;
  return flag.resolved_on === null || firstDay(flag.resolved_on) > day;
}
