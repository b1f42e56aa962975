// Phonetic keys: one coarse spelling-independent skeleton per name token, so that
// Тихановская, Ціханоўская, Tikhanovskaya, Tsikhanouskaya, Cichanoŭskaja and Tichanowskaja
// all become the same string.
//
// Two stages:
//  1. Spelling → phonemes. Cyrillic is read letter by letter (unambiguous). Latin is read under
//     one or more "readings" because the same letters mean different sounds in different
//     romanisations ("ch" is ч in English but х in Polish, German, Łacinka and scholarly systems;
//     "z" is з everywhere except German, where it is ц).
//  2. Phonemes → key. Rules that erase the differences between Belarusian and Russian spelling
//     and between romanisations: softness is dropped, unstressed-vowel spelling (akanne, yakanne)
//     is merged, ў/в/u at syllable end are merged, ц/т and дз/д are merged (ciekanne, dziekanne),
//     double letters collapse and the adjectival endings -ский/-скі/-ski/-sky… meet.
//
// Phoneme alphabet (one character per sound, uppercase for hushing sounds):
//   vowels a e i o u, glides j (й, iotation) and w (ў, non-syllabic u);
//   consonants b v g d z k l m n p r s t f x(х) c(ц) Z(ж) S(ш) C(ч).
//   г/ґ/h are all g: Belarusian г is romanised h, Russian г is g.

const CYRILLIC_PHONEMES: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'je', ё: 'jo', є: 'je', ж: 'Z', з: 'z',
  и: 'i', і: 'i', ї: 'ji', й: 'j', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ў: 'w', ф: 'f', х: 'x', ц: 'c', ч: 'C', ш: 'S', щ: 'SC', ъ: '',
  ы: 'i', ь: '', э: 'e', ю: 'ju', я: 'ja',
};

/** The ways a Latin spelling can be read; each gives its own phonemes and so its own key. */
export type LatinReading = 'english' | 'slavic' | 'german';
export const LATIN_READINGS: readonly LatinReading[] = ['english', 'slavic', 'german'];

// Letters with diacritics are unambiguous whatever the system, so they are resolved first.
const DIACRITIC_PHONEMES: Readonly<Record<string, string>> = {
  č: 'C', ć: 'c', š: 'S', ś: 's', ŝ: 'SC', ž: 'Z', ź: 'z', ż: 'Z', ŭ: 'w', ǔ: 'w', ł: 'l', ĺ: 'l',
  ľ: 'l', ń: 'n', ň: 'n', ë: 'jo', â: 'ja', û: 'ju', è: 'e', é: 'e', ė: 'e', ê: 'e', ě: 'e',
  ì: 'i', í: 'i', î: 'i', ý: 'y', ó: 'o', ò: 'o', ô: 'o', ö: 'o', ü: 'u', ú: 'u', ù: 'u',
  ä: 'a', á: 'a', à: 'a', ą: 'o', ę: 'e', ř: 'rZ', ß: 's', ǵ: 'g',
};

// Multi-letter Latin sequences, longest first. Shared entries mean the same in every system
// that uses them (no system uses "zh" for anything but ж).
const SHARED_SEQUENCES: ReadonlyArray<readonly [string, string]> = [
  ['schtsch', 'SC'], ['shtch', 'SC'], ['shch', 'SC'], ['szcz', 'SC'], ['tsch', 'C'],
  ['dzh', 'dZ'], ['sch', 'S'], ['zh', 'Z'], ['kh', 'x'], ['sh', 'S'], ['cz', 'C'], ['sz', 'S'],
  ['ts', 'c'], ['tz', 'c'], ['ph', 'f'], ['th', 't'], ['gh', 'g'], ['x', 'ks'], ['q', 'k'],
  ['w', 'v'], ['h', 'g'],
];

const READING_SEQUENCES: Readonly<Record<LatinReading, ReadonlyArray<readonly [string, string]>>> = {
  // English-language press, passports, BGN/PCGN, ICAO: ch = ч, c alone = k (Victor, Nicolai).
  english: [['ch', 'C'], ['ck', 'k'], ['c', 'k']],
  // Łacinka, Belarusian national 2007, Polish, scholarly and ISO: ch = х, c = ц.
  slavic: [['ch', 'x'], ['c', 'c']],
  // German (Duden): ch = х, z = ц, ck = k.
  german: [['ch', 'x'], ['ck', 'k'], ['c', 'k'], ['z', 'c']],
};

