// Blocking for duplicate detection: cheap keys that two records of one person very likely share, so
// that only records sharing a key are compared in full (compareRecords), not every pair in the registry.

import { givenNameGroups } from './given-names.js';
import { recordTokens, Role } from './tokens.js';
import type { NameRecord } from './types.js';

/** Given names stand for their equivalence group (Зміцер, Дзмітрый, Дмитрий, Dima are one group). */
function givenKeys(keys: readonly string[]): string[] {
  return keys.flatMap((key) => {
    const groups = givenNameGroups(key);
    return groups.length > 0 ? groups.map((group) => `g${group}`) : [key];
  });
}

/**
 * Keys under which a record is filed. Two records of one person meet under at least one of them when
 * their family names agree phonetically and either the given names agree (as names, across languages)
 * or the birth years agree; or when the given names and birth years agree and the family names
 * start alike (a typo later in the family name).
 */
export function blockingKeys(record: NameRecord): string[] {
  const tokens = recordTokens(record.names);
  const family = new Set(tokens.filter((t) => t.role === Role.family || t.role === Role.any).flatMap((t) => t.keys));
  const given = new Set(givenKeys(tokens.filter((t) => t.role === Role.given || t.role === Role.any).flatMap((t) => t.keys)));
  const year = record.birthDate ? record.birthDate.slice(0, 4) : null;
  const keys = new Set<string>();
  for (const f of family) {
    for (const g of given) if (g !== f) keys.add(`fg:${f}|${g}`);
    if (year) keys.add(`fy:${f}|${year}`);
  }
  if (year) for (const g of given) for (const f of family) keys.add(`gy:${g}|${year}|${f.slice(0, 2)}`);
  return [...keys];
}
