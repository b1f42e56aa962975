/**
 * Which of a person's (public) name variants a page shows in each language: the Belarusian form on
 * Belarusian pages, the Russian form on Russian pages, a Latin form on English pages — romanised from
 * the Belarusian passport system when no Latin form was recorded. Falls back to any variant.
 */
import { romanize } from '../../names/index.js';
import type { NameVariant } from '../../store/person.repository.js';

export type SiteLang = 'be' | 'ru' | 'en';

export interface ShownName {
  text: string;
  /** Sort key: family name first. */
  sortKey: string;
  /** The language the name is written in, when known (for the HTML lang attribute). */
  lang: string | null;
}

type Variant = Pick<NameVariant, 'family' | 'given' | 'patronymic' | 'full_name' | 'lang' | 'script'>;

const join = (...parts: (string | null | undefined)[]) => parts.filter((part) => part && part.trim()).join(' ');

function cyrillicName(variant: Variant): ShownName {
  const text = variant.family || variant.given ? join(variant.family, variant.given, variant.patronymic) : (variant.full_name ?? '');
  return { text, sortKey: text, lang: variant.lang };
}

function latinName(variant: Variant): ShownName {
  const text = variant.full_name ?? join(variant.given, variant.family);
  return { text, sortKey: join(variant.family, variant.given) || text, lang: 'en' };
}

export function nameFor(lang: SiteLang, names: readonly Variant[]): ShownName {
  const of = (code: string) => names.find((name) => name.lang === code && name.script === 'Cyrl');
  const latin = names.find((name) => name.script === 'Latn');
  if (lang === 'be' || lang === 'ru') {
    const own = of(lang) ?? of(lang === 'be' ? 'ru' : 'be');
    if (own) return cyrillicName(own);
  }
  if (lang === 'en' && latin) return latinName(latin);
  if (lang === 'en') {
    const cyrillic = of('be') ?? of('ru');
    if (cyrillic) {
      const system = cyrillic.lang === 'ru' ? 'ru-passport' : 'be-passport';
      const r = (part: string | null) => (part ? romanize(part, system) : null);
      return latinName({ family: r(cyrillic.family), given: r(cyrillic.given), patronymic: null, full_name: cyrillic.family || cyrillic.given ? null : r(cyrillic.full_name), lang: null, script: 'Latn' });
    }
  }
  const any = latin ?? names[0];
  if (!any) return { text: '', sortKey: '', lang: null };
  return any.script === 'Latn' ? latinName(any) : cyrillicName(any);
}
