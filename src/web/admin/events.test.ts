/**
 * Events in the workspace, driven as a browser without JavaScript would: the type is chosen first, the
 * form fits the type, partial dates, a new facility by name, sources cited and added inline; reading
 * with sources and level; a correction, a stale one, a bad value named; roles that may not write, and a
 * restricted event a volunteer never sees. All people here are fictional.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { inputValue, workspaceMember } from '../../test-support/workspace.js';
import type { Store } from '../../store/connection.js';
import { createPerson } from '../../features/persons/person.service.js';
import { createEvent } from '../../features/events/event.service.js';
import { createSource } from '../../features/sources/source.service.js';
import { buildApp } from '../app.js';

async function fictionalPerson(store: Store, externalId = 'by-test-1') {
  return createPerson(store, {
    external_id: externalId, birth_date: '1990', gender: 'female', region: null, occupation: null, tags: ['fictional'], biography: {}, publish: false,
    confidentiality: 'internal', field_levels: {},
    names: [{ family: 'Выдуманная', given: 'Алеся', patronymic: null, full_name: null, lang: 'ru', script: 'Cyrl', romanization: null, confidentiality: 'internal' }],
  }, { actor: 'test', reason: 'fictional test person' });
}

const sentenced = (overrides: Record<string, string | string[]> = {}) => ({
  type: 'sentenced', date: '2021-05', articles: '342; 361-1', term_years: '3', term_months: '6', regime: 'strict', facility: 'SIZO-1 Minsk (fictional)',
  source_url: 'https://example.org/fictional-court-report', confidentiality: 'internal', note: 'court hearing', reason: 'court report of 2021-05', ...overrides,
});

const eventId = (location: string | undefined) => Number(location!.match(/\/admin\/events\/(\d+)/)![1]);

describeBothBackends('workspace: events', (backend) => {
  it('records an event: type first, the form of that type, partial date, new facility, an inline source; then reads it', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const person = await fictionalPerson(store);
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');

    const chooser = await editor.get(`/admin/persons/${person.id}/events/new?lang=en`);
    assert.equal(chooser.status, 200);
    assert.match(chooser.body, /<select id="f-type" name="type">/);
    assert.match(chooser.body, new RegExp(`href="/admin/persons/${person.id}/events/new\\?type=expelled&amp;lang=en"`));

    const form = await editor.get(`/admin/persons/${person.id}/events/new?lang=en&type=sentenced`);
    assert.equal(form.status, 200);
    assert.match(form.body, /name="term_years"/);
    assert.match(form.body, /name="regime"/);
    assert.doesNotMatch(form.body, /name="country"/, 'a sentence has no country');
    assert.match(form.body, /YYYY, YYYY-MM or YYYY-MM-DD/, 'partial dates are explained');
    const expelled = await editor.get(`/admin/persons/${person.id}/events/new?lang=en&type=expelled`);
    assert.match(expelled.body, /name="country"/);
    assert.doesNotMatch(expelled.body, /name="term_years"/);

    const saved = await editor.post(`/admin/persons/${person.id}/events/new?lang=en`, sentenced());
    assert.equal(saved.status, 303, saved.body.slice(0, 3000));
    const id = eventId(saved.location);
    const row = await store.db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.date, '2021-05');
    assert.equal(row.term_months, 42);
    assert.deepEqual(JSON.parse(row.articles), ['342', '361-1']);
    assert.equal(row.regime, 'strict');
    const facility = await store.db.selectFrom('facility').select(['id', 'name']).where('id', '=', row.facility_id!).executeTakeFirstOrThrow();
    assert.equal(facility.name, 'SIZO-1 Minsk (fictional)');
    const cited = await store.db.selectFrom('event_source').innerJoin('source', 'source.id', 'event_source.source_id').select(['source.url', 'source.confidentiality']).where('event_id', '=', id).execute();
    assert.deepEqual(cited, [{ url: 'https://example.org/fictional-court-report', confidentiality: 'internal' }]);
    const logged = await store.db.selectFrom('change_log').select(['entity', 'actor', 'reason']).where('entity', 'in', ['event', 'event_sources']).where('entity_id', '=', id).orderBy('id').execute();
    assert.deepEqual(logged, [
      { entity: 'event', actor: 'editor@example.org', reason: 'court report of 2021-05' },
      { entity: 'event_sources', actor: 'editor@example.org', reason: 'court report of 2021-05' },
    ]);

    const page = await editor.get(saved.location!);
    assert.equal(page.status, 200);
    assert.match(page.body, /Created\./);
    assert.match(page.body, /3 y 6 m \(42 months\)/);
    assert.match(page.body, /https:\/\/example.org\/fictional-court-report/);
    assert.match(page.body, /strict regime colony/);
    assert.match(page.body, /class="badge internal"/);
    assert.match(page.body, /Алеся Выдуманная/);
    await app.close();
  });

  it('corrects an event: cites an existing source, changes the term; a stale edit keeps what was typed and changes nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const person = await fictionalPerson(store);
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const source = await createSource(store, { kind: 'citation', url: null, title: 'Fictional letter from the colony', citation: 'letter of 2021-06-01', sha256: null, media_type: null, size_bytes: null, published_date: '2021-06', reliability: 'high', confidentiality: 'internal' }, { actor: 'test', reason: 'seed' });
    const saved = await editor.post(`/admin/persons/${person.id}/events/new?lang=en`, sentenced({ source_url: '' }));
    const id = eventId(saved.location);

    const form = await editor.get(`/admin/events/${id}/edit?lang=en`);
    assert.equal(form.status, 200);
    assert.equal(inputValue(form.body, 'version'), '1');
    assert.equal(inputValue(form.body, 'term_years'), '3');
    assert.equal(inputValue(form.body, 'term_months'), '6');
    assert.match(form.body, /Fictional letter from the colony/, 'existing sources are offered');

    const edited = await editor.post(`/admin/events/${id}/edit?lang=en`, sentenced({ version: '1', term_years: '5', term_months: '0', source_url: '', source_ids: [String(source.id)], reason: 'appeal decision' }));
    assert.equal(edited.status, 303, edited.body.slice(0, 3000));
    const row = await store.db.selectFrom('event').select(['term_months', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { term_months: 60, version: 2 });
    const cited = await store.db.selectFrom('event_source').select('source_id').where('event_id', '=', id).execute();
    assert.deepEqual(cited.map((c) => c.source_id), [source.id]);
    const page = await editor.get(`/admin/events/${id}?lang=en`);
    assert.match(page.body, /Fictional letter from the colony/);

    const stale = await editor.post(`/admin/events/${id}/edit?lang=en`, sentenced({ version: '1', term_years: '7', source_url: '', reason: 'other report' }));
    assert.equal(stale.status, 200);
    assert.match(stale.body, /your version 1, now 2/);
    assert.equal(inputValue(stale.body, 'term_years'), '7', 'what was typed is kept');
    assert.equal((await store.db.selectFrom('event').select('term_months').where('id', '=', id).executeTakeFirstOrThrow()).term_months, 60);
    await app.close();
  });

  it('sends a form with bad values back naming each field, storing nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const person = await fictionalPerson(store);
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const answer = await editor.post(`/admin/persons/${person.id}/events/new?lang=en`, {
      type: 'expelled', date: '2021-13', country: 'other', country_other: 'XX', source_url: 'javascript:alert(1)', cite_ids: '999', confidentiality: 'internal', reason: '',
    });
    assert.equal(answer.status, 400);
    const page = answer.body.replaceAll('&quot;', '"');
    assert.match(page, /Date: "2021-13" is not a date as YYYY, YYYY-MM or YYYY-MM-DD/);
    assert.match(page, /Country: "XX" is not an ISO 3166 two-letter country code/);
    assert.match(page, /Add a web page as a new source: "javascript:alert\(1\)" is not a web address/);
    assert.match(page, /Sources: there is no source #999/);
    assert.match(page, /say why the record changes/);
    assert.equal(inputValue(answer.body, 'country_other'), 'XX', 'what was typed is kept');
    assert.equal((await store.db.selectFrom('event').select('id').execute()).length, 0);
    assert.equal((await store.db.selectFrom('source').select('id').execute()).length, 0);

    const bad = await editor.post(`/admin/persons/${person.id}/events/new?lang=en`, sentenced({ articles: '342 ч.1', term_years: 'three' }));
    assert.equal(bad.status, 400);
    assert.match(bad.body.replaceAll('&quot;', '"'), /Articles of the criminal code: "342 ч.1" is not an article number/);
    assert.match(bad.body.replaceAll('&quot;', '"'), /Term: "three" is not a whole number/);
    assert.equal((await store.db.selectFrom('event').select('id').execute()).length, 0);
    await app.close();
  });

  it('lets a researcher read events but not record or correct them', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const person = await fictionalPerson(store);
    const event = await createEvent(store, person.id, { type: 'detained', date: '2020-08-10' }, { actor: 'test', reason: 'seed' });
    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    assert.equal((await researcher.get(`/admin/events/${event.id}?lang=en`)).status, 200);
    assert.equal((await researcher.get(`/admin/persons/${person.id}/events/new?lang=en&type=detained`)).status, 403);
    const refused = await researcher.post(`/admin/persons/${person.id}/events/new?lang=en`, sentenced());
    assert.equal(refused.status, 403);
    const edit = await researcher.post(`/admin/events/${event.id}/edit?lang=en`, { type: 'detained', date: '2020-08-11', version: '1', confidentiality: 'internal', reason: 'x' });
    assert.equal(edit.status, 403);
    assert.equal((await store.db.selectFrom('event').select('id').execute()).length, 1);
    assert.equal((await store.db.selectFrom('event').select('date').executeTakeFirstOrThrow()).date, '2020-08-10');
    await app.close();
  });

  it('never shows a restricted event to a volunteer; an editor reads it and the read is audited', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const person = await fictionalPerson(store);
    const event = await createEvent(store, person.id, { type: 'transferred', date: '2022-02', facility: 'Penal colony 4 (fictional)', note: 'witness account', confidentiality: 'restricted' }, { actor: 'test', reason: 'seed' });
    const volunteer = await workspaceMember(app, store, 'volunteer@example.org', 'volunteer');
    const hidden = await volunteer.get(`/admin/events/${event.id}?lang=en`);
    assert.equal(hidden.status, 404);
    assert.doesNotMatch(hidden.body, /Penal colony 4|witness account/);
    const personPage = await volunteer.get(`/admin/persons/${person.id}?lang=en`);
    assert.equal(personPage.status, 200);
    assert.doesNotMatch(personPage.body, /Penal colony 4|witness account/);
    assert.equal((await volunteer.get(`/admin/events/${event.id}/edit?lang=en`)).status, 403);

    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const shown = await editor.get(`/admin/events/${event.id}?lang=en`);
    assert.equal(shown.status, 200);
    assert.match(shown.body, /witness account/);
    const reads = await store.db.selectFrom('audit_log').select(['actor', 'entity', 'entity_id']).where('action', '=', 'read_restricted').execute();
    assert.deepEqual(reads, [{ actor: 'editor@example.org', entity: 'event', entity_id: String(event.id) }]);
    await app.close();
  });
});
