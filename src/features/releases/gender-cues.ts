/**
 * What the words of a list line say about whether it names a man or a woman. East Slavic names carry
 * it: given names (Ганна, Генадзь), women's patronymics (-аўна, -овна) and the inflected family names
 * (Паўлоўская / Паўлоўскі, Казлова / Казлоў). The name engine compares spellings and may score a
 * man's name close to a woman's ("Ганна" keys like "Гена"); a list line that says "woman" must not be
 * taken as a man, nor a line that says both. Pure: no I/O.
 *
 * Only unambiguous cues count. Family names in -віч/-вич are the same for men and women, and given
 * names used for both (Саша, Валя) say nothing.
 */
import { foldDiacritics, SYSTEM_NAMES, romanize } from '../../names/index.js';
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, type GivenNameEntry } from '../../names/given-names-data.js';

export type Gender = 'female' | 'male';

const fold = (word: string) => foldDiacritics(word).toLowerCase().replace(/['’ʼ]/gu, '');

function spellings(entries: readonly GivenNameEntry[]): Set<string> {
  const out = new Set<string>();
  for (const entry of entries) {
    for (const form of [...entry.ru, ...entry.be, ...entry.familiar]) {
      out.add(fold(form));
      for (const system of SYSTEM_NAMES) out.add(fold(romanize(form, system)));
    }
    for (const form of entry.western ?? []) out.add(fold(form));
  }
  return out;
}

const MALE_NAMES = spellings(MALE_GIVEN_NAMES);
const FEMALE_NAMES = spellings(FEMALE_GIVEN_NAMES);

const FEMALE_PATRONYMIC = /(?:[аеоё]ўна|[оеё]вна|[іи]чна|[aeo][uŭw]na|[oe]vna|[iy]chna|[iy]čna)$/u;
const FEMALE_FAMILY = /(?:ская|цкая|зкая|ая|[оеёа]ва|[іиы]на|skaya|skaja|skaia|ska|cka|aya|aja|[oea]va|[iy]na)$/u;
const MALE_FAMILY = /(?:скі|цкі|зкі|ский|цкий|ской|[оеё]ў|аў|[оеё]в|[іиы]н|ski|sky|skiy|skij|[oe][uŭw]|a[uŭw]|[oe]v|[iy]n)$/u;

/** The gender one word points to, if any. */
export function genderOfWord(word: string): Gender | null {
  const w = fold(word);
  if (w.length < 3) return null;
  const male = MALE_NAMES.has(w);
  const female = FEMALE_NAMES.has(w);
  if (male || female) return male && female ? null : male ? 'male' : 'female';
  if (FEMALE_PATRONYMIC.test(w)) return 'female';
  if (FEMALE_FAMILY.test(w)) return 'female';
  if (MALE_FAMILY.test(w)) return 'male';
  return null;
}

/** Every gender the words of a name point to: none, one, or both (a line that contradicts itself). */
export function genderCues(name: string): Set<Gender> {
  const cues = new Set<Gender>();
  for (const word of name.split(/[\s,.;:()\-–]+/u)) {
    const gender = word ? genderOfWord(word) : null;
    if (gender) cues.add(gender);
  }
  return cues;
}
