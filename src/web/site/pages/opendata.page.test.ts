/**
 * Open data end to end: names-dev imported, a subset published, the three files read back over HTTP;
 * a marker stored in every value the public must not see never appears in any file; revalidation,
 * compression, the documentation page and the API description.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describeBothBackends } from '../../../test-support/stores.js';
import { NAMES_DEV } from '../../../test-support/files.js';
import type { Store } from '../../../store/connection.js';
import type { Level } from '../../../domain/confidentiality.js';
import type { NameVariant } from '../../../store/person.repository.js';
import { buildApp } from '../../app.js';
import { importPersons } from '../../../features/import/persons.import.js';
import { importEvents } from '../../../features/import/events.import.js';
import { createPerson, editPerson, findPerson } from '../../../features/persons/person.service.js';
import { createEvent } from '../../../features/events/event.service.js';
import { createSource } from '../../../features/sources/source.service.js';
import { createDeal } from '../../../features/releases/deal.service.js';
import { mergePeople } from '../../../features/duplicates/duplicates.service.js';

const ctx = { actor: 'test:editor', reason: 'test data' };
type Row = Record<string, string>;
const csv = (text: string): Row[] => parse(text, { columns: true, skip_empty_lines: true }) as Row[];
const readCsv = (file: string) => csv(readFileSync(join(NAMES_DEV, file), 'utf8'));
const DOWNLOADS = ['/opendata/persons.json', '/opendata/persons.csv', '/opendata/events.csv'];

/** Every 25th person of names-dev gets publication consent. */
const chosen = (externalId: string) => Number(externalId.slice(1)) % 25 === 0;

async function publishSubset(store: Store, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const person = await findPerson(store, id);
    await editPerson(store, person.id, person.version, { publish: true }, { ...ctx, reason: 'family agreed to publication' });
  }
}

const join2 = (...parts: (string | undefined)[]) => parts.filter((part) => part).join(' ');

