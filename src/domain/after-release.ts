/**
 * Life after release (issue 7): where a released person lives now, whether they are back with their
 * family, what they need, whether their passport was withheld. This is the data that can hurt most if
 * it leaks: an address country and a family's situation point the state at relatives still inside.
 *
 * Levels, decided here and nowhere else:
 * - The record is never public. Nothing of it reaches the public site, API, feeds or open data; a record
 *   may be internal (any signed-in member) or restricted (cleared roles, every read audited).
 * - The record's default level is internal, so a researcher may see the country of residence, the
 *   reunion date and the passport flag: the team needs them for reports on expulsions. Any record can be
 *   made restricted as a whole (a person whose family is still exposed).
 * - `needs`, `needs_text` and `note` are restricted by default: needs are assistance-case information
 *   (health, money, housing), which DOMAIN.md puts under restricted. A field level can only make a field
 *   stricter than the record (policy.fieldLevel), so these defaults hold unless an editor lowers them
 *   on purpose, which the change log records.
 */
import type { Level } from './confidentiality.js';

export const NEED_KINDS = ['medical', 'psychological', 'housing', 'legal', 'documents', 'financial', 'employment', 'education', 'family_reunion', 'other'] as const;
export type NeedKind = (typeof NEED_KINDS)[number];

export const PASSPORT_STATES = ['yes', 'no', 'unknown'] as const;
export type PassportWithheld = (typeof PASSPORT_STATES)[number];

/** The levels an after-release record or field may have: never public. */
export const AFTER_RELEASE_LEVELS = ['internal', 'restricted'] as const satisfies readonly Level[];
export type AfterReleaseLevel = (typeof AFTER_RELEASE_LEVELS)[number];

export const AFTER_RELEASE_FIELDS = ['country', 'reunited_on', 'needs', 'needs_text', 'passport_withheld', 'note'] as const;
export type AfterReleaseField = (typeof AFTER_RELEASE_FIELDS)[number];

export const DEFAULT_AFTER_RELEASE_LEVELS: Readonly<Partial<Record<AfterReleaseField, AfterReleaseLevel>>> = {
  needs: 'restricted',
  needs_text: 'restricted',
  note: 'restricted',
};

export function isNeedKind(value: string): value is NeedKind {
  return (NEED_KINDS as readonly string[]).includes(value);
}
