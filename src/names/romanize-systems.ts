// Letter tables and context rules of each romanisation system. The engine in romanize.ts walks a
// Cyrillic word letter by letter and asks the system for each letter given its neighbours.

/** Where an iotated vowel (е ё ю я) stands; most systems spell it differently by position. */
export type Position = 'initial' | 'afterVowel' | 'afterSign' | 'afterConsonant';

export interface LetterContext {
  /** Previous letter, lower case; '' at the start of the word. */
  readonly prev: string;
  /** Next letter, lower case; '' at the end of the word. */
  readonly next: string;
  readonly position: Position;
  readonly wordFinal: boolean;
}

export interface SystemRules {
  readonly letters: Readonly<Record<string, string>>;
  /** Spelling of е ё ю я in context; undefined falls back to `letters`. */
  readonly iotated?: (letter: string, context: LetterContext) => string | undefined;
  /** Other context rules (л, й, ь); undefined falls back to `letters`. */
  readonly special?: (letter: string, context: LetterContext) => string | undefined;
  /** Whole-word adjustments after letter mapping, given the Cyrillic word in lower case. */
  readonly word?: (latin: string, cyrillic: string) => string;
}

const IOTATED_BASE: Readonly<Record<string, string>> = { е: 'e', ё: 'o', ю: 'u', я: 'a' };

/** y-/j-/i- + vowel, e.g. iotated('j') gives я → ja. */
function glide(prefix: string, letter: string): string {
  return prefix + (IOTATED_BASE[letter] ?? '');
}

const COMMON_LETTERS: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', з: 'z', и: 'i', і: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', ы: 'y', э: 'e', ъ: '', ь: '',
};

const ENGLISH_CONSONANTS: Readonly<Record<string, string>> = {
  ж: 'zh', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
};

const CZECH_STYLE_CONSONANTS: Readonly<Record<string, string>> = {
  ж: 'ž', х: 'ch', ц: 'c', ч: 'č', ш: 'š', щ: 'šč', й: 'j',
};

const HUSHING = new Set(['ж', 'ч', 'ш', 'щ']);

// Soft sign after з л н с ц (and дз) written as an acute on the consonant (Belarusian 2007
// national system and Łacinka): зь → ź, нь → ń, сь → ś, ць → ć, ль → ĺ.
const ACUTE: Readonly<Record<string, string>> = { з: 'ź', л: 'ĺ', н: 'ń', с: 'ś', ц: 'ć' };

// ---- Russian -------------------------------------------------------------------------------

/**
 * English-language press usage (AP/Reuters style, close to BGN/PCGN without diacritics):
 * е → ye at the start and after vowels, ё → yo, -ий/-ый → -y, -ей/-ай → -ei/-ai,
 * "Алекс-" → "Alex-" and Александр → Alexander. Tikhanovskaya, Kolesnikova, Yevgeny, Sergei,
 * Dmitry, Pyotr.
 */
export const RU_COMMON: SystemRules = {
  letters: { ...COMMON_LETTERS, ...ENGLISH_CONSONANTS, й: 'y', е: 'e', ё: 'yo', ю: 'yu', я: 'ya' },
  iotated: (letter, { position, prev }) => {
    if (letter === 'е') return position === 'afterConsonant' ? 'e' : 'ye';
    if (letter === 'ё') return HUSHING.has(prev) ? 'o' : 'yo';
    if (letter === 'я' && prev === 'и') return 'a';
    return undefined;
  },
  special: (letter, { prev, wordFinal }) => {
    if (letter !== 'й' || !wordFinal) return undefined;
    if (prev === 'и' || prev === 'ы') return '';
    return prev === 'е' || prev === 'а' || prev === 'э' ? 'i' : 'y';
  },
  word: (latin, cyrillic) => {
    let out = latin;
    if (/^(ий|ый)$/.test(cyrillic.slice(-2))) out = out.replace(/i$|y$/, 'y');
    if (cyrillic.startsWith('алекс')) out = out.replace(/^([Aa])leks/, '$1lex').replace(/^ALEKS/, 'ALEX');
    if (cyrillic === 'александр') out = out.replace(/dr$/i, (m) => (m === 'DR' ? 'DER' : 'der'));
    return out;
  },
};

/**
 * BGN/PCGN 1947 for Russian: е → ye initially and after vowels, й, ъ, ь; ё → ë / yë; й → y;
 * ъ → ʺ; ь → ʹ. Gennadiy, Yevgeniy, Tikhanovskaya, Solovʹyëv.
 */
