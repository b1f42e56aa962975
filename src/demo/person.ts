// Who a fictional person is: names in three forms, birth date, region, occupation, tags, consent.
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, PATRONYMICS } from './names.js';
import type { DayFormatter } from './days.js';
import type { Random } from './random.js';
import { FICTIONAL_TAG, type PersonRow, type Region } from './rows.js';
import type { Subject } from './timeline.js';

const REGIONS: readonly Region[] = [
  'Minsk city',
  'Minsk region',
  'Brest region',
  'Vitebsk region',
  'Gomel region',
  'Grodno region',
  'Mogilev region',
];
const REGION_WEIGHTS = [34, 12, 10, 10, 12, 11, 11];

const OCCUPATIONS = [
  'worker', 'engineer', 'IT specialist', 'programmer', 'teacher', 'university lecturer', 'student',
  'doctor', 'nurse', 'paramedic', 'journalist', 'photographer', 'lawyer', 'entrepreneur', 'driver',
  'builder', 'electrician', 'mechanic', 'farmer', 'musician', 'artist', 'writer', 'priest', 'pensioner',
  'unemployed', 'manager', 'accountant', 'economist', 'designer', 'railway worker', 'miner', 'athlete',
  'civil servant', 'human rights defender', 'trade unionist', 'political activist', 'blogger', 'military officer',
] as const;

/** Occupations that registries also use as a search tag. */
const OCCUPATION_TAGS: Partial<Record<(typeof OCCUPATIONS)[number], string>> = {
  journalist: 'journalist',
  photographer: 'journalist',
  blogger: 'journalist',
  'human rights defender': 'human-rights-defender',
  'trade unionist': 'trade-unionist',
  'political activist': 'politician',
  doctor: 'medic',
  nurse: 'medic',
  paramedic: 'medic',
  student: 'student',
};

// Age at arrest: mostly working-age adults, with students and pensioners at both ends.
const AGE_BANDS: readonly (readonly [number, number])[] = [
  [18, 25],
  [26, 35],
  [36, 45],
  [46, 60],
  [61, 75],
];
const AGE_WEIGHTS = [15, 30, 28, 20, 7];

export function drawSubject(rng: Random): Subject {
  const gender = rng.chance(0.16) ? 'female' : 'male';
  return { gender, region: rng.weighted(REGIONS, REGION_WEIGHTS) };
}

export function personRow(rng: Random, externalId: string, subject: Subject, firstArrest: number, days: DayFormatter): PersonRow {
  const { gender } = subject;
  const given = rng.pick(gender === 'female' ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES);
  const family = rng.pick(FAMILY_NAMES);
  const patronymic = rng.pick(PATRONYMICS);
  // Many records come from Belarusian-language sources only; courts' Russian forms are added later, if ever.
  const hasRussian = rng.chance(0.78);
  const hasLatin = rng.chance(0.92);
  const hasPatronymic = rng.chance(0.95);
  const occupation = rng.pick(OCCUPATIONS);
  return {
    external_id: externalId,
    family_name_be: family.be[gender],
    given_name_be: given.be,
    patronymic_be: hasPatronymic ? patronymic.be[gender] : '',
    family_name_ru: hasRussian ? family.ru[gender] : '',
    given_name_ru: hasRussian ? given.ru : '',
    patronymic_ru: hasRussian && hasPatronymic ? patronymic.ru[gender] : '',
    name_latin: hasLatin ? `${given.latin} ${family.latin[gender]}` : '',
    birth_date: birthDate(rng, firstArrest, days),
    gender,
    region: subject.region,
    occupation,
    tags: tags(occupation, firstArrest, days),
    publish: rng.chance(0.88) ? 'yes' : 'no',
  };
}

/** Birth dates are often known only to the year or month, and sometimes not at all. */
function birthDate(rng: Random, firstArrest: number, days: DayFormatter): string {
  const [minAge, maxAge] = rng.weighted(AGE_BANDS, AGE_WEIGHTS);
  const age = rng.int(minAge, maxAge);
  const full = days.format(firstArrest - age * 365 - rng.int(0, 364));
  const precision = rng.next();
  if (precision < 0.78) return full;
  if (precision < 0.92) return full.slice(0, 4);
  if (precision < 0.97) return full.slice(0, 7);
  return '';
}

const WAVE_END = '2021-07-01';

function tags(occupation: (typeof OCCUPATIONS)[number], firstArrest: number, days: DayFormatter): string {
  const list = [FICTIONAL_TAG];
  if (days.format(firstArrest) < WAVE_END) list.push('protests-2020');
  const occupationTag = OCCUPATION_TAGS[occupation];
  if (occupationTag) list.push(occupationTag);
  return list.join(';');
}
