/** Risk counts over everyone held on a day: by birth date or stored flag, merged records included. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import type { Store } from '../../store/connection.js';
import { createPerson } from '../persons/person.service.js';
import { createEvent } from '../events/event.service.js';
import { mergePeople } from '../duplicates/duplicates.service.js';
import { createHealthFlag, riskCountsOn } from './health.service.js';
import type { HealthFlagKind } from '../../domain/casework.js';

const ctx = { actor: 'test:editor', reason: 'test data' };

async function person(store: Store, external_id: string, birth_date: string | null, events: 'held' | 'released' | 'none'): Promise<number> {
  const created = await createPerson(store, {
    external_id, birth_date, gender: 'unknown', region: null, occupation: null, tags: [], biography: {}, field_levels: {}, publish: true, confidentiality: 'public',
    names: [{ family: `Прозвішча${external_id}`, given: 'Імя', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }],
  }, ctx);
  if (events !== 'none') {
    await createEvent(store, created.id, { type: 'detained', date: '2021-05-01', confidentiality: 'public' }, ctx);
    await createEvent(store, created.id, { type: 'recognized', date: '2021-06-01', confidentiality: 'public' }, ctx);
  }
  if (events === 'released') await createEvent(store, created.id, { type: 'released', date: '2023-01-10', confidentiality: 'public' }, ctx);
  return created.id;
}

async function flag(store: Store, personId: number, kind: HealthFlagKind, noted_on: string | null, resolved_on: string | null = null): Promise<void> {
  await createHealthFlag(store, { person_id: personId, kind, detail: null, noted_on, resolved_on, confidentiality: 'restricted' }, ctx);
}

describeBothBackends('risk counts', (backend) => {
  it('counts each held person once per kind: 60 on the day exactly, partial birth dates only once surely 60, flags of merged records, not the released', async () => {
    const store = await backend.fresh();
    await person(store, 'sixty-today', '1966-06-15', 'held');
    await person(store, 'sixty-tomorrow', '1966-06-16', 'held');
    await person(store, 'born-1966', '1966', 'held');
    await person(store, 'born-1965', '1965', 'held');
    const keep = await person(store, 'keep', null, 'held');
    const duplicate = await person(store, 'duplicate', '1950', 'none');
    await flag(store, keep, 'serious_illness', '2022');
    await flag(store, duplicate, 'serious_illness', null);
    await flag(store, duplicate, 'disability', '2020-03');
    await mergePeople(store, 'keep', 'duplicate', ctx);
    const freed = await person(store, 'freed', '1940', 'released');
    await flag(store, freed, 'disability', null);
    const later = await person(store, 'later', null, 'held');
    await flag(store, later, 'other', '2026-07');
    await flag(store, later, 'disability', '2024', '2026-06-15');
    await flag(store, later, 'serious_illness', '2026-06-15');
    await flag(store, later, 'elderly', null);

    assert.deepEqual(await riskCountsOn(store, '2026-06-15'), {
      date: '2026-06-15',
      political_prisoners: 6, // all but the released one; the merged record is part of keep
      serious_illness: 2, // keep (its own flag and the merged record's count once) and later (noted that day)
      disability: 1, // keep, by the merged record; later's was resolved that day, freed is not held
      elderly: 4, // sixty-today, born-1965, keep by the merged record's birth date, later by its flag
      other: 0, // noted after the day
    });
    assert.equal((await riskCountsOn(store, '2026-12-31')).elderly, 6, 'by the last day of 1966 the two born that year are 60 too');
  });
});
