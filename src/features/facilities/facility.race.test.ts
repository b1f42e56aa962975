/**
 * Events name their facility; a facility nobody described yet is created on the fly. Several clients
 * recording events at the same new facility at the same moment must all succeed and share one facility
 * (found by the serve crash test: on PostgreSQL all but one got a 409 "already exists").
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { createPerson } from '../persons/person.service.js';
import { createEvent } from '../events/event.service.js';

const ctx = { actor: 'test:race', reason: 'test' };

describeBothBackends('facilities named by concurrent events', (backend) => {
  it('are created once, and every event is recorded', async () => {
    const store = await backend.fresh();
    const people = [];
    for (let i = 0; i < 8; i++) {
      people.push(await createPerson(store, {
        external_id: `r${i}`, birth_date: null, gender: 'unknown', region: null, occupation: null, tags: [], biography: {}, publish: false,
        confidentiality: 'internal', field_levels: {}, names: [{ family: `Family${i}`, given: null, patronymic: null, full_name: null, lang: null, script: 'Latn', romanization: null, confidentiality: 'internal' }],
      }, ctx));
    }
    for (const round of [1, 2, 3]) {
      const facility = `Penal Colony No. ${round} (new)`;
      const results: PromiseSettledResult<unknown>[] = await Promise.allSettled(people.map((person) => createEvent(store, person.id, { type: 'detained', date: `2021-0${round}-01`, facility }, ctx)));
      assert.deepEqual(results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : [])), [], `round ${round}`);
      const rows = await store.db.selectFrom('facility').select('id').where('name', '=', facility).execute();
      assert.equal(rows.length, 1);
      const events = await store.db.selectFrom('event').select('facility_id').where('date', '=', `2021-0${round}-01`).execute();
      assert.deepEqual(events.map((e) => e.facility_id), people.map(() => rows[0]!.id));
    }
  });
});
