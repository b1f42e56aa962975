/**
 * Cases, facilities and release deals in the workspace, as a browser without JavaScript drives them:
 * create, read, correct, a stale correction refused with the typed values kept, a bad value sent back
 * naming its field, and roles that may not write. Everyone and everything here is fictional.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { inputValue, workspaceMember } from '../../test-support/workspace.js';
import type { Store } from '../../store/connection.js';
import { createPerson } from '../../features/persons/person.service.js';
import { createDeal } from '../../features/releases/deal.service.js';
import { createSanction } from '../../features/releases/sanction.service.js';
import { buildApp } from '../app.js';

async function fictionalPerson(store: Store, externalId: string, family: string, confidentiality: 'internal' | 'restricted' = 'internal') {
  return createPerson(store, {
    external_id: externalId, birth_date: null, gender: 'male', region: null, occupation: null, tags: ['fictional'], biography: {}, publish: false,
    confidentiality, field_levels: {},
    names: [{ family, given: 'Янка', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality }],
  }, { actor: 'test', reason: 'fictional test person' });
}

const decode = (page: string) => page.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
const idIn = (location: string | undefined, kind: string) => Number(location!.match(new RegExp(`/admin/${kind}/(\\d+)`))![1]);

const caseFields = (overrides: Record<string, string> = {}) => ({
  person: 'by-case-1', case_number: '1-2021/77', articles: '342', court: 'Minsk city court (fictional)', judge: 'Judge N. (fictional)', prosecutor: 'Prosecutor M. (fictional)',
  verdict_date: '2021-09', term_years: '2', term_months: '0', regime: 'general', note: '', confidentiality: 'internal', reason: 'verdict text', ...overrides,
});

const facilityFields = (overrides: Record<string, string> = {}) => ({
  name: 'Penal colony 99 (fictional)', type: 'penal_colony', address: '1 Fictional street\n000000 Nowhere', region: 'Viciebsk region', lat: '55.19', lon: '30.2', reason: 'prison list', ...overrides,
});

const dealFields = (overrides: Record<string, string | string[]> = {}) => ({
  slug: '2025-09-fictional', date: '2025-09', facilitator: 'United States', envoy: 'Envoy X (fictional)', counterpart: '', destinations: ['LT'], other_destinations: 'AT',
  conditions: ['forced_expulsion', 'passport_withheld'], summary: 'Fictional deal for tests.', confidentiality: 'internal', reason: 'press release', ...overrides,
});

describeBothBackends('workspace: cases', (backend) => {
  it('creates a case for a person, lists and reads it, corrects it; a stale edit and a bad value are refused', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const person = await fictionalPerson(store, 'by-case-1', 'Выдуманы');
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');

    const form = await editor.get(`/admin/cases/new?lang=en&person=by-case-1`);
    assert.equal(form.status, 200);
    assert.equal(inputValue(form.body, 'person'), 'by-case-1');
    const saved = await editor.post('/admin/cases/new?lang=en', caseFields());
    assert.equal(saved.status, 303, saved.body.slice(0, 3000));
    const id = idIn(saved.location, 'cases');
    const row = await store.db.selectFrom('legal_case').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.person_id, person.id);
    assert.equal(row.term_months, 24);
    assert.equal(row.verdict_date, '2021-09');
    assert.deepEqual(JSON.parse(row.articles), ['342']);

    const list = await editor.get(`/admin/cases?lang=en&person=${person.id}`);
    assert.match(list.body, /1-2021\/77/);
    assert.match(list.body, /Янка Выдуманы/);
    const page = await editor.get(`/admin/cases/${id}?lang=en`);
    assert.match(page.body, /Minsk city court \(fictional\)/);
    assert.match(page.body, /2 y 0 m \(24 months\)/);

    const edit = await editor.get(`/admin/cases/${id}/edit?lang=en`);
    assert.equal(inputValue(edit.body, 'version'), '1');
    assert.equal(inputValue(edit.body, 'judge'), 'Judge N. (fictional)');
    const edited = await editor.post(`/admin/cases/${id}/edit?lang=en`, caseFields({ version: '1', term_years: '3', reason: 'appeal' }));
    assert.equal(edited.status, 303, edited.body.slice(0, 3000));
    assert.equal((await store.db.selectFrom('legal_case').select('term_months').where('id', '=', id).executeTakeFirstOrThrow()).term_months, 36);

    const stale = await editor.post(`/admin/cases/${id}/edit?lang=en`, caseFields({ version: '1', court: 'Another court (fictional)', reason: 'other' }));
    assert.equal(stale.status, 200);
    assert.match(stale.body, /your version 1, now 2/);
    assert.equal(inputValue(stale.body, 'court'), 'Another court (fictional)');
    assert.equal((await store.db.selectFrom('legal_case').select('court').where('id', '=', id).executeTakeFirstOrThrow()).court, 'Minsk city court (fictional)');

    const bad = await editor.post('/admin/cases/new?lang=en', caseFields({ verdict_date: '2021-02-30', person: 'nobody-here' }));
    assert.equal(bad.status, 400);
    assert.match(decode(bad.body), /Date of the verdict: "2021-02-30" is not a date/);
    assert.match(decode(bad.body), /Person: there is no person with the record id "nobody-here"/);
    assert.equal((await store.db.selectFrom('legal_case').select('id').execute()).length, 1);

    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    assert.equal((await researcher.get(`/admin/cases/${id}?lang=en`)).status, 200);
    assert.equal((await researcher.post('/admin/cases/new?lang=en', caseFields())).status, 403);
    assert.equal((await researcher.post(`/admin/cases/${id}/edit?lang=en`, caseFields({ version: '2' }))).status, 403);
    assert.equal((await store.db.selectFrom('legal_case').select('id').execute()).length, 1);
    await app.close();
  });

  it('does not show the case of a restricted person to a volunteer', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await fictionalPerson(store, 'by-case-2', 'Схаваны', 'restricted');
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const saved = await editor.post('/admin/cases/new?lang=en', caseFields({ person: 'by-case-2', case_number: 'secret-42' }));
    assert.equal(saved.status, 303, saved.body.slice(0, 2000));
    const volunteer = await workspaceMember(app, store, 'volunteer@example.org', 'volunteer');
    assert.equal((await volunteer.get(`/admin/cases/${idIn(saved.location, 'cases')}?lang=en`)).status, 404);
    assert.doesNotMatch((await volunteer.get('/admin/cases?lang=en')).body, /secret-42|Схаваны/);
    await app.close();
  });
});

describeBothBackends('workspace: facilities', (backend) => {
  it('creates, reads and corrects a facility; refuses a stale edit, a taken name and a bad coordinate', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const saved = await editor.post('/admin/facilities/new?lang=en', facilityFields());
    assert.equal(saved.status, 303, saved.body.slice(0, 3000));
    const id = idIn(saved.location, 'facilities');
    const row = await store.db.selectFrom('facility').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.type, row.lat, row.lon, row.address], ['penal_colony', 55.19, 30.2, '1 Fictional street\n000000 Nowhere']);
    const page = await editor.get(saved.location!);
    assert.match(page.body, /Penal colony 99 \(fictional\)/);
    assert.match(page.body, /openstreetmap\.org\/\?mlat=55\.19&amp;mlon=30\.2/);
    assert.match((await editor.get('/admin/facilities?lang=en&type=penal_colony')).body, /Penal colony 99/);

    const edited = await editor.post(`/admin/facilities/${id}/edit?lang=en`, facilityFields({ version: '1', region: 'Viciebsk', reason: 'address check' }));
    assert.equal(edited.status, 303);
    const stale = await editor.post(`/admin/facilities/${id}/edit?lang=en`, facilityFields({ version: '1', region: 'Homiel', reason: 'other' }));
    assert.equal(stale.status, 200);
    assert.match(stale.body, /your version 1, now 2/);
    assert.equal(inputValue(stale.body, 'region'), 'Homiel');
    assert.equal((await store.db.selectFrom('facility').select('region').where('id', '=', id).executeTakeFirstOrThrow()).region, 'Viciebsk');

    const taken = await editor.post('/admin/facilities/new?lang=en', facilityFields());
    assert.equal(taken.status, 400);
    assert.match(taken.body, /a facility named Penal colony 99 \(fictional\) already exists/);
    const bad = await editor.post('/admin/facilities/new?lang=en', facilityFields({ name: 'Other (fictional)', lat: '95', lon: 'east' }));
    assert.equal(bad.status, 400);
    assert.match(decode(bad.body), /Longitude: "east" is not a number/);
    const range = await editor.post('/admin/facilities/new?lang=en', facilityFields({ name: 'Other (fictional)', lat: '95' }));
    assert.equal(range.status, 400);
    assert.match(decode(range.body), /Latitude: /);
    assert.equal((await store.db.selectFrom('facility').select('id').execute()).length, 1);

    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    assert.equal((await researcher.get(`/admin/facilities/${id}?lang=en`)).status, 200);
    assert.equal((await researcher.post('/admin/facilities/new?lang=en', facilityFields({ name: 'R (fictional)' }))).status, 403);
    assert.equal((await store.db.selectFrom('facility').select('id').execute()).length, 1);
    await app.close();
  });
});

describeBothBackends('workspace: release deals', (backend) => {
  it('creates, reads and corrects a deal (people and concessions kept); refuses a stale edit and a bad country', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const saved = await editor.post('/admin/deals/new?lang=en', dealFields());
    assert.equal(saved.status, 303, saved.body.slice(0, 3000));
    const id = idIn(saved.location, 'deals');
    const row = await store.db.selectFrom('release_deal').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.destinations), ['LT', 'AT']);
    assert.deepEqual(JSON.parse(row.conditions), ['forced_expulsion', 'passport_withheld']);
    assert.equal(row.date, '2025-09');

    const page = await editor.get(saved.location!);
    assert.match(page.body, /Lithuania \(LT\), Austria \(AT\)/);
    assert.match(page.body, /forced expulsion; passport withheld/);

    const edit = await editor.get(`/admin/deals/${id}/edit?lang=en`);
    assert.equal(inputValue(edit.body, 'other_destinations'), 'AT');
    assert.match(edit.body, /id="f-destinations-LT" name="destinations" value="LT" checked/);
    const edited = await editor.post(`/admin/deals/${id}/edit?lang=en`, dealFields({ version: '1', envoy: 'Envoy Y (fictional)', reason: 'correction' }));
    assert.equal(edited.status, 303, edited.body.slice(0, 3000));
    const stale = await editor.post(`/admin/deals/${id}/edit?lang=en`, dealFields({ version: '1', envoy: 'Envoy Z (fictional)', reason: 'other' }));
    assert.equal(stale.status, 200);
    assert.match(stale.body, /your version 1, now 2/);
    assert.equal(inputValue(stale.body, 'envoy'), 'Envoy Z (fictional)');
    assert.equal((await store.db.selectFrom('release_deal').select('envoy').where('id', '=', id).executeTakeFirstOrThrow()).envoy, 'Envoy Y (fictional)');

    const bad = await editor.post('/admin/deals/new?lang=en', dealFields({ slug: 'Bad Slug', other_destinations: 'QQ' }));
    assert.equal(bad.status, 400);
    assert.match(decode(bad.body), /Countries people were taken to: "QQ" is not an ISO 3166 two-letter country code/);
    const slug = await editor.post('/admin/deals/new?lang=en', dealFields({ slug: 'Bad Slug' }));
    assert.equal(slug.status, 400);
    assert.match(decode(slug.body), /Short name: lower-case words joined by hyphens/);
    assert.equal((await store.db.selectFrom('release_deal').select('id').execute()).length, 1);
    await app.close();
  });

  it('lists people by outcome and the concessions, hides a restricted person from a volunteer, and keeps them all on an edit', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await fictionalPerson(store, 'by-deal-1', 'Вызвалены');
    await fictionalPerson(store, 'by-deal-2', 'Схаваны', 'restricted');
    const measure = await createSanction(store, { issuer: 'US', target: 'Belavia (fictional test)', description: null, imposed_on: '2021-08', eased_on: null, lifted_on: null, reimposed_on: null }, { actor: 'test', reason: 'seed' });
    const deal = await createDeal(store, {
      slug: '2025-06-fictional', date: '2025-06-21', facilitator: 'United States', envoy: null, counterpart: null, destinations: ['LT'], conditions: [], summary: null, confidentiality: 'internal',
      people: [{ person: 'by-deal-1', outcome: 'released', note: null }, { person: 'by-deal-2', outcome: 'asked_not_released', note: null }],
      concessions: [{ measure_id: measure.id, action: 'eased' }],
    }, { actor: 'test', reason: 'seed' });
    const volunteer = await workspaceMember(app, store, 'volunteer@example.org', 'volunteer');
    const seen = await volunteer.get(`/admin/deals/${deal.id}?lang=en`);
    assert.equal(seen.status, 200);
    assert.match(seen.body, /<h3>released \(1\)<\/h3>/);
    assert.match(seen.body, /Янка Вызвалены/);
    assert.doesNotMatch(seen.body, /Схаваны|by-deal-2/);
    assert.match(seen.body, /US — Belavia \(fictional test\): eased/);
    assert.equal((await volunteer.post(`/admin/deals/${deal.id}/edit?lang=en`, dealFields({ version: '1' }))).status, 403);

    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    assert.match((await editor.get(`/admin/deals/${deal.id}?lang=en`)).body, /<h3>asked for, not released \(1\)<\/h3>/);
    const edited = await editor.post(`/admin/deals/${deal.id}/edit?lang=en`, dealFields({ slug: '2025-06-fictional', date: '2025-06-21', version: '1', reason: 'summary added' }));
    assert.equal(edited.status, 303, edited.body.slice(0, 3000));
    const people = await store.db.selectFrom('deal_person').select(['person_id', 'outcome']).where('deal_id', '=', deal.id).orderBy('person_id').execute();
    assert.equal(people.length, 2, 'the people named are kept');
    assert.equal((await store.db.selectFrom('deal_concession').select('measure_id').where('deal_id', '=', deal.id).execute()).length, 1, 'the concessions are kept');
    await app.close();
  });
});
