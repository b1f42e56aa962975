// Cyrillic → Latin under the systems people actually meet Belarusian and Russian names in.
// The letter tables and their published sources are in romanize-systems.ts.

import {
  BE_BGN, BE_LACINKA, BE_NATIONAL, BE_PASSPORT, BE_POLISH, RU_BGN, RU_COMMON, RU_GERMAN, RU_ISO9,
  RU_PASSPORT, RU_SCHOLARLY, VOWEL_LETTERS, type LetterContext, type Position, type SystemRules,
} from './romanize-systems.js';

export type System =
  | 'be-passport'
  | 'be-national'
  | 'be-bgn'
  | 'be-lacinka'
  | 'be-polish'
  | 'ru-common'
  | 'ru-bgn'
  | 'ru-passport'
  | 'ru-scholarly'
  | 'ru-iso9'
  | 'ru-german';

const SYSTEMS: Readonly<Record<System, SystemRules>> = {
  'be-passport': BE_PASSPORT,
  'be-national': BE_NATIONAL,
  'be-bgn': BE_BGN,
  'be-lacinka': BE_LACINKA,
  'be-polish': BE_POLISH,
  'ru-common': RU_COMMON,
  'ru-bgn': RU_BGN,
  'ru-passport': RU_PASSPORT,
  'ru-scholarly': RU_SCHOLARLY,
  'ru-iso9': RU_ISO9,
  'ru-german': RU_GERMAN,
};

export const SYSTEM_NAMES: readonly System[] = Object.keys(SYSTEMS) as System[];

const SIGNS = new Set(['ь', 'ъ', "'", '’', 'ʼ']);
const IOTATED = new Set(['е', 'ё', 'ю', 'я']);

function positionAfter(prev: string): Position {
  if (prev === '') return 'initial';
  if (VOWEL_LETTERS.has(prev) || prev === 'ў') return 'afterVowel';
  if (SIGNS.has(prev)) return 'afterSign';
  return 'afterConsonant';
}

function letterToLatin(rules: SystemRules, letter: string, context: LetterContext): string {
  const special = rules.special?.(letter, context);
  if (special !== undefined) return special;
  if (IOTATED.has(letter)) {
    const iotated = rules.iotated?.(letter, context);
    if (iotated !== undefined) return iotated;
  }
  if (SIGNS.has(letter)) return rules.letters[letter] ?? '';
  return rules.letters[letter] ?? letter;
}

function applyCase(latin: string, original: string, wholeWordUpper: boolean): string {
  if (latin === '') return latin;
  if (wholeWordUpper) return latin.toUpperCase();
  if (original !== original.toLowerCase()) return latin.charAt(0).toUpperCase() + latin.slice(1);
  return latin;
}

function romanizeWord(word: string, rules: SystemRules): string {
  const letters = [...word];
  const lower = letters.map((l) => l.toLowerCase());
  const cased = letters.filter((l) => l.toLowerCase() !== l.toUpperCase());
  const wholeWordUpper = cased.length > 1 && cased.every((l) => l === l.toUpperCase());
  let out = '';
  lower.forEach((letter, i) => {
    const prev = lower[i - 1] ?? '';
    const next = lower[i + 1] ?? '';
    const context: LetterContext = { prev, next, position: positionAfter(prev), wordFinal: next === '' };
    out += applyCase(letterToLatin(rules, letter, context), letters[i] ?? '', wholeWordUpper);
  });
  return rules.word ? rules.word(out, lower.join('')) : out;
}

/**
 * Romanises Cyrillic text under one system. Latin and other characters pass through unchanged;
 * case is kept (a capitalised word stays capitalised, an upper-case word stays upper case).
 */
export function romanize(text: string, system: System): string {
  const rules = SYSTEMS[system];
  // Words are runs of Cyrillic letters and apostrophes; everything else is copied as is.
  return text.normalize('NFC').replace(/[\p{Script=Cyrillic}'’ʼ]+/gu, (word) => romanizeWord(word, rules));
}
