// Full-name score: which query word is which part of the stored name, and how well the whole name
// agrees. Query words come in any order, so every assignment of words to roles (family, given,
// patronymic, none) is tried and the best kept; there are at most 4^4 for a four-word query.

import { ROLE_WEIGHT } from './tokens.js';

/** Per query word and role (family 0, given 1, patronymic 2): best similarity to the person's words. */
export interface WordRoleMatrix {
  readonly words: number;
  /** sims[word * 3 + role] in 0..1. */
  readonly sims: Float64Array;
  /** exact[word * 3 + role]: 2 when the folded spelling equals a stored one, 1 when its fine key does. */
  readonly exact: Uint8Array;
}

export interface PersonShape {
  readonly hasFamily: boolean;
  readonly hasGiven: boolean;
  readonly hasPatronymic: boolean;
}

export interface Assignment {
  readonly score: number;
  /** Role given to each query word, or -1 when the word matched nothing. */
  readonly roles: readonly number[];
}

// A query word that matches none of the person's names counts against the match as much as a
// given name would have counted for it.
const UNMATCHED_WORD_WEIGHT = 0.8;
// Except a patronymic when the stored person has none: registries often lack it.
const UNMATCHED_PATRONYMIC_WEIGHT = 0.3;
// A query with no family name (or no given name) says less; "Losik" alone is never a confident match.
const MISSING_FAMILY_WEIGHT = 0.4;
const MISSING_GIVEN_WEIGHT = 0.4;
// Below this a word is not taken to be that part of the name at all.
const MIN_ROLE_SIMILARITY = 0.35;
// Share of the score reserved for spelling-identical agreement, so that among people whose names
// all agree under transliteration the one written exactly as queried ranks first.
const EXACT_SPELLING_SHARE = 0.02;

function ratioOf(matrix: WordRoleMatrix, roles: readonly number[], person: PersonShape, patronymicLike: readonly boolean[]): number {
  let matched = 0;
  let possible = 0;
  let familyUsed = false;
  let givenUsed = false;
  for (let word = 0; word < roles.length; word++) {
    const role = roles[word] ?? -1;
    if (role < 0) {
      possible += patronymicLike[word] && !person.hasPatronymic ? UNMATCHED_PATRONYMIC_WEIGHT : UNMATCHED_WORD_WEIGHT;
      continue;
    }
    const weight = ROLE_WEIGHT[role as 0 | 1 | 2];
    matched += weight * (matrix.sims[word * 3 + role] ?? 0);
    possible += weight;
    if (role === 0) familyUsed = true;
    if (role === 1) givenUsed = true;
  }
  if (!familyUsed) possible += MISSING_FAMILY_WEIGHT;
  if (!givenUsed) possible += MISSING_GIVEN_WEIGHT;
  return possible > 0 ? matched / possible : 0;
}

function exactShare(matrix: WordRoleMatrix, roles: readonly number[]): number {
  let exact = 0;
  roles.forEach((role, word) => {
    if (role >= 0) exact += (matrix.exact[word * 3 + role] ?? 0) / 2;
  });
  return roles.length > 0 ? exact / roles.length : 0;
}

/** The best assignment of query words to the person's name parts, and its 0..1 score. */
export function bestAssignment(matrix: WordRoleMatrix, person: PersonShape, patronymicLike: readonly boolean[]): Assignment {
  const search: AssignmentSearch = {
    matrix, person, patronymicLike, roles: new Array<number>(matrix.words).fill(-1), used: [false, false, false], bestRatio: -1, bestRoles: [],
  };
  visit(search, 0);
  const score = (1 - EXACT_SPELLING_SHARE) * Math.max(search.bestRatio, 0) + EXACT_SPELLING_SHARE * exactShare(matrix, search.bestRoles);
  return { score, roles: search.bestRoles };
}

interface AssignmentSearch {
  readonly matrix: WordRoleMatrix;
  readonly person: PersonShape;
  readonly patronymicLike: readonly boolean[];
  readonly roles: number[];
  readonly used: boolean[];
  bestRatio: number;
  bestRoles: number[];
}

// Depth-first over words; each word takes a free role it resembles enough, or none.
function visit(search: AssignmentSearch, word: number): void {
  const { matrix, roles, used } = search;
  if (word === matrix.words) {
    const ratio = ratioOf(matrix, roles, search.person, search.patronymicLike);
    if (ratio > search.bestRatio) {
      search.bestRatio = ratio;
      search.bestRoles = roles.slice();
    }
    return;
  }
  roles[word] = -1;
  visit(search, word + 1);
  for (let role = 0; role < 3; role++) {
    if (used[role] || (matrix.sims[word * 3 + role] ?? 0) < MIN_ROLE_SIMILARITY) continue;
    used[role] = true;
    roles[word] = role;
    visit(search, word + 1);
    used[role] = false;
    roles[word] = -1;
  }
}
