/**
 * A small registry for the tests of "where political prisoners are held": people whose places are
 * public, known only from internal or restricted events, out of date, or on a merged duplicate, and
 * markers in every value the public must never see.
 */
import type { Level } from '../../domain/confidentiality.js';
import type { Store } from '../../store/connection.js';
import type { NameVariant } from '../../store/person.repository.js';
import { mergePeople } from '../duplicates/duplicates.service.js';
import { createEvent, type EventInput } from '../events/event.service.js';
import { createFacility } from '../facilities/facility.service.js';
import { createPerson } from '../persons/person.service.js';

export const RESTRICTED_MARK = 'RESTRICTEDMARKER';
export const INTERNAL_MARK = 'INTERNALMARKER';
export const NOCONSENT_MARK = 'NOCONSENTMARKER';
export const MARKERS = [RESTRICTED_MARK, INTERNAL_MARK, NOCONSENT_MARK];

export const SIZO = 'SIZO-1 Minsk';
export const COLONY = 'Penal Colony No. 3 Vitebsk';
export const ZHODZINA = 'Prison No. 8 Zhodzina';
export const SECRET_PLACE = `${RESTRICTED_MARK} safe house`;
export const SIZO_ADDRESS = 'vul. Valadarskaha 2, 220030 Minsk';

const context = { actor: 'test:editor', reason: 'test data' };

const nameOf = (family: string, given: string, confidentiality: Level = 'public'): NameVariant => ({
  family, given, patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality,
});

async function person(store: Store, externalId: string, names: NameVariant[], events: EventInput[], options: { publish?: boolean; occupation?: string } = {}): Promise<void> {
  const created = await createPerson(store, {
    external_id: externalId, birth_date: '1985', gender: 'unknown', region: 'Minsk region', occupation: options.occupation ?? null, tags: [], biography: {},
    publish: options.publish ?? true, confidentiality: 'public', field_levels: options.occupation ? { occupation: 'restricted' } : {}, names,
  }, context);
  for (const event of events) await createEvent(store, created.id, { confidentiality: 'public', ...event }, context);
}

/**
 * Expected today: Colony No. 3 holds 2 (one through a merged duplicate's public transfer), Zhodzina 2
 * (one unconsented person; one whose later transfer is restricted), SIZO-1 1; 3 places not known
 * publicly (a restricted transfer, an internal detention, a re-arrest with no place named); 8 in all.
 */
export async function seedPlaces(store: Store): Promise<void> {
  await createFacility(store, { name: SIZO, type: 'sizo', address: SIZO_ADDRESS, region: 'Minsk city', lat: 53.899, lon: 27.547 }, context);
  await createFacility(store, { name: COLONY, type: 'penal_colony', address: 'vul. Gagarina 2, 210037 Vitebsk', region: 'Vitebsk region', lat: 55.19, lon: 30.205 }, context);
  await createFacility(store, { name: ZHODZINA, type: 'prison', address: 'vul. Savetskaja 22a, 222160 Zhodzina', region: 'Minsk region', lat: 54.099, lon: 28.332 }, context);
  const recognized: EventInput = { type: 'recognized', date: '2021-06-01', organization: 'Viasna', note: `${INTERNAL_MARK} note`, confidentiality: 'public' };

  await person(store, 'moved', [nameOf('Лосік', 'Ігар')], [
    { type: 'detained', date: '2021-03-01', facility: SIZO }, recognized, { type: 'transferred', date: '2022-01-10', facility: COLONY },
  ]);
  // Month precision: the detention counts from the first of the month, so its place is current.
  await person(store, 'partial', [nameOf('Бабарыка', 'Віктар')], [{ type: 'detained', date: '2021-05', facility: SIZO }, recognized]);
  await person(store, 'secret', [nameOf('Калеснікава', 'Марыя'), nameOf(`${RESTRICTED_MARK}alias`, 'Secret', 'restricted')], [
    { type: 'detained', date: '2022-02-01' }, recognized,
    { type: 'transferred', date: '2022-06-01', facility: SECRET_PLACE, note: `${RESTRICTED_MARK} witness`, confidentiality: 'restricted' },
  ], { occupation: `${RESTRICTED_MARK} occupation` });
  await person(store, 'internal-place', [nameOf('Статкевіч', 'Мікалай')], [
    { type: 'detained', date: '2022-03-01', facility: SIZO, note: `${INTERNAL_MARK} detail`, confidentiality: 'internal' }, recognized,
  ]);
  await person(store, 'noconsent', [nameOf(NOCONSENT_MARK, 'Maryia')], [{ type: 'detained', date: '2021-02-01', facility: ZHODZINA, note: NOCONSENT_MARK }, recognized], { publish: false });
  // Held at SIZO-1 once, released, arrested again with no place named: SIZO-1 is not where they are now.
  await person(store, 'rearrested', [nameOf('Лосік', 'Дар\'я')], [
    { type: 'detained', date: '2020-09-01', facility: SIZO }, { type: 'released', date: '2020-12-01', reason: 'end_of_term' },
    { type: 'detained', date: '2023-01-01' }, { ...recognized, date: '2023-02-01' },
  ]);
  await person(store, 'stale', [nameOf('Ціханоўскі', 'Сяргей')], [
    { type: 'detained', date: '2021', facility: ZHODZINA }, recognized,
    { type: 'transferred', date: '2023-05-05', facility: SECRET_PLACE, confidentiality: 'restricted' },
  ]);
  await person(store, 'freed', [nameOf('Бяляцкі', 'Алесь')], [
    { type: 'detained', date: '2021-07-14', facility: SIZO }, recognized, { type: 'released', date: '2024-09-11', reason: 'pardon' },
  ]);
  await person(store, 'unrecognized', [nameOf('Іваноў', 'Іван')], [{ type: 'detained', date: '2022-05-05', facility: SIZO }]);
  await person(store, 'canon', [nameOf('Знак', 'Максім')], [{ type: 'detained', date: '2021-09-16' }, recognized]);
  await person(store, 'dup', [nameOf('Znak', 'Maksim')], [{ type: 'transferred', date: '2022-02-02', facility: COLONY }], { publish: false });
  await mergePeople(store, 'canon', 'dup', context);
}
