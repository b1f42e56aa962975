// Name variants cut into word tokens with their role and phonetic keys.

import { foldDiacritics } from './fold.js';
import { splitName, tokenKeys } from './phonetic.js';
import type { NameVariantInput } from './types.js';

/** The part of a name a token is: family, given, patronymic, or unknown (from a `full` name). */
export const Role = { family: 0, given: 1, patronymic: 2, any: 3 } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** How much each part of a name says about who a person is. */
export const ROLE_WEIGHT: Readonly<Record<0 | 1 | 2, number>> = { 0: 1, 1: 0.8, 2: 0.4 };

export interface NameToken {
  /** As written. */
  readonly surface: string;
  /** Case- and diacritic-folded, for exact-spelling agreement. */
  readonly folded: string;
  readonly keys: readonly string[];
  readonly role: Role;
  /** Index of the variant in the record's `names`. */
  readonly variant: number;
}

function partTokens(text: string | null | undefined, role: Role, variant: number): NameToken[] {
  if (!text) return [];
  return splitName(text).flatMap((surface) => {
    const keys = tokenKeys(surface);
    return keys.length === 0 ? [] : [{ surface, folded: foldDiacritics(surface), keys, role, variant }];
  });
}

/** Tokens of one variant in reading order: given, patronymic, family; or the full name as written. */
export function variantTokens(name: NameVariantInput, variant: number): NameToken[] {
  const parts = [
    ...partTokens(name.given, Role.given, variant),
    ...partTokens(name.patronymic, Role.patronymic, variant),
    ...partTokens(name.family, Role.family, variant),
  ];
  return parts.length > 0 ? parts : partTokens(name.full, Role.any, variant);
}

export function recordTokens(names: readonly NameVariantInput[]): NameToken[] {
  return names.flatMap((name, variant) => variantTokens(name, variant));
}

// Patronymic endings in Cyrillic and the common romanisations (-vich, -vna, -ich, -ična, -itsch).
const PATRONYMIC_ENDING = /(вич|вна|ична|ічна|інічна|ич|іч|vich|vna|ovic|evic|ovič|evič|ichna|ična|itsch|owna|ewna|owicz|ewicz)$/u;

/** Whether a word looks like a patronymic (it may still be a family name such as Klimovich). */
export function looksLikePatronymic(word: string): boolean {
  return PATRONYMIC_ENDING.test(foldDiacritics(word).replace(/[^\p{L}]/gu, '')) || PATRONYMIC_ENDING.test(word.toLowerCase());
}
