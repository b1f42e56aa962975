/**
 * Reconciling a published list in the workspace, as a browser without JavaScript would: paste or
 * upload the list, read the matches, confirm line by line, record. Every person here is fictional.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeBothBackends } from '../../../test-support/stores.js';
import { tempFile } from '../../../test-support/files.js';
import { workspaceMember, type WorkspaceClient } from '../../../test-support/workspace.js';
import { tableCounts } from '../../../test-support/store-state.js';
import type { Store } from '../../../store/connection.js';
import { importPersons } from '../../../features/import/persons.import.js';
import { importEvents } from '../../../features/import/events.import.js';
import { createDeal, findDeal } from '../../../features/releases/deal.service.js';
import type { App } from '../../api/app-types.js';
import { buildApp } from '../../app.js';

const PEOPLE = [
  'external_id,family_name_be,given_name_be,patronymic_be,family_name_ru,given_name_ru,patronymic_ru',
  'rc1,Драздова,Аліна,Сяргееўна,Дроздова,Алина,Сергеевна',
  'rc2,Кравец,Алег,Пятровіч,Кравец,Олег,Петрович',
  'rc3,Сянкевіч,Павел,Іванавіч,Сенкевич,Павел,Иванович',
].join('\n');
const EVENTS = ['person_external_id,type,date,organization', 'rc1,detained,2021-03-02,', 'rc1,recognized,2021-03-20,Viasna', 'rc2,detained,2022-01-11,', 'rc2,recognized,2022-02-01,Viasna', 'rc3,detained,2023-05-05,'].join('\n');

async function setUp(store: Store) {
  await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
  await importEvents(store, tempFile('events.csv', EVENTS), { actor: 'test' });
  return createDeal(store, {
    slug: 'fictional-deal', date: '2025-09-11', facilitator: 'United States', envoy: null, counterpart: null, destinations: ['LT'],
    conditions: [], summary: 'fictional, for tests', confidentiality: 'internal', people: [], concessions: [],
  }, { actor: 'test', reason: 'test deal' });
}

/** The fields the record form would send as the page shows it: hidden and text inputs, checked radios, selected options. */
function recordForm(page: string): Record<string, string> {
  const start = page.indexOf('/reconcile/record');
  assert.ok(start > 0, 'the page has the record form');
  const form = page.slice(start, page.indexOf('</form>', start));
  const unescape = (value: string) => value.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  const attr = (tag: string, name: string) => tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    if (!name || (type === 'radio' && !/\schecked/.test(tag))) continue;
    fields[name] = unescape(attr(tag, 'value') ?? '');
  }
  for (const [, name, options] of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>(.*?)<\/select>/gs)) {
    const selected = options!.match(/<option value="([^"]*)" selected>/) ?? options!.match(/<option value="([^"]*)"/);
    fields[name!] = unescape(selected?.[1] ?? '');
  }
  return fields;
}

/** The people offered for a line, and the one chosen. */
function lineChoices(page: string, line: number): { offered: string[]; chosen: string | undefined } {
  const radios = [...page.matchAll(new RegExp(`<input type="radio" name="person_${line}" value="([^"]*)"[^>]*>`, 'g'))];
  return { offered: radios.map((r) => r[1]!), chosen: radios.find((r) => r[0].includes(' checked'))?.[1] };
}

