/**
 * Facilities, cases, sources, release deals and sanction measures through the API: the same life cycle
 * for each (create, read, list with a filter and pages, update, stale update, history), the role matrix,
 * and restricted records kept from roles without clearance and audited when a cleared role reads them.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { buildApp } from '../app.js';
import type { Role } from '../../domain/policy.js';
import { auditEntries } from '../../features/audit/audit.service.js';
import type { App } from './app-types.js';

type Headers = { authorization: string };
type Body = Record<string, unknown>;

interface Entity {
  path: string;
  /** A new record; `n` tells three of them apart, `match` marks the ones the filter finds. */
  body(n: number, match: boolean): Body;
  filter: string;
  change: Body;
}

const ENTITIES: Entity[] = [
  {
    path: '/api/v1/facilities',
    body: (n, match) => ({ name: `IK-${n}`, type: 'penal_colony', address: `Street ${n}`, region: match ? 'Homiel' : 'Viciebsk', lat: 52.4, lon: 31 }),
    filter: 'region=Homiel',
    change: { address: 'Sviatlahorsk, 247400' },
  },
  {
    path: '/api/v1/cases',
    body: (n, match) => ({ person: match ? 'p1' : 'p2', case_number: `1-${n}/2021`, articles: ['342', '361-1'], court: 'Minsk City Court', verdict_date: '2021-09', term_months: 60, regime: 'general' }),
    filter: 'person=p1',
    change: { regime: 'strict', term_months: 72 },
  },
  {
    path: '/api/v1/sources',
    body: (n, match) => ({ kind: 'url', url: `https://spring96.org/en/news/${n}`, title: `Report ${n}`, published_date: '2021-08', reliability: match ? 'high' : 'medium' }),
    filter: 'reliability=high',
    change: { title: 'Viasna report' },
  },
  {
    path: '/api/v1/deals',
    body: (n, match) => ({ slug: `deal-${n}`, date: `2025-${String((n % 12) + 1).padStart(2, '0')}`, facilitator: match ? 'US' : 'PL', destinations: ['LT'], conditions: ['forced_expulsion'] }),
    filter: 'facilitator=US',
    change: { envoy: 'John Coale', destinations: ['LT', 'UA'] },
  },
  {
    path: '/api/v1/sanctions',
    body: (n, match) => ({ issuer: match ? 'US' : 'EU', target: `Target ${n}`, imposed_on: '2021-08-09' }),
    filter: 'issuer=US',
    change: { eased_on: '2025-09-11' },
  },
];

async function withPeople(app: App, editor: Headers): Promise<void> {
  for (const [external_id, confidentiality] of [['p1', 'internal'], ['p2', 'internal'], ['secret', 'restricted']]) {
    const response = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: editor, payload: { external_id, confidentiality, names: [{ family: `Family ${external_id}` }] } });
    assert.equal(response.statusCode, 201, response.body);
  }
}