export const RU_BGN: SystemRules = {
  letters: { ...COMMON_LETTERS, ...ENGLISH_CONSONANTS, й: 'y', ъ: 'ʺ', ь: 'ʹ', е: 'e', ё: 'ë', ю: 'yu', я: 'ya' },
  iotated: (letter, { position, prev }) => {
    const iotating = position !== 'afterConsonant' || prev === 'й';
    if (letter === 'е') return iotating ? 'ye' : 'e';
    if (letter === 'ё') return iotating ? 'yë' : 'ë';
    return undefined;
  },
};

/**
 * Russian international passports since 2013 (FMS Order No. 320 = ICAO Doc 9303, part 3):
 * no context rules; е ё э → e, й → i, ъ → ie, ь dropped, ю → iu, я → ia.
 * Tikhanovskaia, Iuliia (Юлия).
 */
export const RU_PASSPORT: SystemRules = {
  letters: { ...COMMON_LETTERS, ...ENGLISH_CONSONANTS, е: 'e', ё: 'e', й: 'i', ъ: 'ie', ю: 'iu', я: 'ia' },
};

/**
 * Scholarly transliteration after ISO/R 9:1968 (х → ch): ж ž, ч č, ш š, щ šč, ц c, й j, ю ju,
 * я ja, ё ë, э ė, ь ʹ, ъ ʺ. Tichanovskaja, Žukov.
 */
export const RU_SCHOLARLY: SystemRules = {
  letters: { ...COMMON_LETTERS, ...CZECH_STYLE_CONSONANTS, е: 'e', ё: 'ë', э: 'ė', ь: 'ʹ', ъ: 'ʺ', ю: 'ju', я: 'ja' },
};

/**
 * ISO 9:1995 (= GOST 7.79-2000 system A), one Latin letter per Cyrillic letter:
 * х h, щ ŝ, ю û, я â, ё ë, э è, і ì, ў ǔ, ь ʹ, ъ ʺ. Žukov, Tihanovskaâ.
 */
export const RU_ISO9: SystemRules = {
  letters: {
    ...COMMON_LETTERS, ...CZECH_STYLE_CONSONANTS, х: 'h', щ: 'ŝ', е: 'e', ё: 'ë', э: 'è', ю: 'û', я: 'â',
    ь: 'ʹ', ъ: 'ʺ', і: 'ì', ў: 'ǔ', ґ: 'g̀',
  },
};

/**
 * German (Duden): в → w, ж → sch, з → s, с → ss between vowels, х → ch, ц → z, ч → tsch,
 * ш → sch, щ → schtsch, е → je initially and after vowels and signs, ё → jo (o after hushing),
 * -ий → -i. Tichanowskaja, Schukow, Jewgeni, Solowjow.
 */
export const RU_GERMAN: SystemRules = {
  letters: {
    ...COMMON_LETTERS, в: 'w', ж: 'sch', з: 's', х: 'ch', ц: 'z', ч: 'tsch', ш: 'sch', щ: 'schtsch',
    й: 'i', е: 'e', ё: 'jo', ю: 'ju', я: 'ja',
  },
  iotated: (letter, { position, prev }) => {
    if (letter === 'е') return position === 'afterConsonant' ? 'e' : 'je';
    if (letter === 'ё') return HUSHING.has(prev) ? 'o' : 'jo';
    return undefined;
  },
  special: (letter, { prev, next, wordFinal }) => {
    if (letter === 'с' && VOWEL_LETTERS.has(prev) && VOWEL_LETTERS.has(next)) return 'ss';
    if (letter === 'й' && wordFinal && (prev === 'и' || prev === 'ы')) return '';
    return undefined;
  },
};

export const VOWEL_LETTERS = new Set(['а', 'е', 'ё', 'и', 'і', 'о', 'у', 'ы', 'э', 'ю', 'я']);

// ---- Belarusian ----------------------------------------------------------------------------

const BE_LETTERS: Readonly<Record<string, string>> = { ...COMMON_LETTERS, г: 'h', ґ: 'g' };

/**
 * Belarusian passports (MVD Instruction of 9 Oct 2008 No. 288 with the 2010 change г → h), in
 * ICAO-style letters: ж zh, х kh, ц ts, ч ch, ш sh, ў u, й i, ь and ' dropped; е ё ю я → ie io iu
 * ia after consonants and after ы/і, ye yo yu ya at word start and after other vowels and ў.
 * Tsikhanouskaya, Salauyou, Zmitsier, Maryia, Sviatlana, Aliaksandr. (Some passports leave out
 * the i after consonants, e.g. Kalesnikava; the matcher treats both the same.)
 */
