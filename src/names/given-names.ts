// Lookup over the given-name table: which names a key stands for, and how close two given names
// are as names (not as spellings).

import { foldDiacritics } from './fold.js';
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, type GivenNameEntry } from './given-names-data.js';
import { tokenKeys } from './phonetic.js';

/** Similarity of two different full forms of one name (Ягор / Егор, Алесь / Александр). */
export const EQUIVALENT_NAME_SIMILARITY = 0.94;
/** Similarity of a familiar form and a full form (Саша / Александр). */
export const FAMILIAR_NAME_SIMILARITY = 0.9;

interface Membership {
  readonly group: number;
  readonly familiar: boolean;
}

function buildMemberships(entries: readonly GivenNameEntry[]): Map<string, Membership[]> {
  const byKey = new Map<string, Membership[]>();
  const add = (form: string, group: number, familiar: boolean): void => {
    for (const key of tokenKeys(form)) {
      const list = byKey.get(key) ?? [];
      const existing = list.find((m) => m.group === group);
      if (!existing) list.push({ group, familiar });
      else if (existing.familiar && !familiar) list[list.indexOf(existing)] = { group, familiar };
      byKey.set(key, list);
    }
  };
  entries.forEach((entry, group) => {
    for (const form of [...entry.ru, ...entry.be]) add(form, group, false);
    for (const form of entry.familiar) add(form, group, true);
  });
  return byKey;
}

// Western names are looked up by spelling, not by phonetic key: English spelling is not phonetic
// ("Eugene" would otherwise key like Евгения).
function buildWestern(entries: readonly GivenNameEntry[]): Map<string, number[]> {
  const bySpelling = new Map<string, number[]>();
  entries.forEach((entry, group) => {
    for (const form of entry.western ?? []) {
      const spelling = foldDiacritics(form);
      bySpelling.set(spelling, [...(bySpelling.get(spelling) ?? []), group]);
    }
  });
  return bySpelling;
}

const ALL_ENTRIES: readonly GivenNameEntry[] = [...MALE_GIVEN_NAMES, ...FEMALE_GIVEN_NAMES];
const MEMBERSHIPS = buildMemberships(ALL_ENTRIES);
const WESTERN = buildWestern(ALL_ENTRIES);

/** Groups of a Western equivalent such as "Eugene" or "Helen", looked up by spelling. */
export function westernNameGroups(word: string): readonly number[] {
  return WESTERN.get(foldDiacritics(word)) ?? [];
}

/** Group numbers of the names a key may stand for (empty when the name is not in the table). */
export function givenNameGroups(key: string): readonly number[] {
  return (MEMBERSHIPS.get(key) ?? []).map((m) => m.group);
}

/**
 * Keys of the full forms in a group, for expanding a query to the equivalent names a registry
 * stores. Familiar forms are left out: they are short and collide with other names (Гена keys
 * like Ганна).
 */
export function fullFormKeysOfGroup(group: number): readonly string[] {
  return FULL_FORM_KEYS[group] ?? [];
}

const FULL_FORM_KEYS: string[][] = ALL_ENTRIES.map(() => []);
for (const [key, memberships] of MEMBERSHIPS) {
  for (const m of memberships) if (!m.familiar) FULL_FORM_KEYS[m.group]?.push(key);
}

/** Both keys are names in the table, and never the same name (Галіна / Паліна, Ігар / Ягор). */
export function areDifferentKnownNames(a: string, b: string): boolean {
  const ma = MEMBERSHIPS.get(a);
  const mb = MEMBERSHIPS.get(b);
  if (!ma || !mb || a === b) return false;
  return !ma.some((x) => mb.some((y) => x.group === y.group));
}

/**
 * How close two given-name keys are as names: 1 when equal, EQUIVALENT_NAME_SIMILARITY for two
 * full forms of one name, FAMILIAR_NAME_SIMILARITY when either is a familiar form, 0 otherwise.
 */
export function givenNameEquivalence(a: string, b: string): number {
  if (a === b) return 1;
  const ma = MEMBERSHIPS.get(a);
  const mb = MEMBERSHIPS.get(b);
  if (!ma || !mb) return 0;
  let best = 0;
  for (const x of ma) {
    for (const y of mb) {
      if (x.group !== y.group) continue;
      best = Math.max(best, x.familiar || y.familiar ? FAMILIAR_NAME_SIMILARITY : EQUIVALENT_NAME_SIMILARITY);
    }
  }
  return best;
}