async function uploadList(app: App, client: WorkspaceClient, path: string, content: string, csrf = client.csrf) {
  const boundary = `----vigil${randomBytes(8).toString('hex')}`;
  const part = (disposition: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\n${value}\r\n`;
  const payload = Buffer.from(`${part('name="_csrf"', csrf)}${part('name="list"', '')}${part('name="file"; filename="list.txt"\r\nContent-Type: text/plain', content)}--${boundary}--\r\n`);
  const answer = await app.inject({ method: 'POST', url: path, headers: { cookie: client.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  return { status: answer.statusCode, body: answer.body };
}

async function dealEvents(store: Store, dealId: number) {
  return store.db.selectFrom('event').innerJoin('person', 'person.id', 'event.person_id')
    .select(['person.external_id', 'event.type', 'event.country', 'event.reason', 'event.date']).where('event.deal_id', '=', dealId).orderBy('person.external_id').execute();
}

async function listedPeople(store: Store, dealId: number) {
  const deal = await findDeal(store, dealId);
  const ids = new Map((await store.db.selectFrom('person').select(['id', 'external_id']).execute()).map((p) => [p.id, p.external_id]));
  return deal.people.map((p) => [ids.get(p.person_id), p.outcome]).sort();
}

describeBothBackends('workspace: reconcile a release list', (backend) => {
  it('matches a Russian court form and a Latin spelling, leaves an unknown name unmatched, and records only the confirmed people', async () => {
    const store = await backend.fresh();
    const deal = await setUp(store);
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const path = `/admin/deals/${deal.id}/reconcile?lang=en`;
    assert.equal((await editor.get(path)).status, 200);

    const matched = await editor.post(path, { list: '1. Дроздова Алина Сергеевна\nAleh Kravets\nПятрусёў Якуб Антонавіч\n' });
    assert.equal(matched.status, 200, matched.body.slice(0, 1000));
    assert.match(matched.body, /2 matched, 0 to decide, 1 without a match/);
    assert.deepEqual(lineChoices(matched.body, 1).chosen, 'rc1');
    assert.deepEqual(lineChoices(matched.body, 2).chosen, 'rc2');
    assert.equal(lineChoices(matched.body, 3).chosen, '', 'no match: "nobody" is chosen (weak candidates may be offered, never chosen)');
    assert.match(matched.body, /Line 3: <q>Пятрусёў Якуб Антонавіч<\/q> <span class="flag unmatched">no match in the registry<\/span>/);
    assert.equal((await dealEvents(store, deal.id)).length, 0, 'matching records nothing');

    const fields = recordForm(matched.body);
    assert.deepEqual([fields.outcome_all, fields.country_all, fields.count], ['released', 'LT', '3']);
    const before = await tableCounts(store);
    const recorded = await editor.post(`/admin/deals/${deal.id}/reconcile/record?lang=en`, {
      ...fields, outcome_2: 'expelled', country_2: 'LT', reason: 'published list of 2025-09-11 (fictional)',
    });
    assert.equal(recorded.status, 303, recorded.body.slice(0, 2000));
    assert.equal(recorded.location, `/admin/deals/${deal.id}?done=recorded&lang=en`);
    assert.deepEqual((await dealEvents(store, deal.id)).map((e) => [e.external_id, e.type, e.country, e.reason, e.date]), [
      ['rc1', 'released', null, 'negotiated', '2025-09-11'],
      ['rc2', 'expelled', 'LT', 'negotiated', '2025-09-11'],
    ]);
    const after = await tableCounts(store);
    assert.equal(after.person, before.person, 'the unmatched line created nobody');
    assert.equal(after.event, before.event + 2, 'two events, none for the unmatched line');
    assert.deepEqual(await listedPeople(store, deal.id), [['rc1', 'released'], ['rc2', 'released']]);
    const changes = await store.db.selectFrom('change_log').select(['entity', 'actor', 'reason']).where('entity', 'in', ['event', 'deal']).where('actor', '=', 'editor@example.org').execute();
    assert.deepEqual(changes.map((c) => c.entity).sort(), ['deal', 'event', 'event']);
    assert.ok(changes.every((c) => c.reason === 'published list of 2025-09-11 (fictional)'));
    const counts = await app.inject({ method: 'GET', url: '/api/v1/stats?on=2025-09-11' });
    assert.deepEqual((({ political_prisoners, released_political_prisoners }) => [political_prisoners, released_political_prisoners])(counts.json() as Record<string, number>), [0, 2]);
    await app.close();
  });

  it('takes a list as a file; a person decides uncertain lines, outcomes without an event, and a mistake records nothing', async () => {
    const store = await backend.fresh();
    const deal = await setUp(store);
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const matched = await uploadList(app, editor, `/admin/deals/${deal.id}/reconcile?lang=en`, 'Сенкевич\nAleh Kravets\nKravec Oleg\n');
    assert.equal(matched.status, 200, matched.body.slice(0, 1000));
    assert.deepEqual(lineChoices(matched.body, 1), { offered: ['rc3', ''], chosen: '' }, 'a weak candidate is offered, not chosen');
    assert.equal(lineChoices(matched.body, 2).chosen, 'rc2');
    assert.equal(lineChoices(matched.body, 3).chosen, '', 'the same person again is not chosen twice');
    assert.match(matched.body, /names the same person as line 2/);

    const fields = { ...recordForm(matched.body), person_1: 'rc3', outcome_1: 'refused_expulsion', outcome_2: 'asked_not_released', reason: 'fictional list' };
    const before = await tableCounts(store);
    const twice = await editor.post(`/admin/deals/${deal.id}/reconcile/record?lang=en`, { ...fields, person_3: 'rc2' });
    assert.equal(twice.status, 400);
    assert.match(twice.body, /lines 2 and 3 both name rc2; confirm one of them/);
    assert.equal(lineChoices(twice.body, 1).chosen, 'rc3', 'the choices are kept');
    const noCountry = await editor.post(`/admin/deals/${deal.id}/reconcile/record?lang=en`, { ...fields, outcome_2: 'expelled', country_all: '' });
    assert.equal(noCountry.status, 400);
    assert.match(noCountry.body, /line 2: an expulsion needs the country/);
    assert.deepEqual(await tableCounts(store), before, 'a refused list changes nothing');

    const recorded = await editor.post(`/admin/deals/${deal.id}/reconcile/record?lang=en`, fields);
    assert.equal(recorded.status, 303, recorded.body.slice(0, 2000));
    assert.equal((await dealEvents(store, deal.id)).length, 0, 'neither outcome is an event');
    assert.deepEqual(await listedPeople(store, deal.id), [['rc2', 'asked_not_released'], ['rc3', 'refused_expulsion']]);

    // A later list says rc2 was released after all: the event is recorded and the deal's list follows.
    const later = await editor.post(`/admin/deals/${deal.id}/reconcile/record?lang=en`, { count: '1', text_1: 'Aleh Kravets', person_1: 'rc2', outcome_1: '', country_1: '', outcome_all: 'released', country_all: '', date: '2025-10', reason: 'fictional later list' });
    assert.equal(later.status, 303, later.body.slice(0, 2000));
    assert.deepEqual((await dealEvents(store, deal.id)).map((e) => [e.external_id, e.type, e.date]), [['rc2', 'released', '2025-10']]);
    assert.deepEqual(await listedPeople(store, deal.id), [['rc2', 'released'], ['rc3', 'refused_expulsion']]);
    await app.close();
  });

  it('is for editors and admins only, and every step needs the session CSRF field', async () => {
    const store = await backend.fresh();
    const deal = await setUp(store);
    const app = await buildApp({ store });
    const path = `/admin/deals/${deal.id}/reconcile?lang=en`;
    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    const volunteer = await workspaceMember(app, store, 'volunteer@example.org', 'volunteer');
    assert.equal((await researcher.get(path)).status, 403);
    assert.equal((await volunteer.post(path, { list: 'Aleh Kravets' })).status, 403);
    const confirmed = { count: '1', text_1: 'Aleh Kravets', person_1: 'rc2', outcome_1: '', country_1: '', outcome_all: 'released', country_all: '', date: '', reason: 'fictional' };
    assert.equal((await researcher.post(`/admin/deals/${deal.id}/reconcile/record?lang=en`, confirmed)).status, 403);

    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    assert.equal((await editor.post(`/admin/deals/${deal.id}/reconcile/record?lang=en`, { ...confirmed, _csrf: 'forged' })).status, 403);
    assert.equal((await uploadList(app, editor, path, 'Aleh Kravets\n', 'forged')).status, 403);
    assert.equal((await dealEvents(store, deal.id)).length, 0);
    assert.equal((await editor.get(`/admin/deals/999999/reconcile?lang=en`)).status, 404);
    await app.close();
  });
});