export const BE_PASSPORT: SystemRules = {
  letters: { ...BE_LETTERS, ...ENGLISH_CONSONANTS, ў: 'u', й: 'i', е: 'ie', ё: 'io', ю: 'iu', я: 'ia' },
  iotated: (letter, { position, prev }) => {
    if (position === 'afterConsonant' || prev === 'ы' || prev === 'і') return glide('i', letter);
    return glide('y', letter);
  },
  special: (letter, { prev, wordFinal }) =>
    letter === 'й' && wordFinal && (prev === 'ы' || prev === 'і') ? '' : undefined,
};

/**
 * Belarusian national system (2007, adopted by UNGEGN 2013): г h, х ch, ц c, ч č, ш š, ж ž, ў ŭ,
 * й j; е ё ю я → ie io iu ia after consonants, je jo ju ja elsewhere; ь after з л н с ц → acute
 * (ź ĺ ń ś ć). Homieĺ, Mahilioŭ, Viciebsk, Cichanoŭskaja.
 */
export const BE_NATIONAL: SystemRules = {
  letters: { ...BE_LETTERS, ...CZECH_STYLE_CONSONANTS, ў: 'ŭ', е: 'je', ё: 'jo', ю: 'ju', я: 'ja' },
  iotated: (letter, { position }) => glide(position === 'afterConsonant' ? 'i' : 'j', letter),
  special: (letter, { next }) => (next === 'ь' ? ACUTE[letter] : undefined),
};

/**
 * BGN/PCGN 1979 for Belarusian: г h, ў w, й y, е ё ю я → ye yo yu ya everywhere, ь ʹ, ' ʺ,
 * х kh, ц ts, ч ch, ш sh, ж zh. Alyaksandr Lukashenka, Mahilyow, Tsikhanowskaya.
 */
export const BE_BGN: SystemRules = {
  letters: { ...BE_LETTERS, ...ENGLISH_CONSONANTS, ў: 'w', й: 'y', ь: 'ʹ', "'": 'ʺ', е: 'ye', ё: 'yo', ю: 'yu', я: 'ya' },
};

// In Łacinka and Polish, л is ł unless softened by a following е ё і ю я ь, and no i is written
// after a soft l: Kalesnikava, Biełaruś, Łukašenka, Lavon.
function lacinkaL(letter: string, next: string): string | undefined {
  if (letter !== 'л') return undefined;
  return ['е', 'ё', 'і', 'ю', 'я', 'ь'].includes(next) ? 'l' : 'ł';
}

function lacinkaIotated(letter: string, { position, prev }: LetterContext): string {
  if (prev === 'л') return IOTATED_BASE[letter] ?? '';
  return glide(position === 'afterConsonant' ? 'i' : 'j', letter);
}

/**
 * Classical Belarusian Łacinka: ł / l, č š ž c ch, ŭ, j; е ё ю я → ie io iu ia after consonants
 * (e, o, u, a after l), je jo ju ja elsewhere; зь нь сь ць → ź ń ś ć, ль → l.
 * Biełaruś, Łukašenka, Kalesnikava, Cichanoŭskaja.
 */
export const BE_LACINKA: SystemRules = {
  letters: { ...BE_LETTERS, ...CZECH_STYLE_CONSONANTS, ў: 'ŭ', е: 'je', ё: 'jo', ю: 'ju', я: 'ja' },
  iotated: lacinkaIotated,
  special: (letter, { next }) => lacinkaL(letter, next) ?? (next === 'ь' && letter !== 'л' ? ACUTE[letter] : undefined),
};

/**
 * Polish spelling of Belarusian names (Polish press): в w, ж ż, ч cz, ш sz, шч szcz, х ch, ц c,
 * ў u, й j, ł / l as in Łacinka, ie ia iu io after consonants, зь нь сь ць → ź ń ś ć; the
 * adjectival feminine -ская/-цкая is given the Polish form -ska/-cka.
 * Kalesnikawa, Cichanouska, Łukaszenka, Siankiewicz.
 */
export const BE_POLISH: SystemRules = {
  letters: {
    ...BE_LETTERS, в: 'w', ж: 'ż', х: 'ch', ц: 'c', ч: 'cz', ш: 'sz', щ: 'szcz', ў: 'u', й: 'j',
    е: 'je', ё: 'jo', ю: 'ju', я: 'ja',
  },
  iotated: lacinkaIotated,
  special: (letter, { next }) => lacinkaL(letter, next) ?? (next === 'ь' && letter !== 'л' ? ACUTE[letter] : undefined),
  word: (latin, cyrillic) => (/[сцз]кая$/.test(cyrillic) ? latin.replace(/ja$/i, '') : latin),
};
