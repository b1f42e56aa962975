/**
 * History in the workspace: every version with who, when, why and a field-by-field diff, redacted to the
 * member's clearance; restoring an earlier version as a new, logged and audited version; a stale restore
 * refused; imported events' first version coming from their import batch.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../../test-support/stores.js';
import { tempFile } from '../../../test-support/files.js';
import { workspaceMember } from '../../../test-support/workspace.js';
import { createPerson, editPerson } from '../../../features/persons/person.service.js';
import { updateEvent } from '../../../features/events/event.service.js';
import { importPersons } from '../../../features/import/persons.import.js';
import { importEvents } from '../../../features/import/events.import.js';
import { personById, personData, type PersonData } from '../../../store/person.repository.js';
import { buildApp } from '../../app.js';

const seed = { actor: 'seed@example.org', reason: 'seed' };

function person(overrides: Partial<PersonData> = {}): PersonData {
  return {
    external_id: 'hist-1', birth_date: '1982-09', gender: 'female', region: 'Homiel region', occupation: 'teacher', tags: ['fictional'], biography: {},
    publish: false, confidentiality: 'internal', field_levels: {},
    names: [
      { family: 'Тихановская', given: 'Светлана', patronymic: null, full_name: null, lang: 'ru', script: 'Cyrl', romanization: null, confidentiality: 'internal' },
      { family: 'Ціханоўская', given: 'Святлана', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'restricted' },
    ],
    ...overrides,
  };
}

describeBothBackends('workspace: history and restore', (backend) => {
  it('shows every version with who, when, why and what changed', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const created = await createPerson(store, person(), { actor: 'first@example.org', reason: 'court list of 2021-05' });
    await editPerson(store, created.id, 1, { occupation: 'school teacher' }, { actor: 'second@example.org', reason: 'family letter' });
    await editPerson(store, created.id, 2, { region: 'Minsk' }, { actor: 'third@example.org', reason: 'press report' });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const page = await editor.get(`/admin/persons/${created.id}/history?lang=en`);
    assert.equal(page.status, 200, page.body.slice(0, 1000));
    for (const n of [1, 2, 3]) assert.match(page.body, new RegExp(`Version ${n} — `));
    assert.match(page.body, /first@example.org[\s\S]*court list of 2021-05/);
    assert.match(page.body, /second@example.org[\s\S]*family letter/);
    assert.match(page.body, /Occupation<\/th><td><del>teacher<\/del><\/td><td><ins>school teacher<\/ins>/);
    assert.match(page.body, /Region<\/th><td><del>Homiel region<\/del><\/td><td><ins>Minsk<\/ins>/);
    // Newest first.
    assert.ok(page.body.indexOf('Version 3 — ') < page.body.indexOf('Version 1 — '));
    await app.close();
  });

  it('shows a volunteer no restricted value of any version, an editor all of them with the read audited', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const created = await createPerson(store, person(), seed);
    await editPerson(store, created.id, 1, { occupation: 'lecturer' }, seed);
    const volunteer = await workspaceMember(app, store, 'volunteer@example.org', 'volunteer');
    const theirs = await volunteer.get(`/admin/persons/${created.id}/history?lang=en`);
    assert.equal(theirs.status, 200);
    assert.match(theirs.body, /Тихановская/);
    assert.doesNotMatch(theirs.body, /Ціханоўская/, 'the restricted name appears in no version');
    assert.doesNotMatch(theirs.body, /Restore this version/, 'a volunteer may not restore');
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const reads = async () => (await store.db.selectFrom('audit_log').select('actor').where('action', '=', 'read_restricted').execute()).map((row) => row.actor);
    assert.deepEqual(await reads(), []);
    const ours = await editor.get(`/admin/persons/${created.id}/history?lang=en`);
    assert.match(ours.body, /Ціханоўская/);
    assert.deepEqual(await reads(), ['editor@example.org']);
    await app.close();
  });

  it('restores version K as version N+1 with the same content, logged and audited; the history keeps every version', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const created = await createPerson(store, person(), seed);
    const version1 = personData((await personById(store.db, created.id))!);
    await editPerson(store, created.id, 1, { occupation: 'lecturer', names: [version1.names[0]!] }, seed);
    await editPerson(store, created.id, 2, { region: 'Minsk', tags: ['fictional', 'moved'] }, seed);
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const restored = await editor.post(`/admin/history/person/${created.id}/restore?lang=en`, { version: '1', expected: '3', reason: 'the edits were made to the wrong record' });
    assert.equal(restored.status, 303, restored.body.slice(0, 2000));
    assert.match(restored.location!, /done=restored/);
    const now = (await personById(store.db, created.id))!;
    assert.equal(now.version, 4);
    assert.deepEqual(personData(now), version1);
    const log = await store.db.selectFrom('change_log').select(['version', 'actor', 'reason', 'action']).where('entity', '=', 'person').where('entity_id', '=', created.id).orderBy('id').execute();
    assert.deepEqual(log.map((row) => row.version), [1, 2, 3, 4], 'nothing rewritten: a fourth version');
    assert.deepEqual(log[3], { version: 4, actor: 'editor@example.org', reason: 'restored version 1: the edits were made to the wrong record', action: 'update' });
    const audit = await store.db.selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'update').where('entity', '=', 'person').execute();
    assert.ok(audit.some((row) => row.actor === 'editor@example.org' && JSON.parse(row.detail).version === 4), 'the restore is audited');
    const page = await editor.get(restored.location!);
    assert.match(page.body, /The earlier version was restored\./);
    assert.match(page.body, /Version 4 — changed[\s\S]*restored version 1/);
    await app.close();
  });

  it('refuses a restore over a newer edit, and a restore without a reason, changing nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const created = await createPerson(store, person(), seed);
    await editPerson(store, created.id, 1, { occupation: 'lecturer' }, seed);
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    // The editor opened the history at version 2; someone saved version 3 meanwhile.
    await editPerson(store, created.id, 2, { occupation: 'engineer' }, { actor: 'other@example.org', reason: 'new source' });
    const stale = await editor.post(`/admin/history/person/${created.id}/restore?lang=en`, { version: '1', expected: '2', reason: 'wrong record' });
    assert.equal(stale.status, 409);
    assert.match(stale.body, /your version 2, now 3/);
    const unexplained = await editor.post(`/admin/history/person/${created.id}/restore?lang=en`, { version: '1', expected: '3', reason: ' ' });
    assert.equal(unexplained.status, 400);
    assert.match(unexplained.body, /reason: say why/);
    const now = (await personById(store.db, created.id))!;
    assert.deepEqual([now.version, now.occupation], [3, 'engineer']);
    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    const refused = await researcher.post(`/admin/history/person/${created.id}/restore?lang=en`, { version: '1', expected: '3', reason: 'wrong record' });
    assert.equal(refused.status, 403);
    assert.equal((await personById(store.db, created.id))!.version, 3);
    await app.close();
  });

  it("shows an imported event's first version from its import batch and restores an event's earlier version", async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await importPersons(store, tempFile('people.csv', 'external_id,family_name_be,given_name_be,publish\nev-1,Лосік,Ігар,no\n'), { actor: 'importer@example.org' });
    await importEvents(store, tempFile('events.csv', 'person_external_id,type,date,facility\nev-1,detained,2020-06,Akrestsina\n'), { actor: 'importer@example.org' });
    const event = await store.db.selectFrom('event').select(['id', 'version']).executeTakeFirstOrThrow();
    await updateEvent(store, event.id, 1, { date: '2020-06-25' }, { actor: 'fixer@example.org', reason: 'exact date from the verdict' });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const page = await editor.get(`/admin/history/event/${event.id}?lang=en`);
    assert.equal(page.status, 200, page.body.slice(0, 1000));
    assert.match(page.body, /Version 1 — created[\s\S]*importer@example.org[\s\S]*import events\.csv \(sha256 [0-9a-f]{64}\)/);
    assert.match(page.body, /Date<\/th><td><del>2020-06<\/del><\/td><td><ins>2020-06-25<\/ins>/);
    const restored = await editor.post(`/admin/history/event/${event.id}/restore?lang=en`, { version: '1', expected: '2', reason: 'the verdict was misread' });
    assert.equal(restored.status, 303, restored.body.slice(0, 2000));
    const row = await store.db.selectFrom('event').select(['date', 'version']).where('id', '=', event.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { date: '2020-06', version: 3 });
    await app.close();
  });
});