describeBothBackends('open data', (backend) => {
  it('round-trips names-dev: exactly the published people, their fields, and their events', async () => {
    const store = await backend.fresh();
    const people = readCsv('persons.csv');
    const events = readCsv('events.csv');
    assert.ok(!('publish' in people[0]!), 'names-dev has no publish column, so consent is given through the person service');
    await importPersons(store, join(NAMES_DEV, 'persons.csv'), { actor: ctx.actor });
    await importEvents(store, join(NAMES_DEV, 'events.csv'), { actor: ctx.actor });
    const published = people.filter((row) => chosen(row.external_id!));
    await publishSubset(store, published.map((row) => row.external_id!));
    const app = await buildApp({ store });

    const json = (await app.inject({ method: 'GET', url: '/opendata/persons.json' })).json();
    assert.equal(json.count, published.length);
    assert.deepEqual(json.persons.map((p: { id: string }) => p.id).sort(), published.map((row) => row.external_id).sort());
    assert.match(json.as_of, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(!Number.isNaN(Date.parse(json.generated)));
    assert.match(json.schema, /\/opendata$/);
    assert.ok(json.totals.in_custody > json.count, 'the totals count everyone, not only the published');

    const byId = new Map<string, Record<string, any>>(json.persons.map((p: { id: string }) => [p.id, p]));
    for (const row of published) {
      const person = byId.get(row.external_id!)!;
      const own = events.filter((event) => event.person_external_id === row.external_id);
      const expectedName = row.family_name_be ? join2(row.family_name_be, row.given_name_be, row.patronymic_be) : row.family_name_ru ? join2(row.family_name_ru, row.given_name_ru, row.patronymic_ru) : row.name_latin;
      assert.equal(person.name, expectedName, `name of ${row.external_id}`);
      const spellings = person.other_names.map((entry: { name: string }) => entry.name);
      for (const spelling of [join2(row.family_name_ru, row.given_name_ru, row.patronymic_ru), row.name_latin]) if (spelling) assert.ok(spellings.includes(spelling), `${spelling} among ${spellings}`);
      assert.deepEqual(person.identifiers, [{ scheme: 'vigil', identifier: row.external_id }]);
      assert.equal(person.birth_date, row.birth_date || null);
      assert.equal(person.gender, row.gender);
      assert.deepEqual([...person.articles].sort(), [...new Set(own.flatMap((event) => (event.articles ? event.articles.split(';') : [])))].sort(), `articles of ${row.external_id}`);
      const sentences = own.filter((event) => event.type === 'sentenced');
      if (sentences.length === 0) assert.equal(person.term_months, null);
      if (sentences.length === 1) assert.deepEqual([person.term_months, person.regime], [Number(sentences[0]!.term_months), sentences[0]!.regime || null]);
      if (!own.some((event) => event.type === 'recognized')) assert.equal(person.status, null, `${row.external_id} was never recognised`);
      assert.ok([null, 'held', 'released', 'expelled', 'died'].includes(person.status));
      assert.match(person.url, new RegExp(`/prisoners/${row.external_id}$`));
    }

    // The CSV says the same, and parses back.
    const flat = csv((await app.inject({ method: 'GET', url: '/opendata/persons.csv' })).body);
    assert.equal(flat.length, published.length);
    for (const row of flat) {
      const person = byId.get(row.id!)!;
      assert.equal(row.name, person.name);
      assert.equal(row.articles, person.articles.join(';'));
      assert.equal(row.other_names, person.other_names.map((entry: { name: string }) => entry.name).join(';'));
      assert.equal(row.status, person.status ?? '');
      assert.equal(row.term_months, person.term_months === null ? '' : String(person.term_months));
    }

    // Every event of the published people, and no other.
    const key = (event: Row, person: string) => [person, event.type, event.date, event.facility ?? '', event.articles ?? '', event.term_months ?? '', event.regime ?? '', event.reason ?? '', event.country ?? '', event.organization ?? ''].join('|');
    const expected = events.filter((event) => chosen(event.person_external_id!)).map((event) => key(event, event.person_external_id!)).sort();
    const eventsResponse = await app.inject({ method: 'GET', url: '/opendata/events.csv' });
    assert.ok(eventsResponse.body.startsWith('person_id,type,date,'), 'a header row first');
    assert.ok(eventsResponse.body.includes('\r\n'), 'RFC 4180 line ends');
    const got = csv(eventsResponse.body);
    assert.deepEqual(got.map((event) => key(event, event.person_id!)).sort(), expected);
    await app.close();
  });

  it('never lets a restricted name, event, field, source, deal or an unconsented person into any file; totals count everyone', async () => {
    const store = await backend.fresh();
    const MARK = 'RESTRICTEDMARKER';
    const INTERNAL = 'INTERNALMARKER';
    const NOCONSENT = 'NOCONSENTMARKER';
    const name = (family: string, given: string, confidentiality: Level = 'public'): NameVariant => ({
      family, given, patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality,
    });
    const base = { birth_date: '1990', gender: 'male', region: 'Minsk', occupation: null, tags: [], biography: {}, field_levels: {}, publish: true, confidentiality: 'public' as const };
    const open = await createPerson(store, {
      ...base, external_id: 'open', names: [name('Лосік', 'Ігар'), name(`${MARK}alias`, 'Secret', 'restricted')],
      region: `${INTERNAL}-region`, birth_date: '1989-02-03', field_levels: { region: 'internal', birth_date: 'restricted' },
    }, ctx);
    await createSource(store, { kind: 'url', url: `https://example.org/${INTERNAL}-source`, title: null, citation: null, sha256: null, media_type: null, size_bytes: null, published_date: null, reliability: null, confidentiality: 'internal' }, ctx);
    await createEvent(store, open.id, { type: 'detained', date: '2020-06-25', facility: 'SIZO-1 Minsk', confidentiality: 'public', source_urls: [`https://example.org/${INTERNAL}-source`, 'https://spring96.org/open'] }, ctx);
    await createEvent(store, open.id, { type: 'recognized', date: '2020-07-01', organization: 'Viasna', note: `${INTERNAL}-note`, confidentiality: 'public' }, ctx);
    await createEvent(store, open.id, { type: 'charged', date: '2020-08-01', articles: [`${MARK}1`], confidentiality: 'restricted' }, ctx);
    await createEvent(store, open.id, { type: 'transferred', date: '2021-01-10', facility: `${MARK} safe house`, confidentiality: 'restricted' }, ctx);
    await createEvent(store, open.id, { type: 'released', date: '2021-02-01', reason: 'pardon', confidentiality: 'internal', source_urls: [`https://example.org/${MARK}`] }, ctx);
    const release = await createEvent(store, open.id, { type: 'sentenced', date: '2021-01-05', articles: ['342'], term_months: 36, regime: 'general', confidentiality: 'public' }, ctx);
    const secretDeal = await createDeal(store, { slug: `${INTERNAL.toLowerCase()}-deal`, date: '2021-01', facilitator: null, envoy: null, counterpart: null, destinations: [], conditions: [], summary: null, confidentiality: 'internal', people: [], concessions: [] }, ctx);
    // Events join deals through the release workflows (reconciled lists); a direct link is enough here.
    await store.db.updateTable('event').set({ deal_id: secretDeal.id }).where('id', '=', release.id).execute();

    const noConsent = await createPerson(store, { ...base, external_id: `${NOCONSENT.toLowerCase()}-id`, publish: false, names: [name(NOCONSENT, 'Maryia')] }, ctx);
    await createEvent(store, noConsent.id, { type: 'detained', date: '2021-03-01', facility: `${NOCONSENT} colony`, confidentiality: 'public' }, ctx);
    await createEvent(store, noConsent.id, { type: 'recognized', date: '2021-03-02', organization: 'Viasna', confidentiality: 'public' }, ctx);
    await createPerson(store, { ...base, external_id: `${INTERNAL.toLowerCase()}-person`, confidentiality: 'internal', names: [name(INTERNAL, 'Ivan')] }, ctx);
    await createPerson(store, { ...base, external_id: `${MARK.toLowerCase()}-person`, confidentiality: 'restricted', names: [name(MARK, 'Witness')] }, ctx);
    const duplicate = await createPerson(store, { ...base, external_id: 'merged-away', names: [name('Лосік', 'Ігар')] }, ctx);
    await createEvent(store, duplicate.id, { type: 'sentenced', date: '2021-01-04', articles: ['361-1'], term_months: 12, regime: 'general', confidentiality: 'public' }, ctx);
    await mergePeople(store, 'open', 'merged-away', ctx);

    const app = await buildApp({ store });
    const bodies: string[] = [];
    for (const url of DOWNLOADS) {
      const plain = await app.inject({ method: 'GET', url });
      const zipped = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(plain.statusCode, 200, url);
      assert.equal(zipped.headers['content-encoding'], 'gzip', `${url} is compressed when asked`);
      assert.equal(gunzipSync(zipped.rawPayload).toString('utf8').replace(/"generated":"[^"]*"/, ''), plain.body.replace(/"generated":"[^"]*"/, ''));
      for (const marker of [MARK, INTERNAL, NOCONSENT]) assert.ok(!plain.body.toLowerCase().includes(marker.toLowerCase()), `${url} leaks ${marker}`);
      assert.ok(!plain.body.includes('merged-away'), `${url} names the merged-away record`);
      bodies.push(plain.body);
    }
    const [json, persons, eventFile] = [JSON.parse(bodies[0]!), csv(bodies[1]!), csv(bodies[2]!)];
    assert.deepEqual(json.persons.map((p: { id: string }) => p.id), ['open']);
    assert.deepEqual(persons.map((p) => p.id), ['open']);
    const person = json.persons[0];
    assert.deepEqual([person.region, person.birth_date, person.gender], [null, null, 'male'], 'field levels apply');
    assert.deepEqual(person.other_names.map((entry: { name: string }) => entry.name), ['Лосік Ігар']);
    assert.equal(person.status, 'held', 'the internal release does not show through the status');
    assert.deepEqual([...person.articles].sort(), ['342', '361-1']);
    assert.equal(person.facility?.name, 'SIZO-1 Minsk', 'the restricted transfer does not move the person');
    // Aggregate counts include the unconsented person.
    // Aggregate counts come from everyone's events, whatever their level: the unconsented person is the
    // one political prisoner, and the open person's internal release counts.
    assert.deepEqual([json.totals.political_prisoners, json.totals.released_political_prisoners], [1, 1]);
    assert.equal(json.count, 1);

    assert.deepEqual(eventFile.map((event) => `${event.person_id} ${event.type} ${event.date}`), [
      'open detained 2020-06-25', 'open recognized 2020-07-01', 'open sentenced 2021-01-04', 'open sentenced 2021-01-05',
    ]);
    const [detained, recognized, , sentenced] = eventFile;
    assert.equal(detained!.source_url, 'https://spring96.org/open', 'the public source, not the internal one cited first');
    assert.equal(recognized!.organization, 'Viasna');
    assert.equal(sentenced!.deal, '', 'an internal deal is not named');
    assert.ok(!('note' in detained!), 'no notes column');
    await app.close();
  });

  it('names a public deal, answers 304 while nothing changed and a new tag after a change', async () => {
    const store = await backend.fresh();
    const open = await createPerson(store, {
      external_id: 'p1', names: [{ family: 'Лосік', given: 'Ігар', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }],
      birth_date: null, gender: 'male', region: null, occupation: null, tags: [], biography: {}, field_levels: {}, publish: true, confidentiality: 'public',
    }, ctx);
    const event = await createEvent(store, open.id, { type: 'detained', date: '2020-06-25', confidentiality: 'public' }, ctx);
    const deal = await createDeal(store, { slug: 'sept-2025', date: '2025-09-11', facilitator: 'US', envoy: null, counterpart: null, destinations: ['LT'], conditions: [], summary: null, confidentiality: 'public', people: [], concessions: [] }, ctx);
    await store.db.updateTable('event').set({ deal_id: deal.id }).where('id', '=', event.id).execute();
    const app = await buildApp({ store });

    assert.equal(csv((await app.inject({ method: 'GET', url: '/opendata/events.csv' })).body)[0]!.deal, 'sept-2025');
    const tags: string[] = [];
    for (const url of DOWNLOADS) {
      const first = await app.inject({ method: 'GET', url: `${url}?lang=xx` });
      assert.equal(first.statusCode, 200, 'an unknown lang is ignored');
      assert.equal(first.headers['cache-control'], 'public, max-age=300');
      if (url.endsWith('.csv')) {
        assert.match(String(first.headers['content-disposition']), /^attachment; filename="[\w.-]+\.csv"$/);
        assert.match(String(first.headers['content-type']), /^text\/csv; charset=utf-8/);
      }
      const tag = String(first.headers.etag);
      assert.ok(tag.length > 4);
      const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': tag } });
      assert.equal(again.statusCode, 304, `${url} revalidates`);
      assert.equal(again.body, '');
      const other = await app.inject({ method: 'GET', url, headers: { 'if-none-match': '"something-else"' } });
      assert.equal(other.statusCode, 200);
      tags.push(tag);
    }
    await editPerson(store, open.id, open.version, { region: 'Brest' }, ctx);
    for (const [i, url] of DOWNLOADS.entries()) {
      const changed = await app.inject({ method: 'GET', url, headers: { 'if-none-match': tags[i]! } });
      assert.equal(changed.statusCode, 200, `${url} after a change`);
      assert.notEqual(changed.headers.etag, tags[i]);
    }
    await app.close();
  });

  it('documents every field of the three files on the page (three languages) and in docs/OPENDATA.md, and in the API description', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const person = await createPerson(store, {
      external_id: 'p1', names: [{ family: 'Лосік', given: 'Ігар', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }],
      birth_date: null, gender: 'male', region: null, occupation: null, tags: [], biography: {}, field_levels: {}, publish: true, confidentiality: 'public',
    }, ctx);
    await createEvent(store, person.id, { type: 'detained', date: '2020-06-25', confidentiality: 'public' }, ctx);
    const json = (await app.inject({ method: 'GET', url: '/opendata/persons.json' })).json();
    const personFields = Object.keys(json.persons[0]);
    const envelope = Object.keys(json);
    const header = (url: string) => app.inject({ method: 'GET', url }).then((response) => response.body.split('\r\n')[0]!.split(','));
    const personColumns = await header('/opendata/persons.csv');
    const eventColumns = await header('/opendata/events.csv');
    const docs = readFileSync(new URL('../../../../docs/OPENDATA.md', import.meta.url), 'utf8');

    const titles = new Set<string>();
    for (const lang of ['be', 'ru', 'en']) {
      const page = await app.inject({ method: 'GET', url: `/opendata?lang=${lang}` });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`<html lang="${lang}"`));
      titles.add(/<h1>([^<]*)<\/h1>/.exec(page.body)![1]!);
      for (const field of [...envelope, ...personFields, ...personColumns, ...eventColumns]) assert.ok(page.body.includes(`<code>${field}</code>`), `${lang} page documents ${field}`);
      for (const url of DOWNLOADS) assert.ok(page.body.includes(`href="${url}"`), `${lang} page links ${url}`);
      assert.ok(page.body.includes('https://creativecommons.org/licenses/by/4.0/'), 'names the licence');
    }
    assert.equal(titles.size, 3, 'the page speaks each language');
    for (const field of [...envelope, ...personFields, ...personColumns, ...eventColumns]) assert.ok(docs.includes(`\`${field}\``), `docs/OPENDATA.md documents ${field}`);

    const fallback = await app.inject({ method: 'GET', url: '/opendata?lang=xx', headers: { 'accept-language': 'ru' } });
    assert.equal(fallback.statusCode, 200, 'an unknown lang falls back');
    assert.match(fallback.body, /<html lang="ru"/);

    const openapi = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const url of DOWNLOADS) {
      const get = openapi.paths[url]?.get;
      assert.ok(get, `${url} in the API description`);
      assert.deepEqual(get.tags, ['public']);
      const media = url.endsWith('.csv') ? 'text/csv' : 'application/json';
      assert.ok(get.responses['200'].content[media], `${url} produces ${media}`);
    }
    const described = openapi.paths['/opendata/persons.json'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(described.properties).sort(), [...envelope].sort());
    assert.deepEqual(Object.keys(described.properties.persons.items.properties).sort(), [...personFields].sort());
    await app.close();
  });
});
