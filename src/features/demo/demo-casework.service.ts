/**
 * A little FICTIONAL casework on the demo people, so the letters counts, the health and age figures, the
 * casework screens and the accountability reports have something to show. Every text says it is
 * fictional; the officials are invented names. Chosen deterministically from the people held on the
 * demo's day, so the demo stays the same from run to run.
 */
import { FICTIONAL_NOTE, FICTIONAL_SOURCE_BASE } from '../../demo/rows.js';
import type { HealthFlagKind, ViolationType } from '../../domain/casework.js';
import type { Store } from '../../store/connection.js';
import { peopleWithStatusOn } from '../../store/status.repository.js';
import { createOfficial } from '../accountability/officials.service.js';
import { createViolation } from '../accountability/violations.service.js';
import { createAid, createAssistanceCase, createFollowUp } from '../casework/assistance.service.js';
import { createHealthFlag } from '../casework/health.service.js';
import { logLetter } from '../casework/letters.service.js';
import type { EditContext } from '../persons/person.service.js';
import { createSource } from '../sources/source.service.js';

const FICTIONAL = 'FICTIONAL demo record';

async function placeOf(store: Store, personId: number): Promise<number | null> {
  const row = await store.db.selectFrom('event').select('facility_id').where('person_id', '=', personId).where('facility_id', 'is not', null).orderBy('date', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return row?.facility_id ?? null;
}

async function letters(store: Store, people: readonly number[], context: EditContext): Promise<void> {
  for (const [i, personId] of people.slice(0, 40).entries()) {
    for (let n = 0; n < 1 + (i % 3); n++) await logLetter(store, { person_id: personId, direction: 'sent', date: `2025-${String(1 + n * 3).padStart(2, '0')}`, note: null }, context);
    if (i % 4 === 0) await logLetter(store, { person_id: personId, direction: 'reply', date: '2025-11', note: null }, context);
  }
}

async function flags(store: Store, people: readonly number[], context: EditContext): Promise<void> {
  const kinds: HealthFlagKind[] = ['serious_illness', 'disability', 'serious_illness', 'other'];
  for (const [i, personId] of people.slice(40, 52).entries()) {
    await createHealthFlag(store, { person_id: personId, kind: kinds[i % kinds.length]!, detail: `${FICTIONAL}: no real health information`, noted_on: '2024', resolved_on: null, confidentiality: 'restricted' }, context);
  }
}

async function accountability(store: Store, people: readonly number[], context: EditContext): Promise<void> {
  const source = await createSource(store, {
    kind: 'url', url: `${FICTIONAL_SOURCE_BASE}violations-report`, title: 'Fictional monitoring report (demo)', citation: null, sha256: null,
    media_type: null, size_bytes: null, published_date: '2025-06', reliability: 'medium', confidentiality: 'internal',
  }, context);
  const sentenced = await store.db.selectFrom('event').select(['id', 'person_id']).where('type', '=', 'sentenced').where('person_id', 'in', people.slice(52, 64).length ? people.slice(52, 64) : [0]).orderBy('id').limit(6).execute();
  await createOfficial(store, {
    name: 'Fictional Judge A. (demo)', name_latin: null, role: 'judge', institution: 'Fictional District Court (demo)', institution_kind: 'court', facility_id: null,
    note: FICTIONAL_NOTE, confidentiality: 'internal', links: sentenced.map((event) => ({ entity: 'event', entity_id: event.id, role: 'judge' })),
  }, context);
  await createOfficial(store, { name: 'Fictional Prosecutor B. (demo)', name_latin: null, role: 'prosecutor', institution: 'Fictional Prosecutor’s Office (demo)', institution_kind: 'prosecutor_office', facility_id: null, note: FICTIONAL_NOTE, confidentiality: 'internal', links: [] }, context);
  const types: ViolationType[] = ['ill_treatment', 'incommunicado', 'denial_of_medical_care', 'forced_labour'];
  let head: { id: number } | null = null;
  for (const [i, personId] of people.slice(64, 72).entries()) {
    const facility = await placeOf(store, personId);
    if (facility !== null && head === null) {
      head = await createOfficial(store, { name: 'Fictional Head C. (demo)', name_latin: null, role: 'facility_head', institution: null, institution_kind: 'facility', facility_id: facility, note: FICTIONAL_NOTE, confidentiality: 'internal', links: [] }, context);
    }
    await createViolation(store, {
      person_id: personId, type: types[i % types.length]!, date: `2024-${String(1 + i).padStart(2, '0')}`, end_date: null, facility_id: facility, case_id: null, event_id: null,
      description: `${FICTIONAL}: nothing here happened to a real person.`, confidentiality: i % 2 ? 'internal' : 'restricted',
      official_ids: head ? [head.id] : [], source_ids: [source.id],
    }, context);
  }
}

async function assistance(store: Store, people: readonly number[], context: EditContext): Promise<void> {
  for (const personId of people.slice(72, 74)) {
    const opened = await createAssistanceCase(store, {
      person_id: personId, status: 'open', needs: ['legal', 'parcels'], summary: `${FICTIONAL}: a made-up family asking for a lawyer and parcels`, opened_on: '2025-10',
      family_contacts: [{ name: 'Fictional relative (demo)', relation: 'sister', phone: null, email: null, address: null, note: FICTIONAL_NOTE }], confidentiality: 'restricted',
    }, context);
    await createAid(store, { case_id: opened.id, date: '2025-11', kind: 'parcels', amount: null, currency: null, description: `${FICTIONAL}: one parcel` }, context);
    await createFollowUp(store, { case_id: opened.id, due: '2025-12-15', action: `${FICTIONAL}: call the family`, assignee: null, done_on: null }, context);
  }
}

export async function recordDemoCasework(store: Store, actor: string, today: string): Promise<void> {
  const held = [...(await peopleWithStatusOn(store.db, 'political', today))].sort((a, b) => a - b);
  const context = { actor, reason: 'fictional demo data' };
  await letters(store, held, context);
  await flags(store, held, context);
  await accountability(store, held, context);
  await assistance(store, held, context);
}