const VOWELS = 'aeiouy';

/** Lower-cases and strips everything that is not a letter of the name. */
function cleanToken(token: string): string {
  return token.normalize('NFC').toLowerCase().replace(/[^\p{L}]/gu, '');
}

function isCyrillic(token: string): boolean {
  return /\p{Script=Cyrillic}/u.test(token);
}

function cyrillicPhonemes(token: string): string {
  let out = '';
  for (const letter of token) out += CYRILLIC_PHONEMES[letter] ?? latinLetterPhonemes(letter);
  return out;
}

// Latin letters that show up inside Cyrillic input (typing mistakes) are read as slavic Latin.
function latinLetterPhonemes(letter: string): string {
  return DIACRITIC_PHONEMES[letter] ?? (/[a-z]/.test(letter) ? letter : '');
}

// Longest sequence first, so "shch" wins over "sh" and "tsch" over "ts".
function sequencesFor(reading: LatinReading): ReadonlyArray<readonly [string, string]> {
  return [...SHARED_SEQUENCES, ...READING_SEQUENCES[reading]].sort((a, b) => b[0].length - a[0].length);
}

const SEQUENCES_BY_READING: Readonly<Record<LatinReading, ReadonlyArray<readonly [string, string]>>> = {
  english: sequencesFor('english'),
  slavic: sequencesFor('slavic'),
  german: sequencesFor('german'),
};

function latinPhonemes(token: string, reading: LatinReading): string {
  const sequences = SEQUENCES_BY_READING[reading];
  let raw = '';
  for (let i = 0; i < token.length; ) {
    const match = sequences.find(([latin]) => token.startsWith(latin, i));
    if (match) {
      raw += match[1];
      i += match[0].length;
      continue;
    }
    const letter = token[i] ?? '';
    raw += DIACRITIC_PHONEMES[letter] ?? letter;
    i += 1;
  }
  return resolveLatinGlides(raw);
}

// In Latin spellings y, i and u change role by position: "i" before a vowel marks softness or
// iotation (Siankievich, Iauhien); "y" is ы after a consonant but й next to a vowel (Sergey,
// Tsikhanouskaya); a final "i" after a vowel is й (Sergei, Andrei); "u" after a vowel is ў in
// Belarusian romanisations (Paulouski, Salauyou).
function resolveLatinGlides(raw: string): string {
  const chars = [...raw];
  const at = (k: number): string => chars[k] ?? '#';
  const isVowel = (letter: string): boolean => VOWELS.includes(letter);
  for (let k = 0; k < chars.length; k++) {
    if (chars[k] === 'i' && 'aeou'.includes(at(k + 1))) chars[k] = 'j';
    else if (chars[k] === 'i' && k === chars.length - 1 && k > 0 && isVowel(at(k - 1))) chars[k] = 'j';
  }
  for (let k = 0; k < chars.length; k++) {
    if (chars[k] !== 'y') continue;
    const nextToVowel = isVowel(at(k + 1)) || (k > 0 && isVowel(at(k - 1)));
    chars[k] = k === 0 || nextToVowel ? 'j' : 'i';
  }
  for (let k = 1; k < chars.length; k++) {
    if (chars[k] === 'u' && 'aeio'.includes(at(k - 1))) chars[k] = 'w';
  }
  return chars.join('');
}

const CONSONANT = '[bvgdzZklmnprsStfxcC]';

// Ordered rewrite rules from phonemes to the comparison key. Each line names the spelling
// difference it erases.
const SOFTNESS_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // i before a vowel is a softness or iotation mark: Siankievich, Maria/Мария, Iauhien, Ilia.
  [/i+j?(?=[aeou])/g, 'j'],
  // Softness after a consonant is not written in most English spellings: Сянкевіч = Senkevich.
  [new RegExp(`(${CONSONANT})j+`, 'g'), '$1'],
  // ў before a vowel is pronounced v (Салаўёў = Соловьёв), and syllable-final в/ў/u meet:
  // Паўлоўскі = Павловский = Paulouski, -ov = -au = -ow.
  [/w(?=j?[aeiou])/g, 'v'],
  [/([aeiou])[vw](?![aeiouj])/g, '$1u'],
  [/w/g, 'u'],
  [new RegExp(`(${CONSONANT})j+`, 'g'), '$1'],
  // Iotation before e and i is not written in many systems: Егор = Egor, Евгений = Evgeny.
  [/j+(?=[ei])/g, ''],
];

