/**
 * The forms of a name in the other scripts and language, offered while a documenter types one in: the
 * Latin spellings under the systems people meet (passport, the press), and the Belarusian form of a
 * Russian name or the Russian form of a Belarusian one. Given names come from the equivalents table
 * (exact); family names and patronymics are converted letter by letter with the regular be/ru
 * correspondences, which cannot know the stress (akanne: Колесникова → Калеснікава), so those forms are
 * marked "probable" for a person to check, never stored without being confirmed.
 */
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, type GivenNameEntry } from './given-names-data.js';
import { romanize, type System } from './romanize.js';

export interface TypedName {
  family?: string | null;
  given?: string | null;
  patronymic?: string | null;
  lang?: string | null;
}

export interface SuggestedName {
  lang: 'be' | 'ru' | 'en';
  script: 'Cyrl' | 'Latn';
  romanization: System | null;
  family: string | null;
  given: string | null;
  patronymic: string | null;
  /** 'rule': a transliteration or a table entry; 'probable': a be/ru conversion that a person must check. */
  certainty: 'rule' | 'probable';
}

const CYRILLIC = /\p{Script=Cyrillic}/u;
const BELARUSIAN_LETTERS = /[іўІЎ’ʼ']/;
const RUSSIAN_LETTERS = /[иъщИЪЩ]/;

/** be or ru, from the letters when they tell, otherwise from what the documenter chose. */
export function cyrillicLanguage(name: TypedName): 'be' | 'ru' | null {
  const text = [name.family, name.given, name.patronymic].filter(Boolean).join(' ');
  if (!CYRILLIC.test(text)) return null;
  if (BELARUSIAN_LETTERS.test(text)) return 'be';
  if (RUSSIAN_LETTERS.test(text)) return 'ru';
  return name.lang === 'be' || name.lang === 'ru' ? name.lang : null;
}

const ENTRIES: readonly GivenNameEntry[] = [...MALE_GIVEN_NAMES, ...FEMALE_GIVEN_NAMES];

/** The given name's full form in the other language, from the equivalents table (null when not listed). */
export function equivalentGivenName(given: string, from: 'be' | 'ru'): string | null {
  const wanted = given.trim().toLowerCase();
  const entry = ENTRIES.find((e) => e[from].some((form) => form.toLowerCase() === wanted));
  if (!entry) return null;
  const other = from === 'be' ? entry.ru : entry.be;
  return other[0] ?? null;
}

const SOFT_AFTER = 'еёиюяь';
const VOWELS = 'аеёиоуыэюяі';

function keepCase(original: string, converted: string): string {
  if (original === original.toUpperCase() && original.length > 1) return converted.toUpperCase();
  return original[0] === original[0]?.toUpperCase() ? converted.charAt(0).toUpperCase() + converted.slice(1) : converted;
}

/** Russian → Belarusian spelling by the regular correspondences (no stress, so no akanne). */
export function russianToBelarusian(word: string): string {
  const lower = word.toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const letter = lower[i]!;
    const next = lower[i + 1] ?? '';
    const prev = lower[i - 1] ?? '';
    if (letter === 'т' && SOFT_AFTER.includes(next)) out += 'ц';
    else if (letter === 'д' && SOFT_AFTER.includes(next)) out += 'дз';
    else if (letter === 'в' && VOWELS.includes(prev) && (next === '' || !VOWELS.includes(next))) out += 'ў';
    else if (letter === 'щ') out += 'шч';
    else if (letter === 'ъ') out += '’';
    else if (letter === 'и') out += 'жшчрц'.includes(prev) ? 'ы' : 'і';
    else if (letter === 'е' && 'жшчрц'.includes(prev)) out += 'э';
    else if (letter === 'ё' && 'жшчрц'.includes(prev)) out += 'о';
    else if (letter === 'ь' && 'жшчрц'.includes(prev)) out += '';
    else out += letter;
  }
  out = out
    .replace(/(с|ц)кій$/u, '$1кі')
    .replace(/ій$/u, 'і')
    .replace(/ый$/u, 'ы');
  return keepCase(word, out);
}

/** Belarusian → Russian spelling by the regular correspondences (ц/дз before soft vowels stay ambiguous). */
export function belarusianToRussian(word: string): string {
  let out = word.toLowerCase()
    .replace(/шч/gu, 'щ')
    .replace(/[’ʼ']/gu, 'ъ')
    .replace(/ў/gu, 'в')
    .replace(/і/gu, 'и')
    .replace(/дз(?=[еёиюяь])/gu, 'д')
    .replace(/ц(?=[еёиюяь])/gu, 'т')
    .replace(/(с|ц)ки$/u, '$1кий');
  out = out.replace(/([жшчц])э/gu, '$1е');
  return keepCase(word, out);
}

const LATIN_SYSTEMS: Record<'be' | 'ru', readonly System[]> = { be: ['be-passport', 'be-national'], ru: ['ru-common', 'ru-passport'] };

/** The other forms of a typed name: Latin spellings, and the other Cyrillic language's form. */
export function suggestOtherForms(name: TypedName): SuggestedName[] {
  const lang = cyrillicLanguage(name);
  if (!lang) return [];
  const part = (value: string | null | undefined, convert: (word: string) => string) =>
    value && value.trim() ? value.trim().split(/(\s+|-)/u).map((piece) => (/^\s+$|^-$/u.test(piece) ? piece : convert(piece))).join('') : null;
  const suggestions: SuggestedName[] = [];
  const seen = new Set<string>();
  const add = (suggestion: SuggestedName) => {
    const key = `${suggestion.lang}|${suggestion.family}|${suggestion.given}|${suggestion.patronymic}`;
    if (seen.has(key) || (!suggestion.family && !suggestion.given)) return;
    seen.add(key);
    suggestions.push(suggestion);
  };
  for (const system of LATIN_SYSTEMS[lang]) {
    add({
      lang: 'en', script: 'Latn', romanization: system, certainty: 'rule',
      family: part(name.family, (w) => romanize(w, system)), given: part(name.given, (w) => romanize(w, system)), patronymic: null,
    });
  }
  const other = lang === 'ru' ? 'be' : 'ru';
  const convert = lang === 'ru' ? russianToBelarusian : belarusianToRussian;
  const given = name.given?.trim() ? equivalentGivenName(name.given, lang) : null;
  add({
    lang: other, script: 'Cyrl', romanization: null, certainty: 'probable',
    family: part(name.family, convert), given: given ?? part(name.given, convert), patronymic: part(name.patronymic, convert),
  });
  return suggestions;
}
