// Similarity of two phonetic keys: a weighted Damerau–Levenshtein (optimal string alignment)
// distance turned into a 0..1 score.
//
// Substitutions between sounds that one spelling system cannot tell apart are cheap: ASCII-folded
// Łacinka and Polish lose the difference between s/š, z/ž and c/č ("lukasevic" for Łukaševič);
// German writes both ж and ш as "sch" and з as "s"; Latin "h" is г in Belarusian romanisation
// but х in ISO 9 and Romanian-style "Mihail".

const CHEAP_PAIRS: ReadonlyArray<readonly [string, string, number]> = [
  ['s', 'S', 0.4], ['z', 'Z', 0.4], ['s', 'z', 0.5], ['S', 'Z', 0.5], ['t', 'C', 0.5],
  ['g', 'x', 0.5], ['k', 'x', 0.6], ['v', 'u', 0.5], ['a', 'i', 0.7], ['a', 'u', 0.8], ['i', 'j', 0.5],
];

const SUBSTITUTION_COST = new Map<string, number>();
for (const [a, b, cost] of CHEAP_PAIRS) {
  SUBSTITUTION_COST.set(a + b, cost);
  SUBSTITUTION_COST.set(b + a, cost);
}

// Vowels and glides are the least reliable part of a spelling, so dropping one costs less; so
// does v, which Belarusian inserts between vowels (Наумчик / Навумчык, Леонов / Лявонаў).
function indelCost(letter: string): number {
  if (letter === 'v') return 0.5;
  return 'aiuj'.includes(letter) ? 0.7 : 1;
}

function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  return SUBSTITUTION_COST.get(a + b) ?? 1;
}

/** Weighted optimal-string-alignment distance between two keys. */
export function keyDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Float64Array(rows * cols);
  for (let i = 1; i < rows; i++) d[i * cols] = (d[(i - 1) * cols] ?? 0) + indelCost(a[i - 1] ?? '');
  for (let j = 1; j < cols; j++) d[j] = (d[j - 1] ?? 0) + indelCost(b[j - 1] ?? '');
  for (let i = 1; i < rows; i++) {
    const ai = a[i - 1] ?? '';
    for (let j = 1; j < cols; j++) {
      const bj = b[j - 1] ?? '';
      let best = Math.min(
        (d[(i - 1) * cols + j] ?? 0) + indelCost(ai),
        (d[i * cols + j - 1] ?? 0) + indelCost(bj),
        (d[(i - 1) * cols + j - 1] ?? 0) + substitutionCost(ai, bj),
      );
      if (i > 1 && j > 1 && ai === b[j - 2] && a[i - 2] === bj) {
        best = Math.min(best, (d[(i - 2) * cols + j - 2] ?? 0) + 0.8);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1] ?? 0;
}

// One full edit in a 6-letter key gives about 0.8, two give about 0.55; short keys drop faster,
// because a typo in a 3-letter name leaves little evidence that it is the same name.
const DISTANCE_SCALE = 1.2;

// Masculine and feminine forms of one name belong to different people (Tsikhanouski is her
// husband), so they must not look like a one-letter typo: Яўген/Яўгенія, Салаўёў/Салаўёва,
// Ціханоўскі/Ціханоўская, Аляксандр/Аляксандра.
export const GENDER_PAIR_SIMILARITY = 0.5;

export function isGenderPair(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long === `${short}a` && /[bvgdzZklmnprsStfxcC]$/.test(short)) return true;
  if (short.endsWith('au') && long === `${short.slice(0, -1)}va`) return true;
  return short.length === long.length && /k[i]$/.test(short) && long === `${short.slice(0, -1)}a`;
}

function similarityFromDistance(distance: number, a: string, b: string): number {
  const sim = 1 - (DISTANCE_SCALE * distance) / Math.max(a.length, b.length, 5);
  return sim > 0 ? Math.min(sim, 0.97) : 0;
}

/** 0..1 similarity of two keys; 1 only when the keys are equal. */
export function keySimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a === '' || b === '') return 0;
  if (isGenderPair(a, b)) return GENDER_PAIR_SIMILARITY;
  return similarityFromDistance(keyDistance(a, b), a, b);
}

/**
 * How strongly a near spelling supports "same name", 0..1. Differences that a spelling system
 * cannot avoid (s/š folded, a dropped vowel: distance below one full edit) count as similarity;
 * a full letter added, dropped or changed counts squared, because one-letter-apart family names
 * are usually different families (Станкевіч / Сянкевіч, Мароз / Марозаў), and two near-misses
 * must not add up to a confident match.
 */
export function keyEvidence(a: string, b: string): number {
  if (a === b) return 1;
  if (a === '' || b === '') return 0;
  if (isGenderPair(a, b)) return GENDER_PAIR_SIMILARITY * GENDER_PAIR_SIMILARITY;
  const distance = keyDistance(a, b);
  const sim = similarityFromDistance(distance, a, b);
  return distance < 1 ? sim : sim * sim;
}