// Merges that make Belarusian and Russian forms meet; left out of the fine key.
const MERGE_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // Akanne and yakanne: Belarusian writes unstressed о and е as а and я (Калеснікава,
  // Сянкевіч), so o, e and a are one vowel class.
  [/[oe]/g, 'a'],
  // Dziekanne and ciekanne: Belarusian дз and ц stand for Russian д and т (Дзмітрый, Ціханоўская).
  [/dz/g, 'd'],
  [/c/g, 't'],
];

const ENDING_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // Adjectival endings: -ский -скі -sky -skiy -skii and -ская -skaya -ska.
  [/ij$/g, 'i'],
  [new RegExp(`(${CONSONANT})aja$`), '$1a'],
  // -off in older English spellings of -ов.
  [/([aiu])f+$/g, '$1u'],
  // Double consonants: Кирилл = Кірыл, Геннадий = Генадзь, Natallia. Vowels are kept apart:
  // "aa" from Леонов (Leo-) must stay close to Belarusian Лявонаў (Lyavo-).
  [new RegExp(`(${CONSONANT})\\1+`, 'g'), '$1'],
  [/([iu])\1+/g, '$1'],
];

const KEY_RULES = [...SOFTNESS_RULES, ...MERGE_RULES, ...ENDING_RULES];
// The fine key keeps vowels and дз/ц apart: it tells Дзмітрый from Дмитрий when both match a
// query under the coarse key, so the spelling closest to the query can rank first.
const FINE_KEY_RULES = [...SOFTNESS_RULES, ...ENDING_RULES];

function applyRules(phonemes: string, rules: ReadonlyArray<readonly [RegExp, string]>): string {
  let key = phonemes;
  for (const [pattern, replacement] of rules) key = key.replace(pattern, replacement);
  return key;
}

function phonemesToKey(phonemes: string): string {
  return applyRules(phonemes, KEY_RULES);
}

/**
 * Every plausible key of one name token: one for Cyrillic, one per distinct Latin reading.
 * Returns an empty array for tokens without letters.
 */
export function tokenKeys(token: string): string[] {
  const clean = cleanToken(token);
  if (clean === '') return [];
  if (isCyrillic(clean)) return [phonemesToKey(cyrillicPhonemes(clean))];
  const keys = new Set<string>();
  for (const reading of LATIN_READINGS) keys.add(phonemesToKey(latinPhonemes(clean, reading)));
  keys.delete('');
  return [...keys];
}

/** Keys that keep vowels and дз/ц distinct, for ranking among people whose coarse keys tie. */
export function fineKeys(token: string): string[] {
  const clean = cleanToken(token);
  if (clean === '') return [];
  if (isCyrillic(clean)) return [applyRules(cyrillicPhonemes(clean), FINE_KEY_RULES)];
  const keys = new Set(LATIN_READINGS.map((reading) => applyRules(latinPhonemes(clean, reading), FINE_KEY_RULES)));
  keys.delete('');
  return [...keys];
}

/** The single most likely key of a token (the English reading for Latin). */
export function primaryKey(token: string): string {
  return tokenKeys(token)[0] ?? '';
}

/** Splits a whole name into word tokens (spaces, commas, hyphens, dots, slashes). */
export function splitName(text: string): string[] {
  return text
    .split(/[\s,;/()\-\u2010-\u2015.]+/u)
    .map((part) => part.replace(/^['’ʼ"`]+|['’ʼ"`]+$/gu, ''))
    .filter((part) => /\p{L}/u.test(part));
}

/** A key for a whole name: token keys sorted, so word order does not matter. */
export function nameKey(text: string): string {
  return splitName(text)
    .map(primaryKey)
    .filter((key) => key !== '')
    .sort()
    .join(' ');
}
