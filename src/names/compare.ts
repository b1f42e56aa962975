// Duplicate detection between two person records: do their names agree under transliteration,
// and do birth date and region agree?

import { foldDiacritics } from './fold.js';
import { areDifferentKnownNames, givenNameEquivalence } from './given-names.js';
import { keySimilarity } from './similarity.js';
import { recordTokens, Role, ROLE_WEIGHT, type NameToken } from './tokens.js';
import type { NameRecord } from './types.js';

export interface RecordComparison {
  /** 0..1; ≥ 0.85 is a likely duplicate. */
  score: number;
  /** Human-readable evidence, strongest first. */
  reasons: string[];
}

interface PartAgreement {
  sim: number;
  a: string;
  b: string;
}

function tokensFor(tokens: readonly NameToken[], role: Role): NameToken[] {
  return tokens.filter((t) => t.role === role || (t.role === Role.any && role !== Role.patronymic));
}

function tokenSimilarity(x: NameToken, y: NameToken, role: Role): number {
  let best = 0;
  for (const kx of x.keys) {
    for (const ky of y.keys) {
      // Ігар and Іван look alike as letters but are two different names: no evidence of one person.
      if (role === Role.given && areDifferentKnownNames(kx, ky)) continue;
      best = Math.max(best, keySimilarity(kx, ky), role === Role.given ? givenNameEquivalence(kx, ky) : 0);
    }
  }
  return best;
}

function partAgreement(a: readonly NameToken[], b: readonly NameToken[], role: Role): PartAgreement | null {
  const left = tokensFor(a, role);
  const right = tokensFor(b, role);
  if (left.length === 0 || right.length === 0) return null;
  let best: PartAgreement = { sim: -1, a: '', b: '' };
  for (const x of left) {
    for (const y of right) {
      const sim = tokenSimilarity(x, y, role);
      if (sim > best.sim) best = { sim, a: x.surface, b: y.surface };
    }
  }
  return best;
}

const PART_LABEL: Readonly<Record<0 | 1 | 2, string>> = { 0: 'family name', 1: 'given name', 2: 'patronymic' };

function describePart(role: 0 | 1 | 2, agreement: PartAgreement): string {
  const label = PART_LABEL[role];
  if (foldDiacritics(agreement.a) === foldDiacritics(agreement.b)) return `same ${label} (${agreement.a})`;
  if (agreement.sim >= 0.85) return `${label} agrees under transliteration (${agreement.a} ≈ ${agreement.b})`;
  if (agreement.sim >= 0.6) return `${label} is similar (${agreement.a} ~ ${agreement.b})`;
  return `${label} differs (${agreement.a} ≠ ${agreement.b})`;
}

// Duplicate detection compares each record with many others; its tokens are worked out once.
const TOKENS = new WeakMap<NameRecord['names'], NameToken[]>();

function tokensOf(record: NameRecord): NameToken[] {
  let tokens = TOKENS.get(record.names);
  if (!tokens) {
    tokens = recordTokens(record.names);
    TOKENS.set(record.names, tokens);
  }
  return tokens;
}

function nameAgreement(a: NameRecord, b: NameRecord): { score: number; reasons: string[] } {
  const ta = tokensOf(a);
  const tb = tokensOf(b);
  let matched = 0;
  let possible = 0;
  const reasons: string[] = [];
  for (const role of [Role.family, Role.given, Role.patronymic] as const) {
    const agreement = partAgreement(ta, tb, role);
    if (!agreement) {
      // A missing family or given name leaves the match less certain; a missing patronymic does not.
      if (role !== Role.patronymic) possible += ROLE_WEIGHT[role] * 0.5;
      continue;
    }
    matched += ROLE_WEIGHT[role] * agreement.sim;
    possible += ROLE_WEIGHT[role];
    reasons.push(describePart(role, agreement));
  }
  return { score: possible > 0 ? matched / possible : 0, reasons };
}

type DateAgreement = 'same' | 'compatible' | 'conflict' | 'unknown';

function dateAgreement(a: string | null | undefined, b: string | null | undefined): DateAgreement {
  if (!a || !b) return 'unknown';
  if (a === b) return a.length >= 10 ? 'same' : 'compatible';
  // Partial dates (1985, 1985-03) agree with any full date they are a prefix of.
  return a.startsWith(b) || b.startsWith(a) ? 'compatible' : 'conflict';
}

const DATE_ADJUSTMENT: Readonly<Record<DateAgreement, number>> = { same: 0.1, compatible: 0.03, conflict: -0.3, unknown: 0 };

function dateReason(agreement: DateAgreement, a: NameRecord, b: NameRecord): string | null {
  if (agreement === 'same') return `same birth date ${a.birthDate}`;
  if (agreement === 'compatible') return `birth dates agree as far as known (${a.birthDate} / ${b.birthDate})`;
  if (agreement === 'conflict') return `birth dates differ (${a.birthDate} ≠ ${b.birthDate})`;
  return null;
}

function regionAdjustment(a: NameRecord, b: NameRecord): { delta: number; reason: string | null } {
  if (!a.region || !b.region) return { delta: 0, reason: null };
  if (foldDiacritics(a.region).trim() === foldDiacritics(b.region).trim()) return { delta: 0.03, reason: `same region ${a.region}` };
  return { delta: -0.05, reason: `regions differ (${a.region} ≠ ${b.region})` };
}

/** How likely two records describe the same person, with the evidence for and against. */
export function compareRecords(a: NameRecord, b: NameRecord): RecordComparison {
  const names = nameAgreement(a, b);
  const date = dateAgreement(a.birthDate, b.birthDate);
  const region = regionAdjustment(a, b);
  const score = Math.min(1, Math.max(0, names.score + DATE_ADJUSTMENT[date] + region.delta));
  const reasons = [...names.reasons, dateReason(date, a, b), region.reason].filter((r): r is string => r !== null);
  return { score: Math.round(score * 10000) / 10000, reasons };
}
