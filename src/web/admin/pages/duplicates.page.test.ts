/**
 * The duplicate queue: a pair written in Cyrillic and in Latin letters is listed and compared side by
 * side; merging records who decided and why (and can be undone from the record's history); "not the
 * same person" takes the pair off the queue; only roles that may merge get in.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../../test-support/stores.js';
import { workspaceMember } from '../../../test-support/workspace.js';
import { createPerson } from '../../../features/persons/person.service.js';
import { createEvent } from '../../../features/events/event.service.js';
import type { NameVariant, PersonData } from '../../../store/person.repository.js';
import type { Store } from '../../../store/connection.js';
import { buildApp } from '../../app.js';

const seed = { actor: 'seed@example.org', reason: 'seed' };

function name(family: string, given: string, lang: string, script: 'Cyrl' | 'Latn'): NameVariant {
  return { family, given, patronymic: null, full_name: null, lang, script, romanization: null, confidentiality: 'internal' };
}

function person(externalId: string, names: NameVariant[], birthDate: string | null): PersonData {
  return { external_id: externalId, birth_date: birthDate, gender: 'female', region: null, occupation: null, tags: ['fictional'], biography: {}, publish: false, confidentiality: 'internal', field_levels: {}, names };
}

/** The same fictional woman entered twice (Belarusian Cyrillic, then Latin as the press writes), and someone else. */
async function seedPair(store: Store) {
  const cyrillic = await createPerson(store, person('dup-be', [name('Ціханоўская', 'Святлана', 'be', 'Cyrl')], '1982-09'), seed);
  const latin = await createPerson(store, person('dup-en', [name('Tsikhanouskaya', 'Sviatlana', 'en', 'Latn')], '1982'), seed);
  await createPerson(store, person('other', [name('Лосік', 'Ігар', 'be', 'Cyrl')], '1992'), seed);
  await createEvent(store, latin.id, { type: 'detained', date: '2020-05', facility: 'Akrestsina' }, seed);
  return { cyrillic, latin };
}

describeBothBackends('workspace: duplicate review', (backend) => {
  it('lists a Cyrillic/Latin pair, shows it side by side, merges it with the decision recorded, and unmerges from the history', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { cyrillic, latin } = await seedPair(store);
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const queue = await editor.get('/admin/duplicates?lang=en');
    assert.equal(queue.status, 200, queue.body.slice(0, 1000));
    assert.match(queue.body, /Святлана Ціханоўская[\s\S]*Sviatlana Tsikhanouskaya/);
    assert.match(queue.body, /transliteration/);
    assert.doesNotMatch(queue.body, /Ігар Лосік/);
    const pairPath = `/admin/duplicates/${cyrillic.id}/${latin.id}`;
    assert.match(queue.body, new RegExp(`href="${pairPath}\\?lang=en"`));

    const pair = await editor.get(`${pairPath}?lang=en`);
    assert.equal(pair.status, 200);
    assert.match(pair.body, /Record A[\s\S]*Ціханоўская[\s\S]*Record B[\s\S]*Tsikhanouskaya[\s\S]*Akrestsina/);
    assert.match(pair.body, /Merge, keeping record A/);

    const unexplained = await editor.post(`${pairPath}/decide?lang=en`, { decision: 'keep_a', reason: '' });
    assert.equal(unexplained.status, 400);
    assert.equal((await store.db.selectFrom('person').select('merged_into').where('id', '=', latin.id).executeTakeFirstOrThrow()).merged_into, null);

    const merged = await editor.post(`${pairPath}/decide?lang=en`, { decision: 'keep_a', reason: 'same birth date and detention, per her lawyer' });
    assert.equal(merged.status, 303, merged.body.slice(0, 2000));
    assert.match(merged.location!, /done=merged/);
    assert.equal((await store.db.selectFrom('person').select('merged_into').where('id', '=', latin.id).executeTakeFirstOrThrow()).merged_into, cyrillic.id);
    const decision = await store.db.selectFrom('duplicate_decision').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([decision.decision, decision.actor, decision.reason], ['same', 'editor@example.org', 'same birth date and detention, per her lawyer']);
    assert.ok((await store.db.selectFrom('audit_log').select('action').where('action', '=', 'merge').execute()).length === 1);
    assert.doesNotMatch((await editor.get('/admin/duplicates?lang=en')).body, /Tsikhanouskaya/, 'a merged pair leaves the queue');

    const history = await editor.get(`/admin/persons/${latin.id}/history?lang=en`);
    assert.match(history.body, /merged into another record/);
    assert.match(history.body, /Undo the merge/);
    const unmerged = await editor.post(`/admin/persons/${latin.id}/unmerge?lang=en`, { reason: 'the lawyer meant another client' });
    assert.equal(unmerged.status, 303, unmerged.body.slice(0, 2000));
    assert.equal((await store.db.selectFrom('person').select('merged_into').where('id', '=', latin.id).executeTakeFirstOrThrow()).merged_into, null);
    await app.close();
  });

  it('takes a pair decided "not the same person" off the queue, with who and why recorded', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { cyrillic, latin } = await seedPair(store);
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    assert.match((await editor.get('/admin/duplicates?lang=en')).body, /Tsikhanouskaya/);
    const decided = await editor.post(`/admin/duplicates/${cyrillic.id}/${latin.id}/decide?lang=en`, { decision: 'not_same', reason: 'different mothers named in the verdicts' });
    assert.equal(decided.status, 303);
    assert.match(decided.location!, /done=not_same/);
    const queue = await editor.get(decided.location!);
    assert.match(queue.body, /Recorded as different people/);
    assert.doesNotMatch(queue.body, /Tsikhanouskaya/);
    const decision = await store.db.selectFrom('duplicate_decision').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([decision.decision, decision.actor, decision.reason], ['not_same', 'editor@example.org', 'different mothers named in the verdicts']);
    assert.equal((await store.db.selectFrom('person').select('id').where('merged_into', 'is not', null).execute()).length, 0);
    const pair = await editor.get(`/admin/duplicates/${cyrillic.id}/${latin.id}?lang=en`);
    assert.match(pair.body, /Decided before: different people by editor@example.org/);
    await app.close();
  });

  it('lets only editors and admins into the queue', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { cyrillic, latin } = await seedPair(store);
    for (const role of ['volunteer', 'researcher'] as const) {
      const member = await workspaceMember(app, store, `${role}@example.org`, role);
      assert.equal((await member.get('/admin/duplicates?lang=en')).status, 403, role);
      assert.equal((await member.get(`/admin/duplicates/${cyrillic.id}/${latin.id}?lang=en`)).status, 403, role);
      const refused = await member.post(`/admin/duplicates/${cyrillic.id}/${latin.id}/decide?lang=en`, { decision: 'keep_a', reason: 'looks alike' });
      assert.equal(refused.status, 403, role);
    }
    assert.equal((await store.db.selectFrom('duplicate_decision').select('actor').execute()).length, 0);
    const admin = await workspaceMember(app, store, 'admin@example.org', 'admin');
    assert.equal((await admin.get('/admin/duplicates?lang=en')).status, 200);
    await app.close();
  });
});
