// Criminal-case profiles: the Criminal Code articles used in political prosecutions since 2020, with the
// usual range of terms and regimes. Weights per era follow how prosecutions shifted from street protest
// (342, 293, 364) towards speech, donations and "extremism" (130, 368, 361-1, 361-4) and treason (356).
import type { Era } from './calendar.js';
import type { Random } from './random.js';
import type { Regime } from './rows.js';

export interface CaseProfile {
  articles: readonly string[];
  minMonths: number;
  maxMonths: number;
  regimes: readonly Regime[];
  weights: Record<Era, number>;
  /** Treason and conspiracy suspects are usually held by the KGB before trial. */
  kgb?: boolean;
}

function caseProfile(
  articles: string,
  months: [number, number],
  regimes: Regime[],
  [wave, crackdown, steady]: [number, number, number],
  kgb = false,
): CaseProfile {
  return {
    articles: articles.split(';'),
    minMonths: months[0],
    maxMonths: months[1],
    regimes,
    weights: { wave, crackdown, steady },
    kgb,
  };
}

export const CASE_PROFILES: readonly CaseProfile[] = [
  caseProfile('342', [12, 36], ['general', 'general', 'general', 'enhanced', 'restricted_freedom'], [40, 18, 12]),
  caseProfile('342;364', [24, 60], ['general', 'enhanced'], [8, 3, 1]),
  caseProfile('293', [36, 96], ['enhanced', 'strict', 'general'], [6, 1, 0.2]),
  caseProfile('364', [18, 60], ['general', 'enhanced'], [8, 3, 2]),
  caseProfile('369', [12, 30], ['general', 'restricted_freedom'], [6, 5, 4]),
  caseProfile('368', [12, 36], ['general', 'general', 'restricted_freedom'], [4, 6, 6]),
  caseProfile('368;369', [18, 36], ['general'], [3, 5, 5]),
  caseProfile('367', [12, 36], ['general'], [1, 1, 1]),
  caseProfile('130', [30, 72], ['general', 'enhanced'], [6, 9, 8]),
  caseProfile('130;368', [36, 60], ['general'], [2, 4, 4]),
  caseProfile('203-1', [24, 48], ['general'], [1, 2, 1]),
  caseProfile('191', [12, 36], ['general', 'restricted_freedom'], [3, 0.5, 0]),
  caseProfile('361', [24, 72], ['general', 'enhanced'], [1, 3, 3]),
  caseProfile('361-1', [24, 72], ['general', 'enhanced'], [1, 6, 8]),
  caseProfile('361-4', [24, 60], ['general', 'general', 'restricted_freedom'], [0, 6, 12]),
  caseProfile('361-1;361-4', [36, 84], ['general', 'enhanced'], [0, 3, 5]),
  caseProfile('289', [120, 264], ['strict', 'enhanced'], [0, 1.5, 0.3]),
  caseProfile('356', [96, 180], ['strict', 'enhanced', 'prison'], [0, 2, 4], true),
  caseProfile('357', [120, 216], ['strict', 'enhanced'], [0.5, 1, 0.5], true),
  caseProfile('130;361-1;356', [120, 180], ['strict', 'prison'], [0, 0.5, 1], true),
  caseProfile('358-1', [36, 72], ['general', 'enhanced'], [0, 0.5, 1], true),
];

/** Disobeying colony administration: a new sentence added while already serving one. */
export const IN_CUSTODY_ARTICLE = '411';

export interface Sentence {
  articles: string;
  termMonths: number;
  regime: Regime;
}

export function pickCase(rng: Random, era: Era): CaseProfile {
  return rng.weighted(
    CASE_PROFILES,
    CASE_PROFILES.map((candidate) => candidate.weights[era]),
  );
}

/** Courts mostly hand down whole or half years; repeat offenders get the special regime. */
export function pickSentence(rng: Random, profile: CaseProfile, repeat: boolean): Sentence {
  let termMonths = rng.int(profile.minMonths, profile.maxMonths);
  if (rng.chance(0.7)) termMonths = Math.max(6, Math.round(termMonths / 6) * 6);
  let regime = rng.pick(profile.regimes);
  if (repeat && regime !== 'restricted_freedom' && rng.chance(0.4)) regime = 'special';
  return { articles: profile.articles.join(';'), termMonths, regime };
}
