/**
 * The regions of Belarus (six oblasts and the city of Minsk) in the site's three languages. The data
 * stores regions as typed text ("Minsk city", "Gomel region") and imports bring other spellings
 * ("Homiel", "Гродненская обл.", "Mahilioŭ voblasć"): `regionKey` sees through them so lists can be
 * filtered and grouped by region, and `regionLabel` shows the region in the page's language, or the
 * stored text as it is when it names no region we know.
 */
import type { Lang } from './i18n.js';

export const REGION_KEYS = ['minsk_city', 'minsk', 'brest', 'gomel', 'grodno', 'mogilev', 'vitebsk'] as const;
export type RegionKey = (typeof REGION_KEYS)[number];

const LABELS: Record<Lang, Record<RegionKey, string>> = {
  en: {
    minsk_city: 'Minsk (city)', minsk: 'Minsk Region', brest: 'Brest Region', gomel: 'Gomel Region',
    grodno: 'Grodno Region', mogilev: 'Mogilev Region', vitebsk: 'Vitebsk Region',
  },
  be: {
    minsk_city: 'Мінск', minsk: 'Мінская вобласць', brest: 'Брэсцкая вобласць', gomel: 'Гомельская вобласць',
    grodno: 'Гродзенская вобласць', mogilev: 'Магілёўская вобласць', vitebsk: 'Віцебская вобласць',
  },
  ru: {
    minsk_city: 'Минск', minsk: 'Минская область', brest: 'Брестская область', gomel: 'Гомельская область',
    grodno: 'Гродненская область', mogilev: 'Могилёвская область', vitebsk: 'Витебская область',
  },
};

/**
 * Word beginnings of each region's name in the spellings people use: English, Belarusian (Cyrillic,
 * Łacinka, BGN and passport romanisations), Russian (Cyrillic and its romanisations) and Polish.
 * Matched against words after lower-casing and removing diacritics, so "Mahilioŭ" is "mahiliou".
 */
const STEMS: Record<Exclude<RegionKey, 'minsk_city'>, readonly string[]> = {
  minsk: ['minsk', 'miensk', 'мінск', 'минск', 'менск'],
  brest: ['brest', 'bresc', 'brzesc', 'bierasc', 'брэст', 'брэсц', 'брест', 'берасц'],
  gomel: ['gomel', 'homel', 'homiel', 'homyel', 'гомел'],
  grodno: ['grodn', 'grodz', 'hrodn', 'hrodz', 'harodn', 'гродн', 'гродз', 'гародн'],
  mogilev: ['mogil', 'mahil', 'mohil', 'mohyl', 'magil', 'могил', 'магіл', 'магил'],
  vitebsk: ['viteb', 'vicieb', 'vitseb', 'vitsyeb', 'vitsieb', 'witeb', 'wiceb', 'витеб', 'віцеб'],
};

/** Words that say "region" (so "Minsk" alone is the city, "Minsk region" the oblast around it). */
const REGION_WORDS = new Set(['region', 'oblast', 'obl', 'voblast', 'voblasts', 'voblasc', 'vobl', 'wojewodztwo', 'область', 'обл', 'вобласць', 'вобл']);

/** Adjective forms that make "Minsk" the region on their own: "Минская", "Мінская", "Minskaya", "Minskaja". */
const REGION_ADJECTIVE = /^(?:minsk|miensk|мінск|минск|менск)(?:aya|aja|aia|ij|iy|ii|ie|i|y|ая|ий)$/;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ł/g, 'l')
    .replace(/ё/g, 'е')
    .normalize('NFD')
    // Belarusian ў and Russian й are letters of their own, not u and и with an accent.
    .replace(/у\u0306/g, 'ў')
    .replace(/и\u0306/g, 'й')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The region a stored text names, or null when it names none we know. */
export function regionKey(text: string | null | undefined): RegionKey | null {
  if (!text) return null;
  const parts = words(text);
  const names = (key: keyof typeof STEMS) => parts.some((word) => STEMS[key].some((stem) => word.startsWith(stem)));
  for (const key of ['brest', 'gomel', 'grodno', 'mogilev', 'vitebsk'] as const) if (names(key)) return key;
  if (!names('minsk')) return null;
  return parts.some((word) => REGION_WORDS.has(word) || REGION_ADJECTIVE.test(word)) ? 'minsk' : 'minsk_city';
}

/** The region's name in the language, or the stored text itself when it names no known region. */
export function regionLabel(lang: Lang, region: string | null | undefined): string {
  const key = regionKey(region);
  return key ? LABELS[lang][key] : (region ?? '');
}

/** A region's name by key (for filters that list every region). */
export function regionName(lang: Lang, key: RegionKey): string {
  return LABELS[lang][key];
}
