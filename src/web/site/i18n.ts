/**
 * The site's three languages. Texts live in message sets beside the pages that use them; every set
 * has all three languages (the type demands every key, a test checks plural forms and placeholders).
 * Plural forms follow CLDR through Intl.PluralRules (be/ru: one, few, many; en: one, other); dates
 * and numbers follow the language's conventions through Intl.
 */
import { isValidPartialDate } from '../../domain/partial-date.js';

export const LANGS = ['be', 'ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'be';

export const LANG_NAMES: Record<Lang, string> = { be: 'Беларуская', ru: 'Русский', en: 'English' };

export interface PluralText {
  one: string;
  few?: string;
  many?: string;
  other: string;
}
export type Text = string | PluralText;

export interface Messages<K extends string> {
  readonly name: string;
  readonly texts: Record<Lang, Record<K, Text>>;
}

const registry: Messages<string>[] = [];

/** A message set: English is the reference, Belarusian and Russian must have the same keys. */
export function messages<K extends string>(name: string, texts: { en: Record<K, Text>; be: Record<K, Text>; ru: Record<K, Text> }): Messages<K> {
  const set = { name, texts };
  registry.push(set as Messages<string>);
  return set;
}

/** Every message set loaded so far (for the completeness test). */
export function allMessages(): readonly Messages<string>[] {
  return registry;
}

export type Params = Record<string, string | number>;

const pluralRules = new Map<Lang, Intl.PluralRules>();
const numberFormats = new Map<Lang, Intl.NumberFormat>();

function plural(lang: Lang): Intl.PluralRules {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules;
}

export function formatNumber(lang: Lang, n: number): string {
  let format = numberFormats.get(lang);
  if (!format) numberFormats.set(lang, (format = new Intl.NumberFormat(lang)));
  return format.format(n);
}

/** The text for a key in a language, with {placeholders} filled; plural texts choose by `n`. */
export function say<K extends string>(lang: Lang, set: Messages<K>, key: K, params: Params = {}): string {
  const text = set.texts[lang][key];
  let chosen: string;
  if (typeof text === 'string') chosen = text;
  else {
    const n = params.n;
    if (typeof n !== 'number') throw new Error(`message ${set.name}.${key} is a plural text and needs a number n`);
    const category = plural(lang).select(n) as keyof PluralText;
    chosen = text[category] ?? text.other;
  }
  return chosen.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(lang, value) : value;
  });
}

/** The language a request asks for: ?lang= first, then the browser's Accept-Language, then Belarusian. */
export function pickLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query && (LANGS as readonly string[]).includes(query)) return query as Lang;
  if (acceptLanguage) {
    const wanted = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag, ...rest] = part.trim().split(';');
        const q = rest.find((p) => p.trim().startsWith('q='));
        return { lang: tag!.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
      })
      .filter((entry) => entry.q > 0)
      .sort((a, b) => b.q - a.q);
    for (const entry of wanted) if ((LANGS as readonly string[]).includes(entry.lang)) return entry.lang as Lang;
  }
  return DEFAULT_LANG;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(lang: Lang, precision: 'year' | 'month' | 'day'): Intl.DateTimeFormat {
  const key = `${lang}:${precision}`;
  let format = dateFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      precision === 'day' ? { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }
      : precision === 'month' ? { year: 'numeric', month: 'long', timeZone: 'UTC' }
      : { year: 'numeric', timeZone: 'UTC' };
    dateFormats.set(key, (format = new Intl.DateTimeFormat(lang, options)));
  }
  return format;
}

/** A partial date (YYYY, YYYY-MM, YYYY-MM-DD) written the way the language writes it, no more precise than known. */
export function formatDate(lang: Lang, date: string | null | undefined): string {
  if (!date || !isValidPartialDate(date)) return date ?? '';
  const precision = date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day';
  const [y, m = '01', d = '01'] = date.split('-');
  return dateFormat(lang, precision).format(new Date(Date.UTC(Number(y), Number(m) - 1, Number(d))));
}

const regionNames = new Map<Lang, Intl.DisplayNames>();

/** A country's name (ISO 3166 alpha-2) in the language. */
export function countryName(lang: Lang, code: string | null | undefined): string {
  if (!code) return '';
  let names = regionNames.get(lang);
  if (!names) regionNames.set(lang, (names = new Intl.DisplayNames(lang, { type: 'region' })));
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
