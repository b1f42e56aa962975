/** The list workflow through the API: reconcile a published list, then record the lines a person confirmed. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { tableCounts, writeMarks } from '../../test-support/store-state.js';
import { buildApp } from '../app.js';
import { auditEntries } from '../../features/audit/audit.service.js';
import { createPerson } from '../../features/persons/person.service.js';
import { createEvent } from '../../features/events/event.service.js';
import { createDeal } from '../../features/releases/deal.service.js';
import type { Store } from '../../store/connection.js';
import type { Level } from '../../domain/confidentiality.js';

const ctx = { actor: 'test', reason: 'test' };

async function seed(store: Store): Promise<number> {
  const person = async (external_id: string, family: string, given: string, confidentiality: Level = 'internal') => {
    const created = await createPerson(store, {
      external_id, birth_date: null, gender: 'male', region: null, occupation: null, tags: [], biography: {}, publish: false, confidentiality, field_levels: {},
      names: [{ family, given, patronymic: null, full_name: null, lang: 'ru', script: 'Cyrl', romanization: null, confidentiality: 'internal' }],
    }, ctx);
    await createEvent(store, created.id, { type: 'detained', date: '2021-01-01', confidentiality: 'internal' }, ctx);
  };
  await person('a1', 'Лосик', 'Игорь');
  await person('a2', 'Беляцкий', 'Алесь');
  await person('a3', 'Статкевич', 'Николай', 'restricted');
  const deal = await createDeal(store, {
    slug: 'sept-2025', date: '2025-09-11', facilitator: 'United States', envoy: null, counterpart: null, destinations: ['LT'], conditions: ['forced_expulsion'],
    summary: null, confidentiality: 'internal', people: [], concessions: [],
  }, ctx);
  return deal.id;
}

describeBothBackends('deal lists through the API', (backend) => {
  it('reconciles a list for writers only, never guessing, and audits the restricted people it offers', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'ed@example.org', 'editor');
    const researcher = await memberWithToken(app, store, 'r@example.org', 'researcher');
    const payload = { lines: ['1. Лосик Игорь', 'Беляцкий', 'Статкевич Николай', 'Петров Пётр'] };
    const response = await app.inject({ method: 'POST', url: '/api/v1/deals/reconcile', headers: editor, payload });
    assert.equal(response.statusCode, 200, response.body);
    const items = response.json().items as { line: number; status: string; external_id: string | null; candidates: { external_id: string }[] }[];
    assert.deepEqual(items.map((e) => [e.line, e.status, e.external_id]), [[1, 'matched', 'a1'], [2, 'unmatched', null], [3, 'matched', 'a3'], [4, 'unmatched', null]]);
    assert.equal(items[1]!.candidates[0]!.external_id, 'a2', 'the candidate is offered for a person to decide');
    const reads = await auditEntries(store.db, { limit: 20, action: 'read_restricted' });
    assert.deepEqual(reads.map((e) => [e.entity, e.actor]), [['person', 'ed@example.org']], 'the restricted person offered is audited');
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/deals/reconcile', headers: researcher, payload })).statusCode, 403);
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/deals/reconcile', payload })).statusCode, 401);
    await app.close();
  });

  it('records the confirmed lines in one go, and a wrong line rejects them all', async () => {
    const store = await backend.fresh();
    const dealId = await seed(store);
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'ed@example.org', 'editor');
    const post = (payload: object) => app.inject({ method: 'POST', url: `/api/v1/deals/${dealId}/outcomes`, headers: editor, payload });
    const before = await tableCounts(store);
    const marks = await writeMarks(store);
    const wrong = await post({ as: 'expelled', country: 'LT', change_reason: 'list of 11 September', confirmations: [{ line: 1, person: 'a1' }, { line: 2, person: 'nobody' }] });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.json().error.message, /line 2: there is no person with external id nobody/);
    assert.deepEqual([await tableCounts(store), await writeMarks(store)], [before, marks], 'nothing was written');

    const done = await post({ as: 'expelled', country: 'LT', change_reason: 'list of 11 September', confirmations: [{ line: 1, person: 'a1' }, { line: 2, person: 'a2' }] });
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual(done.json().recorded, [{ line: 1, external_id: 'a1' }, { line: 2, external_id: 'a2' }]);
    const events = await store.db.selectFrom('event').select(['type', 'country', 'deal_id']).where('deal_id', '=', dealId).execute();
    assert.deepEqual(events.map((e) => [e.type, e.country]), [['expelled', 'LT'], ['expelled', 'LT']]);
    const deal = (await app.inject({ method: 'GET', url: `/api/v1/deals/${dealId}`, headers: editor })).json();
    assert.deepEqual([deal.version, deal.people.map((p: { person: string }) => p.person)], [2, ['a1', 'a2']]);
    assert.equal((await post({ as: 'expelled', change_reason: 'x', confirmations: [{ line: 1, person: 'a3' }] })).statusCode, 400, 'an expulsion needs a country');
    const ownOutcome = await post({ as: 'released', change_reason: 'second list', confirmations: [{ line: 1, person: 'a3', outcome: 'refused_expulsion' }] });
    assert.equal(ownOutcome.statusCode, 200, ownOutcome.body);
    const listed = (await app.inject({ method: 'GET', url: `/api/v1/deals/${dealId}`, headers: editor })).json().people;
    assert.deepEqual(listed.map((p: { person: string; outcome: string }) => [p.person, p.outcome]), [['a1', 'released'], ['a2', 'released'], ['a3', 'refused_expulsion']], 'a line with its own outcome puts the person on the list, with no event');
    assert.equal((await store.db.selectFrom('event').select('id').where('deal_id', '=', dealId).execute()).length, 2);
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/deals/999/outcomes', headers: editor, payload: { as: 'released', change_reason: 'x', confirmations: [{ line: 1, person: 'a3' }] } })).statusCode, 404);
    await app.close();
  });
});
