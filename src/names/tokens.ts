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

interface Analysis {
  readonly folded: string;
  readonly keys: readonly string[];
}

// Names repeat a great deal (thousands of Іван, Жук, Мацкевіч), so each word is analysed once.
// Bounded so that a long-running process indexing many distinct names does not grow without end.
const ANALYSIS_CACHE = new Map<string, Analysis>();
const ANALYSIS_CACHE_LIMIT = 200_000;

function analyse(surface: string): Analysis {
  const cached = ANALYSIS_CACHE.get(surface);
  if (cached) return cached;
  if (ANALYSIS_CACHE.size >= ANALYSIS_CACHE_LIMIT) ANALYSIS_CACHE.clear();
  const analysis = { folded: foldDiacritics(surface), keys: tokenKeys(surface) };
  ANALYSIS_CACHE.set(surface, analysis);
  return analysis;
}

function partTokens(text: string | null | undefined, role: Role, variant: number): NameToken[] {
  if (!text) return [];
  return splitName(text).flatMap((surface) => {
    const { folded, keys } = analyse(surface);
    return keys.length === 0 ? [] : [{ surface, folded, keys, role, variant }];
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

/**
 * All tokens of a record. Words of a `full` name get the role of the part they spell in another
 * variant (Iauhieniia is the given name Яўгенія); failing that, the role their position implies:
 * "Given Family", "Given Patronymic Family", or court order "Family Given Patronymic" when a
 * Cyrillic name ends in a patronymic. A single word stays open (family or given).
 */
export function recordTokens(names: readonly NameVariantInput[]): NameToken[] {
  const tokens = names.flatMap((name, variant) => variantTokens(name, variant));
  const known = tokens.filter((t) => t.role !== Role.any);
  const byVariant = new Map<number, NameToken[]>();
  for (const t of tokens) if (t.role === Role.any) byVariant.set(t.variant, [...(byVariant.get(t.variant) ?? []), t]);
  if (byVariant.size === 0) return tokens;
  const resolved = new Map<NameToken, Role>();
  for (const words of byVariant.values()) {
    const positional = positionalRoles(words);
    words.forEach((word, i) => resolved.set(word, roleFromParts(word, known) ?? positional[i] ?? Role.any));
  }
  return tokens.map((t) => (resolved.has(t) ? { ...t, role: resolved.get(t) ?? t.role } : t));
}

function roleFromParts(word: NameToken, known: readonly NameToken[]): Role | undefined {
  return known.find((k) => k.keys.some((key) => word.keys.includes(key)))?.role;
}

function positionalRoles(words: readonly NameToken[]): Role[] {
  if (words.length < 2) return words.map(() => Role.any);
  const last = words[words.length - 1];
  const courtOrder = words.length >= 3 && last !== undefined && /\p{Script=Cyrillic}/u.test(last.surface) && looksLikePatronymic(last.surface);
  if (courtOrder) return words.map((_, i) => (i === 0 ? Role.family : i === 1 ? Role.given : Role.patronymic));
  return words.map((_, i) => (i === 0 ? Role.given : i === words.length - 1 ? Role.family : Role.patronymic));
}

// Patronymic endings in Cyrillic and the common romanisations (-vich, -vna, -ich, -ična, -itsch).
const PATRONYMIC_ENDING = /(вич|вна|ична|ічна|інічна|ич|іч|vich|vna|ovic|evic|ovič|evič|ichna|ična|itsch|owna|ewna|owicz|ewicz)$/u;

/** Whether a word looks like a patronymic (it may still be a family name such as Klimovich). */
export function looksLikePatronymic(word: string): boolean {
  return PATRONYMIC_ENDING.test(foldDiacritics(word).replace(/[^\p{L}]/gu, '')) || PATRONYMIC_ENDING.test(word.toLowerCase());
}
