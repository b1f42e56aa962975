/** An event and the work that goes with it (its citations) are one change: all of it or none. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { createPerson } from '../persons/person.service.js';
import { setCitationsIn } from '../sources/citation.service.js';
import { createEvent, updateEvent } from './event.service.js';

const context = { actor: 'test', reason: 'court report' };

describeBothBackends('events with their citations', (backend) => {
  it('creates nothing when citing fails, and everything when it succeeds', async () => {
    const store = await backend.fresh();
    const person = await createPerson(store, {
      external_id: 'p1', birth_date: null, gender: 'unknown', region: null, occupation: null, tags: [], biography: {}, publish: false, confidentiality: 'internal', field_levels: {},
      names: [{ family: 'Тэставы', given: null, patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'internal' }],
    }, context);
    const counts = async () => ({
      events: (await store.db.selectFrom('event').select('id').execute()).length,
      changes: (await store.db.selectFrom('change_log').select('id').execute()).length,
      audit: (await store.db.selectFrom('audit_log').select('seq').execute()).length,
    });
    const before = await counts();
    const missingSource = (trx: Parameters<typeof setCitationsIn>[0], id: number) => setCitationsIn(trx, { entity: 'event', id }, { sourceIds: [999_999] }, context);
    await assert.rejects(createEvent(store, person.id, { type: 'detained', date: '2021-05' }, context, missingSource), /999999|source/);
    assert.deepEqual(await counts(), before, 'no event, change or audit entry from the failed save');

    const cite = (trx: Parameters<typeof setCitationsIn>[0], id: number) => setCitationsIn(trx, { entity: 'event', id }, { sourceIds: [], urls: ['https://example.org/report'] }, context);
    const event = await createEvent(store, person.id, { type: 'detained', date: '2021-05' }, context, cite);
    assert.deepEqual(event.sources.map((s) => s.url), ['https://example.org/report']);

    await assert.rejects(updateEvent(store, event.id, event.version, { date: '2021-06' }, context, missingSource));
    const row = await store.db.selectFrom('event').select(['date', 'version']).where('id', '=', event.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { date: '2021-05', version: 1 }, 'the correction was rolled back with its citations');
  });
});
