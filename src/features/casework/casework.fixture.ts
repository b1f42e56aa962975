/**
 * A store with casework, letters, health flags, an official and violations about four held people
 * (three published, one not; one of them released since), a marker in every detail that must stay
 * private. Used by the public-side marker test and the backup test.
 */
import type { Store } from '../../store/connection.js';
import { createPerson } from '../persons/person.service.js';
import { createEvent } from '../events/event.service.js';
import { createFacility } from '../facilities/facility.service.js';
import { createAid, createAssistanceCase, createFollowUp } from './assistance.service.js';
import { logLetter } from './letters.service.js';
import { createHealthFlag } from './health.service.js';
import { createOfficial, linkOfficial } from '../accountability/officials.service.js';
import { createViolation } from '../accountability/violations.service.js';
import { createSource } from '../sources/source.service.js';
import type { HealthFlagKind } from '../../domain/casework.js';

export const MARK = 'CASEWORKMARKER';
const ctx = { actor: 'test:editor', reason: 'test data' };
export const volunteer = { actor: `${MARK}-volunteer@example.org`, reason: 'letter' };
export const COLONY = 'Penal colony 15 Mahilioŭ';

async function held(store: Store, external_id: string, birth_date: string | null, publish: boolean, released = false): Promise<number> {
  const person = await createPerson(store, {
    external_id, birth_date, gender: 'unknown', region: null, occupation: null, tags: [], biography: {}, field_levels: {}, publish, confidentiality: 'public',
    names: [{ family: `Прозвішча${external_id}`, given: 'Імя', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }],
  }, ctx);
  await createEvent(store, person.id, { type: 'detained', date: '2021-05-01', facility: COLONY, confidentiality: 'public' }, ctx);
  await createEvent(store, person.id, { type: 'recognized', date: '2021-06-01', organization: 'Viasna', confidentiality: 'public' }, ctx);
  if (released) await createEvent(store, person.id, { type: 'released', date: '2023-01-10', reason: 'pardon', confidentiality: 'public' }, ctx);
  return person.id;
}

async function flag(store: Store, personId: number, kind: HealthFlagKind, confidentiality: 'internal' | 'restricted', resolved_on: string | null = null): Promise<void> {
  await createHealthFlag(store, { person_id: personId, kind, detail: `${MARK} ${kind} detail`, noted_on: '2022', resolved_on, confidentiality }, ctx);
}

export async function seedCasework(store: Store): Promise<void> {
  await createFacility(store, { name: COLONY, type: 'penal_colony', address: '212013, г. Могилёв, ул. Крупской, 99а', region: 'Mahilioŭ Region', lat: 53.9, lon: 30.3 }, ctx);
  const open = await held(store, 'open', '1950-04-01', true);
  const sick = await held(store, 'sick', '1990', true);
  const hidden = await held(store, 'hidden', '1940', false);
  const freed = await held(store, 'freed', null, true, true);
  await flag(store, open, 'disability', 'internal', '2023-01');
  await flag(store, sick, 'serious_illness', 'restricted');
  await flag(store, sick, 'disability', 'internal');
  await flag(store, hidden, 'serious_illness', 'restricted');
  await flag(store, freed, 'serious_illness', 'restricted');

  const assistance = await createAssistanceCase(store, {
    person_id: open, status: 'open', needs: ['legal', 'medical'], summary: `${MARK} summary`, opened_on: '2024', confidentiality: 'restricted',
    family_contacts: [{ name: `${MARK} mother`, relation: 'mother', phone: '+375 29 000', email: null, address: `${MARK} street`, note: null }],
  }, ctx);
  await createAid(store, { case_id: assistance.id, date: '2024-05', kind: 'legal', amount: 200, currency: 'EUR', description: `${MARK} lawyer` }, ctx);
  await createFollowUp(store, { case_id: assistance.id, due: '2024-06-01', action: `${MARK} call`, assignee: `${MARK} assignee`, done_on: null }, ctx);
  for (const [direction, date] of [['sent', '2024-01-05'], ['sent', '2024-02'], ['reply', '2024-03-01']] as const) {
    await logLetter(store, { person_id: open, direction, date, note: `${MARK} letter note` }, volunteer);
  }
  await logLetter(store, { person_id: hidden, direction: 'sent', date: '2024-01-05', note: null }, volunteer);

  const source = await createSource(store, { kind: 'url', url: `https://example.org/${MARK}-witness`, title: `${MARK} witness`, citation: null, sha256: null, media_type: null, size_bytes: null, published_date: null, reliability: null, confidentiality: 'restricted' }, ctx);
  const facility = await store.db.selectFrom('facility').select('id').where('name', '=', COLONY).executeTakeFirstOrThrow();
  const official = await createOfficial(store, { name: `${MARK} Head`, name_latin: null, role: 'facility_head', institution: null, institution_kind: 'facility', facility_id: facility.id, note: `${MARK} note`, confidentiality: 'internal', links: [] }, ctx);
  const detained = await store.db.selectFrom('event').select('id').where('person_id', '=', open).where('type', '=', 'detained').executeTakeFirstOrThrow();
  await linkOfficial(store, official.id, official.version, { entity: 'event', entity_id: detained.id, role: 'facility_head' }, ctx);
  for (const confidentiality of ['restricted', 'internal', 'public'] as const) {
    await createViolation(store, {
      person_id: open, type: 'ill_treatment', date: '2023-05', end_date: null, facility_id: facility.id, case_id: null, event_id: null,
      description: `${MARK} ${confidentiality} description`, confidentiality, official_ids: [official.id], source_ids: [source.id],
    }, ctx);
  }
}

