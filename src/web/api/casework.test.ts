/**
 * Casework through the API: assistance cases (with aid, follow-ups and reminders), letters and health
 * flags — who may read and write them, family contacts and health details only for cleared roles,
 * every restricted read in the audit trail, versions and history, and bad input refused.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { auditEntries } from '../../features/audit/audit.service.js';
import type { Role } from '../../domain/policy.js';
import type { Store } from '../../store/connection.js';
import { buildApp } from '../app.js';
import type { App } from './app-types.js';

type Headers = { authorization: string };
const CONTACT = 'Maci Hanna +375290000000';

async function team(app: App, store: Store): Promise<Record<Role, Headers>> {
  const headers = {} as Record<Role, Headers>;
  for (const role of ['admin', 'editor', 'researcher', 'volunteer'] as const) headers[role] = await memberWithToken(app, store, `${role}@example.org`, role);
  return headers;
}

async function people(app: App, editor: Headers): Promise<void> {
  for (const [external_id, confidentiality] of [['p1', 'internal'], ['secret', 'restricted']] as const) {
    const response = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: editor, payload: { external_id, confidentiality, names: [{ family: `Family ${external_id}` }] } });
    assert.equal(response.statusCode, 201, response.body);
  }
}

const post = async (app: App, url: string, headers: Headers, payload: object) => app.inject({ method: 'POST', url, headers, payload });
const get = async (app: App, url: string, headers: Headers) => app.inject({ method: 'GET', url, headers });

describeBothBackends('casework API', (backend) => {
  it('keeps assistance cases from roles without clearance, shows family contacts only to cleared roles and audits every restricted read', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const who = await team(app, store);
    await people(app, who.editor);
    const created = await post(app, '/api/v1/casework/cases', who.editor, {
      person: 'p1', needs: ['legal', 'parcels', 'legal'], family_contacts: [{ name: CONTACT, relation: 'mother' }], summary: 'lawyer and parcels', change_reason: 'the mother called',
    });
    assert.equal(created.statusCode, 201, created.body);
    const c = created.json();
    assert.deepEqual([c.confidentiality, c.status, c.needs, c.person, c.family_contacts[0].name], ['restricted', 'open', ['legal', 'parcels'], 'p1', CONTACT]);

    for (const role of ['researcher', 'volunteer'] as const) {
      assert.equal((await get(app, `/api/v1/casework/cases/${c.id}`, who[role])).statusCode, 404, `${role} reads the case`);
      assert.deepEqual((await get(app, '/api/v1/casework/cases', who[role])).json().items, [], `${role} lists cases`);
      assert.equal((await post(app, '/api/v1/casework/cases', who[role], { person: 'p1' })).statusCode, 403, `${role} opens a case`);
    }
    assert.equal((await get(app, '/api/v1/casework/cases', { authorization: '' })).statusCode, 401);

    const before = (await auditEntries(store.db, { limit: 100, action: 'read_restricted' })).length;
    const read = await get(app, `/api/v1/casework/cases/${c.id}`, who.admin);
    assert.equal(read.json().family_contacts[0].name, CONTACT);
    const reads = await auditEntries(store.db, { limit: 100, action: 'read_restricted' });
    assert.equal(reads.length, before + 1);
    assert.deepEqual([reads[0]!.actor, reads[0]!.entity, reads[0]!.entity_id, (reads[0]!.detail.fields as string[]).sort()], ['admin@example.org', 'assistance_case', String(c.id), ['assistance_case', 'family_contacts']]);

    // Opened to the team: every member sees the case, but the family's contacts stay restricted.
    const opened = await app.inject({ method: 'PATCH', url: `/api/v1/casework/cases/${c.id}`, headers: who.editor, payload: { version: 1, change_reason: 'volunteers pack parcels', confidentiality: 'internal' } });
    assert.equal(opened.statusCode, 200, opened.body);
    const seen = await get(app, `/api/v1/casework/cases/${c.id}`, who.volunteer);
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.json().family_contacts, undefined);
    assert.ok(!seen.body.includes(CONTACT));
    const history = await get(app, `/api/v1/casework/cases/${c.id}/history`, who.volunteer);
    assert.equal(history.json().items.length, 2);
    assert.ok(!history.body.includes(CONTACT), 'no version shows the contacts to an uncleared role');
    assert.equal((await app.inject({ method: 'PATCH', url: `/api/v1/casework/cases/${c.id}`, headers: who.editor, payload: { version: 1, change_reason: 'x', status: 'closed' } })).statusCode, 409);
    await app.close();
  });

  it('records aid and follow-ups and lists the reminders due, only for those who may see the case', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const who = await team(app, store);
    await people(app, who.editor);
    const c = (await post(app, '/api/v1/casework/cases', who.editor, { person: 'p1', needs: ['financial'] })).json();
    const aid = await post(app, '/api/v1/casework/aid', who.editor, { case_id: c.id, date: '2025-03', kind: 'financial', amount: 150, currency: 'eur', description: 'lawyer fee' });
    assert.equal(aid.statusCode, 201, aid.body);
    assert.deepEqual([aid.json().currency, aid.json().person], ['EUR', 'p1']);
    for (const [due, action] of [['2025-04-01', 'call the lawyer'], ['2025-03-15', 'send a parcel'], ['2025-06-01', 'visit']]) {
      assert.equal((await post(app, '/api/v1/casework/follow-ups', who.editor, { case_id: c.id, due, action })).statusCode, 201);
    }
    const due = await get(app, '/api/v1/casework/reminders?on=2025-04-01', who.editor);
    assert.equal(due.statusCode, 200, due.body);
    assert.deepEqual(due.json().items.map((f: { action: string }) => f.action), ['send a parcel', 'call the lawyer'], 'due on or before the day, most overdue first');
    const parcel = due.json().items[0];
    const done = await app.inject({ method: 'PATCH', url: `/api/v1/casework/follow-ups/${parcel.id}`, headers: who.editor, payload: { version: parcel.version, change_reason: 'sent', done_on: '2025-03-20' } });
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual((await get(app, '/api/v1/casework/reminders?on=2025-04-01', who.editor)).json().items.map((f: { action: string }) => f.action), ['call the lawyer']);
    assert.deepEqual((await get(app, '/api/v1/casework/reminders?on=2025-04-01', who.researcher)).json().items, [], 'a restricted case gives no reminders to a researcher');
    assert.deepEqual((await get(app, `/api/v1/casework/aid?case_id=${c.id}`, who.volunteer)).json().items, []);
    assert.equal((await get(app, `/api/v1/casework/aid?case_id=${c.id}`, who.editor)).json().items.length, 1);
    const audited = await auditEntries(store.db, { limit: 100, action: 'read_restricted' });
    assert.ok(audited.some((entry) => entry.entity === 'follow_up' && entry.actor === 'editor@example.org'), 'reminders of a restricted case are audited');
    assert.ok(audited.some((entry) => entry.entity === 'assistance_aid'), 'aid of a restricted case is audited');

    const refused: [string, object, RegExp][] = [
      ['/api/v1/casework/cases', { person: 'p1', confidentiality: 'public' }, /confidentiality/],
      ['/api/v1/casework/cases', { person: 'nobody' }, /person nobody/],
      ['/api/v1/casework/aid', { case_id: c.id, date: '2025-03', kind: 'financial', amount: 10 }, /currency/],
      ['/api/v1/casework/aid', { case_id: 999, date: '2025-03', kind: 'legal' }, /no assistance case 999/],
      ['/api/v1/casework/aid', { case_id: c.id, date: '2025-13', kind: 'legal' }, /date/],
      ['/api/v1/casework/follow-ups', { case_id: c.id, due: '2025-04', action: 'x' }, /due/],
    ];
    const counts = await store.db.selectFrom('change_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    for (const [url, payload, message] of refused) {
      const response = await post(app, url, who.editor, payload);
      assert.ok([400, 404].includes(response.statusCode), `${url} ${JSON.stringify(payload)}: ${response.statusCode}`);
      assert.match(response.json().error.message, message);
    }
    assert.deepEqual(await store.db.selectFrom('change_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(), counts, 'refused input changes nothing');
    await app.close();
  });

  it('lets volunteers log letters about people they may see, names who logged them, and counts them', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const who = await team(app, store);
    await people(app, who.editor);
    const sent = await post(app, '/api/v1/letters', who.volunteer, { person: 'p1', direction: 'sent', date: '2025-01-10', logged_by: 'someone@else' });
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal(sent.json().logged_by, 'volunteer@example.org', 'who logged it comes from the account, not the input');
    assert.equal((await post(app, '/api/v1/letters', who.editor, { person: 'p1', direction: 'sent', date: '2025-02' })).statusCode, 201);
    assert.equal((await post(app, '/api/v1/letters', who.volunteer, { person: 'p1', direction: 'reply', date: '2025-03-01' })).statusCode, 201);
    assert.equal((await post(app, '/api/v1/letters', who.researcher, { person: 'p1', direction: 'sent', date: '2025-03-01' })).statusCode, 403);
    assert.equal((await post(app, '/api/v1/letters', who.volunteer, { person: 'secret', direction: 'sent', date: '2025-03-01' })).statusCode, 404, 'a person the volunteer may not see');
    assert.equal((await post(app, '/api/v1/letters', who.volunteer, { person: 'p1', direction: 'sent', date: '2999-01-01' })).statusCode, 400);
    assert.equal((await post(app, '/api/v1/letters', who.volunteer, { person: 'p1', direction: 'received', date: '2025-01-01' })).statusCode, 400);
    const counts = await get(app, '/api/v1/letters/counts?person=p1', who.researcher);
    assert.deepEqual(counts.json(), { person: 'p1', sent: 2, replies: 1 });
    assert.equal((await get(app, '/api/v1/letters/counts?person=secret', who.volunteer)).statusCode, 404);
    assert.equal((await get(app, '/api/v1/letters?person=p1', who.volunteer)).json().items.length, 3);
    const fix = await app.inject({ method: 'PATCH', url: `/api/v1/letters/${sent.json().id}`, headers: who.volunteer, payload: { version: 1, change_reason: 'wrong day', date: '2025-01-11' } });
    assert.equal(fix.statusCode, 200, fix.body);
    assert.equal(fix.json().logged_by, 'volunteer@example.org');
    assert.equal((await post(app, '/api/v1/casework/cases', who.volunteer, { person: 'p1' })).statusCode, 403, 'logging letters is no right to casework');
    const paths = Object.keys((await app.inject({ url: '/api/v1/openapi.json' })).json().paths);
    for (const path of ['/api/v1/casework/cases', '/api/v1/casework/aid', '/api/v1/casework/follow-ups', '/api/v1/casework/reminders', '/api/v1/letters', '/api/v1/letters/counts',
      '/api/v1/health-flags', '/api/v1/officials', '/api/v1/violations', '/api/v1/reports/accountability']) assert.ok(paths.includes(path), `OpenAPI documents ${path}`);
    await app.close();
  });

  it('keeps health details restricted whatever the flag level', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const who = await team(app, store);
    await people(app, who.editor);
    const flag = await post(app, '/api/v1/health-flags', who.editor, { person: 'p1', kind: 'serious_illness', detail: 'diabetes, no insulin', noted_on: '2024-05', confidentiality: 'internal' });
    assert.equal(flag.statusCode, 201, flag.body);
    const researcher = await get(app, `/api/v1/health-flags/${flag.json().id}`, who.researcher);
    assert.equal(researcher.statusCode, 200);
    assert.deepEqual([researcher.json().kind, researcher.json().detail], ['serious_illness', undefined]);
    assert.ok(!researcher.body.includes('insulin'));
    assert.equal((await get(app, `/api/v1/health-flags/${flag.json().id}`, who.editor)).json().detail, 'diabetes, no insulin');
    const read = (await auditEntries(store.db, { limit: 10, action: 'read_restricted' }))[0]!;
    assert.deepEqual([read.entity, read.detail.fields], ['health_flag', ['detail']]);
    const wrong = await post(app, '/api/v1/health-flags', who.editor, { person: 'p1', kind: 'disability', noted_on: '2024-05', resolved_on: '2024-01' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.json().error.message, /resolved_on/);
    await app.close();
  });
});
