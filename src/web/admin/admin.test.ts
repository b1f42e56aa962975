/**
 * The workspace without JavaScript: signing in with password and one-time code, the CSRF field on
 * every form, creating and editing people through forms (name variants, duplicate warning, partial
 * dates, stale edits), and roles that may not write.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { setUpAccount, PASSWORD } from '../../test-support/accounts.js';
import { encodeForm, inputValue, signInToWorkspace, workspaceMember } from '../../test-support/workspace.js';
import { currentTotp } from '../../features/auth/totp.js';
import { createPerson } from '../../features/persons/person.service.js';
import { buildApp } from '../app.js';
import { cookieSecure } from '../api/auth.routes.js';

const personFields = (overrides: Record<string, string> = {}) => ({
  rows: '2', intent: 'save', external_id: 'by-0001', name_family_0: 'Тихановская', name_given_0: 'Светлана', name_patronymic_0: 'Георгиевна', name_lang_0: 'ru', name_level_0: 'public',
  name_family_1: '', name_given_1: '', name_patronymic_1: '', name_lang_1: '', name_level_1: 'internal',
  birth_date: '1982-09', gender: 'female', region: 'Homiel region', occupation: 'teacher', tags: 'test; fictional', confidentiality: 'internal', reason: 'court report of 2021-05', ...overrides,
});

describeBothBackends('workspace: sign-in, forms and people', (backend) => {
  it('sends anonymous visitors to the sign-in form and back where they were going', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const answer = await app.inject({ method: 'GET', url: '/admin/persons?lang=ru' });
    assert.equal(answer.statusCode, 303);
    assert.equal(answer.headers.location, `/admin/sign-in?lang=ru&next=${encodeURIComponent('/admin/persons?lang=ru')}`);
    const form = await app.inject({ method: 'GET', url: answer.headers.location as string });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<html lang="ru">/);
    assert.match(form.body, /Одноразовый код/);
    await app.close();
  });

  it('signs in with password and one-time code; a wrong code or a forged form signs nobody in', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const secret = await setUpAccount(app, store, 'editor@example.org', 'editor');
    const form = await app.inject({ method: 'GET', url: '/admin/sign-in?lang=en' });
    const formCookie = `vigil_form=${form.cookies.find((c) => c.name === 'vigil_form')!.value}`;
    const token = inputValue(form.body, '_form')!;
    const post = (fields: Record<string, string>, cookie = formCookie) =>
      app.inject({ method: 'POST', url: '/admin/sign-in?lang=en', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, payload: encodeForm(fields) });

    const wrong = await post({ _form: token, next: '/admin', email: 'editor@example.org', password: PASSWORD, totp: '000000' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /the email, password or one-time code is wrong/);
    assert.equal(wrong.cookies.find((c) => c.name === 'vigil_session'), undefined);
    assert.match(wrong.body, /value="editor@example.org"/, 'the email is kept in the form');

    const forged = await post({ _form: 'not-the-cookie', next: '/admin', email: 'editor@example.org', password: PASSWORD, totp: currentTotp(secret) });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.cookies.find((c) => c.name === 'vigil_session'), undefined);

    const offsite = await post({ _form: token, next: 'https://evil.example/admin', email: 'editor@example.org', password: PASSWORD, totp: currentTotp(secret) });
    assert.equal(offsite.statusCode, 303);
    assert.equal(offsite.headers.location, '/admin?lang=en', 'never sent off the site after signing in');
    await app.close();
  });

  it('refuses a form without the session CSRF field and changes nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const refused = await editor.post('/admin/persons/new?lang=en', { ...personFields(), _csrf: 'forged' });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /not sent from a page of your current session/);
    const people = await store.db.selectFrom('person').select('id').execute();
    assert.equal(people.length, 0);
    await app.close();
  });

  it('creates a person typed in Russian form, with history and audit, and shows the other forms of the name', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const check = await editor.post('/admin/persons/new?lang=en', personFields({ intent: 'check' }));
    assert.equal(check.status, 200);
    assert.match(check.body, /Tikhanovskaya Svetlana/, 'a Latin form is suggested');
    assert.match(check.body, /Ціханоўская Святлана/, 'the Belarusian form is suggested');
    assert.equal((await store.db.selectFrom('person').select('id').execute()).length, 0, '"check names" saves nothing');

    const saved = await editor.post('/admin/persons/new?lang=en', personFields());
    assert.equal(saved.status, 303, saved.body.slice(0, 2000));
    const id = Number(saved.location!.match(/\/admin\/persons\/(\d+)/)![1]);
    const page = await editor.get(saved.location!);
    assert.equal(page.status, 200);
    assert.match(page.body, /Created\./);
    assert.match(page.body, /Тихановская Светлана Георгиевна/);
    const person = await store.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(person.birth_date, '1982-09');
    assert.equal(person.publish, 0);
    const change = await store.db.selectFrom('change_log').selectAll().where('entity', '=', 'person').where('entity_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(change.actor, 'editor@example.org');
    assert.equal(change.reason, 'court report of 2021-05');
    const audit = await store.db.selectFrom('audit_log').select('action').where('entity', '=', 'person').where('entity_id', '=', String(id)).execute();
    assert.deepEqual(audit.map((a) => a.action), ['create']);
    await app.close();
  });

  it('warns of a likely duplicate in another script and creates only after "this is a different person"', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await createPerson(store, {
      external_id: 'by-0009', birth_date: null, gender: 'female', region: null, occupation: null, tags: [], biography: {}, publish: false, confidentiality: 'internal', field_levels: {},
      names: [{ family: 'Ціханоўская', given: 'Святлана', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'internal' }],
    }, { actor: 'test', reason: 'seed' });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const warned = await editor.post('/admin/persons/new?lang=en', personFields());
    assert.equal(warned.status, 200);
    assert.match(warned.body, /Ціханоўская Святлана/);
    assert.match(warned.body, /this is a different person/);
    assert.equal((await store.db.selectFrom('person').select('id').execute()).length, 1, 'nothing created yet');
    const created = await editor.post('/admin/persons/new?lang=en', personFields({ different: 'yes' }));
    assert.equal(created.status, 303);
    assert.equal((await store.db.selectFrom('person').select('id').execute()).length, 2);
    await app.close();
  });

  it('sends a form with a wrong value back naming the field, keeping what was typed, storing nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const answer = await editor.post('/admin/persons/new?lang=en', personFields({ birth_date: '1982-13-40', reason: '' }));
    assert.equal(answer.status, 400);
    assert.match(answer.body, /Birth date: &quot;1982-13-40&quot; is not YYYY, YYYY-MM or YYYY-MM-DD/);
    assert.match(answer.body, /say why the record changes/);
    assert.match(answer.body, /value="Тихановская"/);
    assert.equal((await store.db.selectFrom('person').select('id').execute()).length, 0);
    await app.close();
  });

  it('edits a person; a stale edit is refused with the typed values kept', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const saved = await editor.post('/admin/persons/new?lang=en', personFields());
    const id = Number(saved.location!.match(/\/admin\/persons\/(\d+)/)![1]);
    const form = await editor.get(`/admin/persons/${id}/edit?lang=en`);
    assert.equal(inputValue(form.body, 'version'), '1');
    const edited = await editor.post(`/admin/persons/${id}/edit?lang=en`, personFields({ version: '1', occupation: 'school teacher', reason: 'family letter' }));
    assert.equal(edited.status, 303);
    const row = await store.db.selectFrom('person').select(['occupation', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { occupation: 'school teacher', version: 2 });
    const stale = await editor.post(`/admin/persons/${id}/edit?lang=en`, personFields({ version: '1', occupation: 'lecturer', reason: 'other source' }));
    assert.equal(stale.status, 200);
    assert.match(stale.body, /your version 1, now 2/);
    assert.match(stale.body, /value="lecturer"/);
    assert.equal((await store.db.selectFrom('person').select('occupation').where('id', '=', id).executeTakeFirstOrThrow()).occupation, 'school teacher');
    await app.close();
  });

  it('lets a researcher find and read people but not create them', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    await editor.post('/admin/persons/new?lang=en', personFields());
    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    const found = await researcher.get(`/admin/persons?lang=en&q=${encodeURIComponent('Tsikhanouskaya')}`);
    assert.equal(found.status, 200);
    assert.match(found.body, /Светлана Тихановская/);
    const refused = await researcher.post('/admin/persons/new?lang=en', personFields({ external_id: 'by-0002' }));
    assert.equal(refused.status, 403);
    assert.equal((await store.db.selectFrom('person').select('id').execute()).length, 1);
    await app.close();
  });

  it('shows the coordinator dashboard with counts and people without any source', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    await editor.post('/admin/persons/new?lang=en', personFields());
    const board = await editor.get('/admin?lang=en');
    assert.equal(board.status, 200);
    assert.match(board.body, /People without any source \(1\)/);
    assert.match(board.body, /Тихановская Светлана/);
    assert.match(board.body, /<strong>1<\/strong>changes to records/);
    await app.close();
  });

  it('keeps restricted people and the reasons of restricted changes off a volunteer\'s dashboard', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    await editor.post('/admin/persons/new?lang=en', personFields({ external_id: 'hidden-1', name_family_0: 'Засакрэчаная', name_given_0: 'Марыя', name_lang_0: 'be', name_level_0: 'restricted', confidentiality: 'restricted', reason: 'SECRET-REASON witness' }));
    await editor.post('/admin/persons/new?lang=en', personFields({ external_id: 'open-1', reason: 'court list' }));
    const volunteer = await workspaceMember(app, store, 'volunteer@example.org', 'volunteer');
    const seen = await volunteer.get('/admin?lang=en');
    assert.equal(seen.status, 200);
    assert.match(seen.body, /People without any source \(2\)/, 'counted');
    assert.doesNotMatch(seen.body, /Засакрэчаная|hidden-1|SECRET-REASON/);
    assert.match(seen.body, /court list/);
    const cleared = await editor.get('/admin?lang=en');
    assert.match(cleared.body, /Засакрэчаная/);
    assert.match(cleared.body, /SECRET-REASON/);
    await app.close();
  });

  it('links the printable reports, which open with the workspace session', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    const page = await researcher.get('/admin/reports?lang=en');
    assert.equal(page.status, 200);
    const links = [...page.body.matchAll(/href="(\/api\/v1\/reports\/[^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    assert.ok(links.length >= 5, links.join(' '));
    for (const link of links) assert.equal((await researcher.get(link)).status, 200, link);
    const volunteer = await workspaceMember(app, store, 'volunteer@example.org', 'volunteer');
    assert.match((await volunteer.get('/admin/reports?lang=en')).body, /Your role may not export/);
    await app.close();
  });

  it('lets a volunteer log letters sent and replies; a researcher may not; a future date is refused', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const saved = await editor.post('/admin/persons/new?lang=en', personFields());
    const id = Number(saved.location!.match(/\/admin\/persons\/(\d+)/)![1]);
    const volunteer = await workspaceMember(app, store, 'volunteer@example.org', 'volunteer');
    assert.equal((await volunteer.post(`/admin/persons/${id}/letters?lang=en`, { direction: 'sent', date: '2024-03-01', note: 'birthday card' })).status, 303);
    assert.equal((await volunteer.post(`/admin/persons/${id}/letters?lang=en`, { direction: 'reply', date: '2024-04-02', note: '' })).status, 303);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const future = await volunteer.post(`/admin/persons/${id}/letters?lang=en`, { direction: 'sent', date: tomorrow, note: '' });
    assert.equal(future.status, 400);
    assert.match(future.body, new RegExp(`date: ${tomorrow} is in the future`));
    const page = await volunteer.get(`/admin/persons/${id}/letters?lang=en`);
    assert.match(page.body, /Logged: 1 sent, 1 replies/);
    const rows = await store.db.selectFrom('letter').select(['direction', 'logged_by']).orderBy('id').execute();
    assert.deepEqual(rows, [{ direction: 'sent', logged_by: 'volunteer@example.org' }, { direction: 'reply', logged_by: 'volunteer@example.org' }]);
    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    assert.equal((await researcher.post(`/admin/persons/${id}/letters?lang=en`, { direction: 'sent', date: '2024-05-01', note: '' })).status, 403);
    assert.equal((await store.db.selectFrom('letter').select('id').execute()).length, 2);
    await app.close();
  });

  it('signs out: the session ends on the server', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const out = await editor.post('/admin/sign-out?lang=en', {});
    assert.equal(out.status, 303);
    const after = await editor.get('/admin?lang=en');
    assert.equal(after.status, 303);
    assert.match(after.location!, /^\/admin\/sign-in/);
    await app.close();
  });
});

describeBothBackends('workspace: signing in again', (backend) => {
  it('works for a member whose account was set up in the browser', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const secret = await setUpAccount(app, store, 'volunteer@example.org', 'volunteer');
    const client = await signInToWorkspace(app, 'volunteer@example.org', secret);
    assert.equal((await client.get('/admin?lang=en')).status, 200);
    await app.close();
  });
});

describe('session cookie', () => {
  it('is Secure over https and on localhost, not on a plain-http LAN address where browsers would drop it', () => {
    assert.equal(cookieSecure('https://vigil.example.org'), true);
    assert.equal(cookieSecure('http://localhost:8080'), true);
    assert.equal(cookieSecure('http://127.0.0.1:8080'), true);
    assert.equal(cookieSecure('http://192.168.1.5:8080'), false);
    assert.equal(cookieSecure('not an origin'), true);
  });
});
