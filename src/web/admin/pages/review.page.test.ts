/**
 * The review queue: a volunteer's new person or change waits as a proposal (registry, public API and
 * public site unchanged); an editor approves it (applied in the editor's name, the reason naming the
 * volunteer, audited) or rejects it (nothing changes); a stale proposal is not applied; values the
 * volunteer could not see survive their change; a volunteer cannot decide.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../../test-support/stores.js';
import { workspaceMember, type WorkspaceClient } from '../../../test-support/workspace.js';
import { createPerson, editPerson } from '../../../features/persons/person.service.js';
import { personById, type PersonData } from '../../../store/person.repository.js';
import type { Store } from '../../../store/connection.js';
import type { App } from '../../api/app-types.js';
import { buildApp } from '../../app.js';

const form = (overrides: Record<string, string> = {}) => ({
  rows: '1', intent: 'save', external_id: 'rev-0001', name_family_0: 'Лосік', name_given_0: 'Ігар', name_patronymic_0: '', name_lang_0: 'be', name_level_0: 'public',
  birth_date: '1992', gender: 'male', region: 'Minsk', occupation: 'blogger', tags: 'fictional', publish: 'yes', confidentiality: 'public', reason: 'family asked us to add him', ...overrides,
});

function published(): PersonData {
  return {
    external_id: 'rev-0002', birth_date: null, gender: 'female', region: null, occupation: 'nurse', tags: [], biography: {}, publish: true, confidentiality: 'public', field_levels: {},
    names: [
      { family: 'Калеснікава', given: 'Марыя', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' },
      { family: 'Сястра', given: 'Таццяна', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'restricted' },
    ],
  };
}

async function publicNames(app: App, query: string): Promise<string[]> {
  const answer = await app.inject({ method: 'GET', url: `/api/v1/public/persons?q=${encodeURIComponent(query)}` });
  assert.equal(answer.statusCode, 200);
  return (answer.json() as { persons: { external_id: string }[] }).persons.map((person) => person.external_id);
}

async function publicPersonPage(app: App): Promise<string> {
  const answer = await app.inject({ method: 'GET', url: '/prisoners/rev-0002?lang=en' });
  assert.equal(answer.statusCode, 200);
  return answer.body;
}

async function auditActions(store: Store, entity: string): Promise<string[]> {
  return (await store.db.selectFrom('audit_log').select('action').where('entity', '=', entity).orderBy('seq').execute()).map((row) => row.action);
}

const proposalIdIn = (page: string) => Number(page.match(/action="\/admin\/review\/(\d+)\/approve/)![1]);

async function members(app: App, store: Store): Promise<{ volunteer: WorkspaceClient; editor: WorkspaceClient }> {
  return {
    volunteer: await workspaceMember(app, store, 'volunteer@example.org', 'volunteer'),
    editor: await workspaceMember(app, store, 'editor@example.org', 'editor'),
  };
}

describeBothBackends('workspace: review of volunteers’ changes', (backend) => {
  it("keeps a volunteer's new person out of the registry and the public API until an editor approves it", async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { volunteer, editor } = await members(app, store);
    const sent = await volunteer.post('/admin/persons/new?lang=en', form());
    assert.equal(sent.status, 303, sent.body.slice(0, 2000));
    assert.match(sent.location!, /^\/admin\/review\?.*done=proposed/);
    assert.match((await volunteer.get(sent.location!)).body, /Your change was sent for review/);
    assert.equal((await store.db.selectFrom('person').select('id').execute()).length, 0, 'nothing in the registry');
    assert.deepEqual(await publicNames(app, 'Ihar Losik'), []);
    assert.doesNotMatch((await app.inject({ method: 'GET', url: '/prisoners?q=Losik&lang=en' })).body, /rev-0001/);
    assert.deepEqual(await auditActions(store, 'proposal'), ['propose']);

    const board = await editor.get('/admin?lang=en');
    assert.match(board.body, /<strong>1<\/strong>Waiting for review/);
    const queue = await editor.get('/admin/review?lang=en');
    assert.equal(queue.status, 200);
    assert.match(queue.body, /New person: Ігар Лосік/);
    assert.match(queue.body, /volunteer@example.org/);
    assert.match(queue.body, /family asked us to add him/);
    assert.match(queue.body, /Occupation<\/th><td>—<\/td><td><ins>blogger<\/ins>/);

    const approved = await editor.post(`/admin/review/${proposalIdIn(queue.body)}/approve?lang=en`, { note: 'checked with the family' });
    assert.equal(approved.status, 303, approved.body.slice(0, 2000));
    assert.match(approved.location!, /done=approved/);
    const created = await store.db.selectFrom('person').select(['id', 'occupation', 'publish']).where('external_id', '=', 'rev-0001').executeTakeFirstOrThrow();
    assert.deepEqual([created.occupation, created.publish], ['blogger', 1]);
    const change = await store.db.selectFrom('change_log').select(['actor', 'reason']).where('entity', '=', 'person').where('entity_id', '=', created.id).executeTakeFirstOrThrow();
    assert.deepEqual(change, { actor: 'editor@example.org', reason: 'proposed by volunteer@example.org: family asked us to add him' });
    assert.deepEqual(await auditActions(store, 'proposal'), ['propose', 'approve']);
    assert.deepEqual(await publicNames(app, 'Ihar Losik'), ['rev-0001'], 'public once approved');
    const proposal = await store.db.selectFrom('proposal').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([proposal.status, proposal.decided_by, proposal.decision_reason, proposal.result_id], ['approved', 'editor@example.org', 'checked with the family', created.id]);
    assert.match((await editor.get('/admin/review?lang=en')).body, /Nothing waits for review/);
    await app.close();
  });

  it("keeps a volunteer's edit out of the registry; a rejection changes nothing and the volunteer sees why", async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const stored = await createPerson(store, published(), { actor: 'seed@example.org', reason: 'seed' });
    const { volunteer, editor } = await members(app, store);
    const sent = await volunteer.post(`/admin/persons/${stored.id}/edit?lang=en`, form({
      external_id: 'rev-0002', name_family_0: 'Калеснікава', name_given_0: 'Марыя', name_lang_0: 'be', gender: 'female', birth_date: '', region: '',
      tags: '', occupation: 'flautist', version: '1', reason: 'she is a musician',
    }));
    assert.equal(sent.status, 303, sent.body.slice(0, 2000));
    assert.match(sent.location!, new RegExp(`/admin/persons/${stored.id}\\?.*done=proposed`));
    const unchanged = (await personById(store.db, stored.id))!;
    assert.deepEqual([unchanged.version, unchanged.occupation], [1, 'nurse']);
    const publicPage = await publicPersonPage(app);
    assert.match(publicPage, /nurse/);
    assert.doesNotMatch(publicPage, /flautist/);

    const queue = await editor.get('/admin/review?lang=en');
    assert.match(queue.body, /Change to Марыя Калеснікава/);
    assert.match(queue.body, /Occupation<\/th><td><del>nurse<\/del><\/td><td><ins>flautist<\/ins>/);
    assert.doesNotMatch(queue.body, /Names<\/th>/, 'the restricted name the volunteer never saw is not shown as removed');
    const id = proposalIdIn(queue.body);
    const unexplained = await editor.post(`/admin/review/${id}/reject?lang=en`, { reason: '' });
    assert.equal(unexplained.status, 400);
    assert.match(unexplained.body, /say why the proposal is rejected/);
    const rejected = await editor.post(`/admin/review/${id}/reject?lang=en`, { reason: 'no source for this' });
    assert.equal(rejected.status, 303);
    const after = (await personById(store.db, stored.id))!;
    assert.deepEqual([after.version, after.occupation], [1, 'nurse']);
    assert.deepEqual(await auditActions(store, 'proposal'), ['propose', 'reject']);
    assert.doesNotMatch(await publicPersonPage(app), /flautist/);
    const theirs = await volunteer.get('/admin/review?lang=en');
    assert.match(theirs.body, /rejected by editor@example.org/);
    assert.match(theirs.body, /no source for this/);
    await app.close();
  });

  it('applies an approved edit keeping the names the volunteer could not see', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const stored = await createPerson(store, published(), { actor: 'seed@example.org', reason: 'seed' });
    const { volunteer, editor } = await members(app, store);
    const edit = await volunteer.get(`/admin/persons/${stored.id}/edit?lang=en`);
    assert.doesNotMatch(edit.body, /Сястра/, 'the form holds no restricted name');
    await volunteer.post(`/admin/persons/${stored.id}/edit?lang=en`, form({
      external_id: 'rev-0002', name_family_0: 'Калеснікава', name_given_0: 'Марыя', name_lang_0: 'be', gender: 'female', birth_date: '', region: '',
      tags: '', occupation: 'flautist', version: '1', reason: 'she is a musician',
    }));
    assert.doesNotMatch(await publicPersonPage(app), /flautist/);
    const queue = await editor.get('/admin/review?lang=en');
    const approved = await editor.post(`/admin/review/${proposalIdIn(queue.body)}/approve?lang=en`, { note: '' });
    assert.equal(approved.status, 303, approved.body.slice(0, 2000));
    const after = (await personById(store.db, stored.id))!;
    assert.equal(after.version, 2);
    assert.equal(after.occupation, 'flautist');
    assert.deepEqual(after.names.map((n) => [n.family, n.confidentiality]), [['Калеснікава', 'public'], ['Сястра', 'restricted']]);
    assert.match(await publicPersonPage(app), /flautist/, 'the public page follows once approved');
    await app.close();
  });

  it('does not apply a proposal made against a version that has changed since', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const stored = await createPerson(store, published(), { actor: 'seed@example.org', reason: 'seed' });
    const { volunteer, editor } = await members(app, store);
    await volunteer.post(`/admin/persons/${stored.id}/edit?lang=en`, form({
      external_id: 'rev-0002', name_family_0: 'Калеснікава', name_given_0: 'Марыя', name_lang_0: 'be', gender: 'female', birth_date: '', region: '',
      tags: '', occupation: 'flautist', version: '1', reason: 'she is a musician',
    }));
    await editPerson(store, stored.id, 1, { occupation: 'conductor' }, { actor: 'other@example.org', reason: 'newer source' });
    const queue = await editor.get('/admin/review?lang=en');
    assert.match(queue.body, /proposed against version 1, now 2/);
    const id = Number((await store.db.selectFrom('proposal').select('id').executeTakeFirstOrThrow()).id);
    const forced = await editor.post(`/admin/review/${id}/approve?lang=en`, { note: '' });
    assert.equal(forced.status, 409);
    assert.match(forced.body, /your version 1, now 2/);
    const after = (await personById(store.db, stored.id))!;
    assert.deepEqual([after.version, after.occupation], [2, 'conductor']);
    assert.equal((await store.db.selectFrom('proposal').select('status').executeTakeFirstOrThrow()).status, 'pending');
    await app.close();
  });

  it('lets neither a volunteer nor a researcher approve', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { volunteer } = await members(app, store);
    await volunteer.post('/admin/persons/new?lang=en', form());
    const id = Number((await store.db.selectFrom('proposal').select('id').executeTakeFirstOrThrow()).id);
    const own = await volunteer.post(`/admin/review/${id}/approve?lang=en`, { note: '' });
    assert.equal(own.status, 403);
    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    assert.equal((await researcher.post(`/admin/review/${id}/approve?lang=en`, { note: '' })).status, 403);
    assert.equal((await researcher.get('/admin/review?lang=en')).status, 403);
    assert.equal((await researcher.post('/admin/persons/new?lang=en', form({ external_id: 'rev-0003' }))).status, 403, 'a researcher may not even propose');
    assert.equal((await store.db.selectFrom('person').select('id').execute()).length, 0);
    assert.deepEqual((await store.db.selectFrom('proposal').select('status').execute()).map((row) => row.status), ['pending']);
    await app.close();
  });
});
