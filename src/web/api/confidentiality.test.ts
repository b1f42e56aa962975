/**
 * Confidentiality end to end: a matrix of role × endpoint × level, and a marker stored in every
 * restricted value that must never appear in a public page, API response, export or search result.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { buildApp } from '../app.js';
import type { Store } from '../../store/connection.js';
import type { Level } from '../../domain/confidentiality.js';
import type { Role } from '../../domain/policy.js';
import { createPerson } from '../../features/persons/person.service.js';
import { createEvent } from '../../features/events/event.service.js';
import { exportRows } from '../../features/export/export.service.js';
import { searchPeople } from '../../features/search/search.service.js';
import { auditEntries } from '../../features/audit/audit.service.js';
import type { NameVariant } from '../../store/person.repository.js';

const MARK = 'RESTRICTEDMARKER';
const INTERNAL = 'INTERNALMARKER';
const NOCONSENT = 'NOCONSENTMARKER';
const ctx = { actor: 'test:editor', reason: 'test data' };

const name = (family: string, given: string, confidentiality: Level = 'public'): NameVariant => ({
  family, given, patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality,
});

async function seed(store: Store) {
  const base = { birth_date: '1990', gender: 'male', region: 'Minsk', occupation: null, tags: [], biography: {}, field_levels: {} };
  // Published, public record, with restricted values inside it.
  const open = await createPerson(store, {
    ...base, external_id: 'open', publish: true, confidentiality: 'public',
    names: [name('Лосік', 'Ігар'), name(`${MARK}alias`, 'Secret', 'restricted')],
    occupation: `${MARK}-occupation`, tags: [`${MARK}-tag`], biography: { en: `${MARK} health details` },
    field_levels: { occupation: 'restricted', tags: 'restricted', biography: 'restricted' },
  }, ctx);
  await createEvent(store, open.id, { type: 'detained', date: '2020-06-25', facility: 'SIZO-1 Minsk', confidentiality: 'public' }, ctx);
  await createEvent(store, open.id, { type: 'transferred', date: '2021-01-10', organization: null, note: `${MARK}-witness-note`, facility: `${MARK} safe house`, confidentiality: 'restricted' }, ctx);
  const recognized = await createEvent(store, open.id, { type: 'recognized', date: '2020-07-01', organization: 'Viasna', note: `${INTERNAL}-note`, confidentiality: 'public' }, ctx);
  // The public recognition also cites a restricted source (a witness's message): the event shows, the link must not.
  const now = new Date().toISOString();
  const witness = await store.db.insertInto('source')
    .values({ kind: 'url', url: `https://example.org/${MARK}-witness-message`, confidentiality: 'restricted', version: 1, created_at: now, updated_at: now })
    .returning('id').executeTakeFirstOrThrow();
  await store.db.insertInto('event_source').values({ event_id: recognized.id, source_id: witness.id }).execute();
  const internal = await createPerson(store, { ...base, external_id: 'internal', publish: true, confidentiality: 'internal', names: [name(`${INTERNAL}`, 'Ivan')], occupation: INTERNAL }, ctx);
  const restricted = await createPerson(store, { ...base, external_id: 'restricted', publish: true, confidentiality: 'restricted', names: [name(`${MARK}person`, 'Witness')] }, ctx);
  const noConsent = await createPerson(store, { ...base, external_id: 'noconsent', publish: false, confidentiality: 'public', names: [name(NOCONSENT, 'Maryia')] }, ctx);
  await createEvent(store, noConsent.id, { type: 'detained', date: '2021-03-01', note: NOCONSENT, confidentiality: 'public' }, ctx);
  return { open, internal, restricted, noConsent };
}

type Who = Role | 'anonymous';
const WHO: Who[] = ['admin', 'editor', 'researcher', 'volunteer', 'anonymous'];

describeBothBackends('confidentiality', (backend) => {
  it('answers every role on every endpoint as the permission matrix says', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await seed(store);
    const headers: Record<Who, Record<string, string>> = { anonymous: {} } as never;
    for (const role of WHO.filter((w): w is Role => w !== 'anonymous')) headers[role] = await memberWithToken(app, store, `${role}@example.org`, role);

    // [method, url, body?] → expected status per who
    const cases: [string, string, unknown, Record<Who, number>][] = [
      ['GET', '/api/v1/persons', undefined, { admin: 200, editor: 200, researcher: 200, volunteer: 200, anonymous: 401 }],
      ['GET', '/api/v1/persons/open', undefined, { admin: 200, editor: 200, researcher: 200, volunteer: 200, anonymous: 401 }],
      ['GET', '/api/v1/persons/internal', undefined, { admin: 200, editor: 200, researcher: 200, volunteer: 200, anonymous: 401 }],
      ['GET', '/api/v1/persons/restricted', undefined, { admin: 200, editor: 200, researcher: 404, volunteer: 404, anonymous: 401 }],
      ['GET', '/api/v1/persons/open/history', undefined, { admin: 200, editor: 200, researcher: 200, volunteer: 200, anonymous: 401 }],
      ['GET', '/api/v1/persons/open/events', undefined, { admin: 200, editor: 200, researcher: 200, volunteer: 200, anonymous: 401 }],
      ['GET', '/api/v1/events', undefined, { admin: 200, editor: 200, researcher: 200, volunteer: 200, anonymous: 401 }],
      ['POST', '/api/v1/persons', { external_id: 'new-%', names: [{ family: 'Новы' }] }, { admin: 201, editor: 201, researcher: 403, volunteer: 403, anonymous: 401 }],
      ['PATCH', '/api/v1/persons/internal', { version: 1, change_reason: 'x', region: 'Brest' }, { admin: 200, editor: 409, researcher: 403, volunteer: 403, anonymous: 401 }],
      ['POST', '/api/v1/events', { person: 'internal', type: 'detained', date: '2022-01-01' }, { admin: 201, editor: 201, researcher: 403, volunteer: 403, anonymous: 401 }],
      ['GET', '/api/v1/tokens', undefined, { admin: 200, editor: 200, researcher: 200, volunteer: 403, anonymous: 401 }],
      ['POST', '/api/v1/tokens', { name: 'x', role: 'volunteer' }, { admin: 201, editor: 201, researcher: 201, volunteer: 403, anonymous: 401 }],
    ];
    for (const [method, url, body, expected] of cases) {
      for (const who of WHO) {
        const payload = body === undefined ? undefined : JSON.parse(JSON.stringify(body).replace('%', who));
        const response = await app.inject({ method: method as 'GET', url, headers: headers[who], ...(payload ? { payload } : {}) });
        assert.equal(response.statusCode, expected[who], `${who} ${method} ${url}: ${response.body.slice(0, 200)}`);
        if (response.statusCode >= 400) assert.ok(response.json().error.id, 'every error has a stable id');
      }
    }

    // Levels inside a record: cleared roles see restricted values, others do not.
    for (const who of ['admin', 'editor', 'researcher', 'volunteer'] as const) {
      const body = (await app.inject({ method: 'GET', url: '/api/v1/persons/open', headers: headers[who] })).body;
      assert.equal(body.includes(MARK), who === 'admin' || who === 'editor', `${who} and restricted values`);
      const events = (await app.inject({ method: 'GET', url: '/api/v1/persons/open/events', headers: headers[who] })).json().items as unknown[];
      assert.equal(events.length, who === 'admin' || who === 'editor' ? 3 : 2, `${who} and the restricted event`);
    }
    await app.close();
  });

  it('writes every read of restricted data to the audit trail', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await seed(store);
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const researcher = await memberWithToken(app, store, 'researcher@example.org', 'researcher');
    await app.inject({ method: 'GET', url: '/api/v1/persons/internal', headers: researcher });
    assert.equal((await auditEntries(store.db, { limit: 100, action: 'read_restricted' })).length, 0, 'nothing restricted was shown');
    await app.inject({ method: 'GET', url: '/api/v1/persons/open', headers: editor });
    const reads = await auditEntries(store.db, { limit: 100, action: 'read_restricted' });
    assert.equal(reads.length, 1);
    assert.equal(reads[0]!.actor, 'editor@example.org');
    assert.deepEqual((reads[0]!.detail.fields as string[]).sort(), ['biography', 'name', 'occupation', 'tags']);
    await app.close();
  });

  it('never lets a restricted, internal or unconsented value reach a public page, API, export or search', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await seed(store);
    const leaks = (text: string) => [MARK, INTERNAL, NOCONSENT].filter((marker) => text.toLowerCase().includes(marker.toLowerCase()));

    const urls = ['/', '/healthz', '/api/v1/stats', '/api/v1/stats?from=2020-01-01', '/api/v1/openapi.json', '/api/v1/public/persons', '/api/v1/public/persons?limit=100'];
    for (const query of [MARK, `${MARK}alias Secret`, `${MARK}person`, INTERNAL, NOCONSENT, 'Losik', 'Witness', 'Maryia']) {
      urls.push(`/api/v1/public/persons?q=${encodeURIComponent(query)}`);
    }
    // The public site, in every language: pages, person pages (published or not), feed, embeds, open data.
    for (const lang of ['be', 'ru', 'en']) {
      for (const path of ['/', '/prisoners', '/prisoners?status=all', '/prisoners/open', '/prisoners/internal', '/prisoners/restricted', '/prisoners/noconsent',
        '/releases', '/regions', '/feed.atom', '/embed', '/embed/counter', '/opendata', '/no-such-page']) {
        urls.push(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      }
    }
    urls.push('/opendata/persons.json', '/opendata/persons.csv', '/opendata/events.csv');
    for (const url of urls) {
      const response = await app.inject({ method: 'GET', url });
      assert.deepEqual(leaks(response.body), [], `${url} leaks`);
    }
    // Site search echoes the visitor's own words; what it finds must not leak: the results, and who is linked.
    for (const lang of ['be', 'ru', 'en']) {
      for (const query of [MARK, `${MARK}alias Secret`, `${MARK}person`, INTERNAL, NOCONSENT, 'Witness', 'Maryia']) {
        const url = `/prisoners?lang=${lang}&q=${encodeURIComponent(query)}`;
        const body = (await app.inject({ method: 'GET', url })).body;
        const results = body.match(/<tbody>[\s\S]*<\/tbody>/)?.[0] ?? '';
        assert.deepEqual(leaks(results), [], `${url} finds and shows a hidden value`);
        const linked = [...body.matchAll(/href="\/prisoners\/([^?"]+)/g)].map((m) => m[1]);
        assert.ok(linked.every((id) => id === 'open'), `${url} links ${linked.join(', ')}`);
      }
    }
    const found = await app.inject({ method: 'GET', url: '/api/v1/public/persons?q=Igor%20Losik' });
    assert.equal(found.json().persons[0]?.external_id, 'open', 'the published person is found');

    for (const kind of ['persons', 'events', 'facilities'] as const) {
      let text = '';
      for await (const row of exportRows(store, kind, { publicOnly: true })) text += JSON.stringify(row);
      if (kind !== 'facilities') assert.deepEqual(leaks(text), [], `public ${kind} export leaks`);
      if (kind === 'persons') assert.match(text, /"external_id":"open"/);
    }
    for (const query of [`${MARK}alias`, `${MARK}person Witness`, `${INTERNAL} Ivan`, `${NOCONSENT} Maryia`]) {
      const hits = await searchPeople(store, query, { publicOnly: true, limit: 20 });
      assert.deepEqual(leaks(JSON.stringify(hits)), [], `public search for ${query} leaks`);
      assert.ok(hits.every((hit) => hit.external_id === 'open' && hit.score < 0.5), `public search for ${query} finds ${JSON.stringify(hits)}`);
    }
    await app.close();
  });
});