describeBothBackends('records API', (backend) => {
  it('creates, reads, lists by filter and page, updates with a version check, and keeps the history of every record', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const admin = await memberWithToken(app, store, 'admin@example.org', 'admin');
    await withPeople(app, editor);
    for (const entity of ENTITIES) {
      const ids: number[] = [];
      for (const n of [1, 2, 3]) {
        const created = await app.inject({ method: 'POST', url: entity.path, headers: editor, payload: { ...entity.body(n, n !== 2), change_reason: `source ${n}` } });
        assert.equal(created.statusCode, 201, `${entity.path}: ${created.body}`);
        assert.equal(created.json().version, 1);
        ids.push(created.json().id);
      }
      const id = ids[0]!;
      const read = await app.inject({ method: 'GET', url: `${entity.path}/${id}`, headers: editor });
      assert.equal(read.statusCode, 200);
      for (const [key, value] of Object.entries(entity.body(1, true))) assert.deepEqual(read.json()[key], value, `${entity.path} ${key}`);

      const first = await app.inject({ method: 'GET', url: `${entity.path}?${entity.filter}&limit=1`, headers: editor });
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json().items.map((item: { id: number }) => item.id), [ids[0]]);
      const second = await app.inject({ method: 'GET', url: `${entity.path}?${entity.filter}&limit=1&after=${first.json().next_after}`, headers: editor });
      assert.deepEqual(second.json().items.map((item: { id: number }) => item.id), [ids[2]], `${entity.path}: the filter skips record 2`);
      const all = await app.inject({ method: 'GET', url: `${entity.path}?limit=10`, headers: editor });
      assert.equal(all.json().items.length, 3);
      assert.equal(all.json().next_after, null, 'a short page is the last one');

      const updated = await app.inject({ method: 'PATCH', url: `${entity.path}/${id}`, headers: admin, payload: { version: 1, change_reason: 'court verdict', ...entity.change } });
      assert.equal(updated.statusCode, 200, `${entity.path}: ${updated.body}`);
      assert.equal(updated.json().version, 2);
      for (const [key, value] of Object.entries(entity.change)) assert.deepEqual(updated.json()[key], value);
      const stale = await app.inject({ method: 'PATCH', url: `${entity.path}/${id}`, headers: editor, payload: { version: 1, change_reason: 'old tab', ...entity.change } });
      assert.equal(stale.statusCode, 409, stale.body);
      assert.equal(stale.json().error.id, 'version_conflict');
      const noReason = await app.inject({ method: 'PATCH', url: `${entity.path}/${id}`, headers: editor, payload: { version: 2, ...entity.change } });
      assert.equal(noReason.statusCode, 400, 'an update says why');

      const history = (await app.inject({ method: 'GET', url: `${entity.path}/${id}/history`, headers: editor })).json().items;
      assert.deepEqual(history.map((h: { version: number; action: string; actor: string; reason: string }) => [h.version, h.action, h.actor, h.reason]), [
        [1, 'create', 'editor@example.org', 'source 1'],
        [2, 'update', 'admin@example.org', 'court verdict'],
      ]);
      assert.ok(history.every((h: { at: string }) => !Number.isNaN(Date.parse(h.at))));
      assert.equal(history[0].before, null);
      const [field, value] = Object.entries(entity.change)[0]!;
      assert.notDeepEqual(history[1].before[field], value);
      assert.deepEqual(history[1].after[field], value);
      const updates = await auditEntries(store.db, { limit: 1000, action: 'update' });
      assert.ok(updates.some((entry) => entry.actor === 'admin@example.org' && entry.entity_id === String(id)), `${entity.path}: the update is in the audit trail`);
    }
    await app.close();
  });

  it('answers every role on every endpoint as the permission matrix says', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    type Who = Role | 'anonymous';
    const headers: Record<Who, Record<string, string>> = { anonymous: {} } as never;
    for (const role of ['admin', 'editor', 'researcher', 'volunteer'] as const) headers[role] = await memberWithToken(app, store, `${role}@example.org`, role);
    await withPeople(app, headers.editor as Headers);
    const expect = (admin: number, editor: number, other: number) => ({ admin, editor, researcher: other, volunteer: other, anonymous: 401 });
    let n = 10;
    for (const entity of ENTITIES) {
      const created = await app.inject({ method: 'POST', url: entity.path, headers: headers.editor, payload: entity.body(9, true) });
      const id = created.json().id as number;
      const cases: [string, string, (who: Who) => unknown, Record<Who, number>][] = [
        ['GET', entity.path, () => undefined, expect(200, 200, 200)],
        ['GET', `${entity.path}/${id}`, () => undefined, expect(200, 200, 200)],
        ['GET', `${entity.path}/${id}/history`, () => undefined, expect(200, 200, 200)],
        ['POST', entity.path, () => entity.body(++n, true), expect(201, 201, 403)],
        // Admin saves version 2 first; the editor's edit of version 1 then conflicts.
        ['PATCH', `${entity.path}/${id}`, () => ({ version: 1, change_reason: 'x', ...entity.change }), expect(200, 409, 403)],
      ];
      for (const [method, url, body, expected] of cases) {
        for (const who of ['admin', 'editor', 'researcher', 'volunteer', 'anonymous'] as const) {
          const payload = body(who);
          const response = await app.inject({ method: method as 'GET', url, headers: headers[who], ...(payload ? { payload: payload as Body } : {}) });
          assert.equal(response.statusCode, expected[who], `${who} ${method} ${url}: ${response.body.slice(0, 200)}`);
          if (response.statusCode >= 400) assert.ok(response.json().error.id, 'every error has a stable id');
        }
      }
    }
    await app.close();
  });

  it('keeps restricted cases, sources and deals from roles without clearance, and audits every read of them', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const researcher = await memberWithToken(app, store, 'researcher@example.org', 'researcher');
    const volunteer = await memberWithToken(app, store, 'volunteer@example.org', 'volunteer');
    await withPeople(app, editor);
    const post = async (url: string, payload: Body) => {
      const response = await app.inject({ method: 'POST', url, headers: editor, payload });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().id as number;
    };
    const MARK = 'RESTRICTEDMARKER';
    const hidden = [
      ['/api/v1/cases', await post('/api/v1/cases', { person: 'p1', judge: MARK, confidentiality: 'restricted' })],
      ['/api/v1/cases', await post('/api/v1/cases', { person: 'secret', court: MARK, confidentiality: 'internal' })],
      ['/api/v1/sources', await post('/api/v1/sources', { kind: 'citation', citation: `${MARK} witness statement`, confidentiality: 'restricted' })],
      ['/api/v1/deals', await post('/api/v1/deals', { slug: 'secret-deal', date: '2025-06', summary: MARK, confidentiality: 'restricted' })],
    ] as const;
    const open = {
      case: await post('/api/v1/cases', { person: 'p1', court: 'Minsk City Court' }),
      source: await post('/api/v1/sources', { kind: 'url', url: 'https://spring96.org/en' }),
      deal: await post('/api/v1/deals', { slug: 'open-deal', date: '2025-09', people: [{ person: 'p1', outcome: 'released' }, { person: 'secret', outcome: 'released', note: MARK }] }),
    };

    for (const viewer of [researcher, volunteer]) {
      for (const [path, id] of hidden) {
        for (const url of [`${path}/${id}`, `${path}/${id}/history`]) {
          const response = await app.inject({ method: 'GET', url, headers: viewer });
          assert.equal(response.statusCode, 404, `${url}: ${response.body}`);
        }
        const list = await app.inject({ method: 'GET', url: `${path}?limit=200`, headers: viewer });
        assert.equal(list.statusCode, 200);
        assert.ok(!list.json().items.some((item: { id: number }) => item.id === id), `${path} lists ${id}`);
        assert.ok(!list.body.includes(MARK), `${path} leaks`);
      }
      const deal = await app.inject({ method: 'GET', url: `/api/v1/deals/${open.deal}`, headers: viewer });
      assert.deepEqual(deal.json().people.map((p: { person: string }) => p.person), ['p1'], 'a restricted person named in a deal is left out');
      const dealHistory = await app.inject({ method: 'GET', url: `/api/v1/deals/${open.deal}/history`, headers: viewer });
      assert.ok(!dealHistory.body.includes(MARK) && !dealHistory.body.includes('"secret"'), 'history shows no more than the record');
      for (const url of [`/api/v1/cases/${open.case}`, `/api/v1/sources/${open.source}`]) assert.equal((await app.inject({ method: 'GET', url, headers: viewer })).statusCode, 200);
    }
    assert.equal((await auditEntries(store.db, { limit: 100, action: 'read_restricted' })).length, 0, 'nothing restricted was shown');

    for (const [path, id] of hidden) {
      const response = await app.inject({ method: 'GET', url: `${path}/${id}`, headers: editor });
      assert.equal(response.statusCode, 200);
      assert.ok(response.body.includes(MARK));
    }
    const list = await app.inject({ method: 'GET', url: '/api/v1/sources', headers: editor });
    assert.equal(list.json().items.length, 2);
    const reads = await auditEntries(store.db, { limit: 100, action: 'read_restricted' });
    assert.deepEqual(
      reads.map((entry) => [entry.actor, entry.entity, Number(entry.entity_id)]).reverse(),
      [...hidden.map(([path, id]) => ['editor@example.org', { '/api/v1/cases': 'case', '/api/v1/sources': 'source', '/api/v1/deals': 'deal' }[path], id]), ['editor@example.org', 'source', hidden[2][1]]],
    );
    await app.close();
  });

  it('sets the people of a deal and the concessions given for it as versioned edits', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const researcher = await memberWithToken(app, store, 'researcher@example.org', 'researcher');
    await withPeople(app, editor);
    const deal = (await app.inject({ method: 'POST', url: '/api/v1/deals', headers: editor, payload: { slug: '2025-09-vilnius', date: '2025-09-11', facilitator: 'US' } })).json();
    const measure = (await app.inject({ method: 'POST', url: '/api/v1/sanctions', headers: editor, payload: { issuer: 'US', target: 'Belavia', imposed_on: '2021-08' } })).json();
    const people = { version: 1, change_reason: 'published list', people: [{ person: 'p1', outcome: 'released' }, { person: 'p2', outcome: 'refused_expulsion', note: 'taken back to prison' }] };
    assert.equal((await app.inject({ method: 'PUT', url: `/api/v1/deals/${deal.id}/people`, headers: researcher, payload: people })).statusCode, 403);
    const set = await app.inject({ method: 'PUT', url: `/api/v1/deals/${deal.id}/people`, headers: editor, payload: people });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().version, 2);
    assert.deepEqual(set.json().people.map((p: { person: string; outcome: string }) => [p.person, p.outcome]), [['p1', 'released'], ['p2', 'refused_expulsion']]);
    assert.equal((await app.inject({ method: 'PUT', url: `/api/v1/deals/${deal.id}/people`, headers: editor, payload: people })).statusCode, 409);
    const unknown = await app.inject({ method: 'PUT', url: `/api/v1/deals/${deal.id}/people`, headers: editor, payload: { ...people, version: 2, people: [{ person: 'nobody', outcome: 'released' }] } });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().error.message, /nobody/);

    const concessions = await app.inject({ method: 'PUT', url: `/api/v1/deals/${deal.id}/concessions`, headers: editor, payload: { version: 2, change_reason: 'Treasury', concessions: [{ measure_id: measure.id, action: 'lifted' }] } });
    assert.equal(concessions.statusCode, 200, concessions.body);
    assert.deepEqual(concessions.json().concessions, [{ measure_id: measure.id, action: 'lifted' }]);
    const missing = await app.inject({ method: 'PUT', url: `/api/v1/deals/${deal.id}/concessions`, headers: editor, payload: { version: 3, change_reason: 'x', concessions: [{ measure_id: 999, action: 'eased' }] } });
    assert.equal(missing.statusCode, 400);

    const history = (await app.inject({ method: 'GET', url: `/api/v1/deals/${deal.id}/history`, headers: editor })).json().items;
    assert.deepEqual(history.map((h: { reason: string }) => h.reason), [null, 'published list', 'Treasury']);
    assert.deepEqual(history[1].before.people, []);
    assert.equal(history[1].after.people.length, 2);
    const duplicate = await app.inject({ method: 'POST', url: '/api/v1/deals', headers: editor, payload: { slug: '2025-09-vilnius', date: '2025' } });
    assert.equal(duplicate.statusCode, 409);
    const badCountry = await app.inject({ method: 'POST', url: '/api/v1/deals', headers: editor, payload: { slug: 'x', date: '2025', destinations: ['XX'] } });
    assert.equal(badCountry.statusCode, 400);
    await app.close();
  });

  it('documents the new endpoints in OpenAPI', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const name of ['facilities', 'cases', 'sources', 'deals', 'sanctions']) {
      assert.ok(doc.paths[`/api/v1/${name}`]?.get && doc.paths[`/api/v1/${name}`]?.post, `/api/v1/${name}`);
      assert.ok(doc.paths[`/api/v1/${name}/{id}`]?.get && doc.paths[`/api/v1/${name}/{id}`]?.patch, `/api/v1/${name}/{id}`);
      assert.ok(doc.paths[`/api/v1/${name}/{id}/history`]?.get, `/api/v1/${name}/{id}/history`);
      const update = doc.paths[`/api/v1/${name}/{id}`].patch.requestBody.content['application/json'].schema;
      assert.ok(update.required.includes('version') && update.required.includes('change_reason'), `${name} update needs version and change_reason`);
    }
    assert.ok(doc.paths['/api/v1/deals/{id}/people'].put);
    assert.ok(doc.paths['/api/v1/deals/{id}/concessions'].put);
    await app.close();
  });
});
