/**
 * The public side on a read replica: a real PostgreSQL streaming standby of the primary. Public pages,
 * open data and the public API read the standby, so with its replay paused they keep showing the data
 * as it was, while the private API (on the primary) already shows a change; once replayed, the public
 * side shows it too. Writes go to the primary (a standby refuses them).
 *
 * PostgreSQL only, on purpose: a read replica is a PostgreSQL deployment (SQLite is one file for one
 * server process).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startReplicatedPair, type ReplicatedPair } from '../test-support/pg-replication.js';
import { memberWithToken } from '../test-support/accounts.js';
import { startServer } from '../test-support/processes.js';
import { openStore, type Store } from '../store/connection.js';
import { openPublicReplica } from '../store/replica.js';
import { buildApp } from './app.js';
import type { App } from './api/app-types.js';

const person = (externalId: string, family: string) => ({
  external_id: externalId,
  names: [{ family, given: 'Ганна', lang: 'be', confidentiality: 'public' }],
  publish: true,
  confidentiality: 'public',
  change_reason: 'fictional test person',
});

describe('public side on a read replica [postgres streaming standby]', () => {
  let pair: ReplicatedPair;
  let primary: Store;
  let replica: Store;
  let app: App;
  let auth: { authorization: string };

  before(async () => {
    pair = await startReplicatedPair();
    // Migrated on the primary after the standby was made: the replica gets the schema by streaming.
    primary = await openStore(pair.primary);
    replica = await openPublicReplica(pair.standby, primary);
    app = await buildApp({ store: primary, publicStore: replica });
    auth = await memberWithToken(app, primary, 'editor@example.org', 'editor');
  });

  after(async () => {
    await app?.close();
    await replica?.close();
    await primary?.close();
    await pair?.stop();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
  const publicSearch = async (q: string) => ((await get(`/api/v1/public/persons?q=${encodeURIComponent(q)}`)).json().persons as { external_id: string; name: string }[]).map((p) => p.external_id);

  it('shows a change made on the primary once the replica has replayed it, and not before', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: auth, payload: person('replica-1', 'Рэплікава') });
    assert.equal(created.statusCode, 201, created.body);
    await pair.caughtUp();
    assert.deepEqual(await publicSearch('Рэплікава'), ['replica-1']);
    assert.match((await get('/prisoners/replica-1?lang=be')).body, /Рэплікава/);

    await pair.pauseReplay();
    try {
      const version = (created.json() as { version: number }).version;
      const renamed = await app.inject({ method: 'PATCH', url: '/api/v1/persons/replica-1', headers: auth, payload: { version, names: [{ family: 'Перайменавана', given: 'Ганна', lang: 'be', confidentiality: 'public' }], change_reason: 'test' } });
      assert.equal(renamed.statusCode, 200, `a private write goes to the primary: ${renamed.body}`);
      const added = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: auth, payload: person('replica-2', 'Навенькая') });
      assert.equal(added.statusCode, 201, added.body);

      // The private side reads the primary: the change is there.
      const privateRead = await get('/api/v1/persons/replica-1', auth);
      assert.match(privateRead.body, /Перайменавана/);
      // The public side reads the paused replica: not yet.
      assert.deepEqual(await publicSearch('Перайменавана'), []);
      assert.deepEqual(await publicSearch('Навенькая'), []);
      const page = await get('/prisoners/replica-1?lang=be');
      assert.match(page.body, /Рэплікава/);
      assert.doesNotMatch(page.body, /Перайменавана/);
      assert.equal((await get('/prisoners/replica-2?lang=be')).statusCode, 404);
      assert.doesNotMatch((await get('/opendata/persons.json')).body, /replica-2/);
    } finally {
      await pair.resumeReplay();
    }

    await pair.caughtUp();
    assert.deepEqual(await publicSearch('Перайменавана'), ['replica-1']);
    assert.deepEqual(await publicSearch('Навенькая'), ['replica-2']);
    assert.match((await get('/prisoners/replica-1?lang=be')).body, /Перайменавана/);
    assert.equal((await get('/prisoners/replica-2?lang=be')).statusCode, 200);
    assert.match((await get('/opendata/persons.json')).body, /replica-2/);
  });

  it('serves every public part from the replica, which refuses writes', async () => {
    for (const url of ['/?lang=en', '/prisoners?lang=ru', '/api/v1/stats', '/api/v1/public/persons', '/opendata/persons.csv', '/healthz']) {
      assert.equal((await get(url)).statusCode, 200, url);
    }
    assert.equal((await get('/no-such-page')).statusCode, 404);
    await assert.rejects(replica.db.updateTable('person').set({ occupation: 'written to the replica' }).execute(), /read-only/);
  });

  it('vigil serve reads the public side from VIGIL_PUBLIC_DATABASE', async () => {
    const { server, base } = await startServer({ database: pair.primary, env: { VIGIL_PUBLIC_DATABASE: pair.standby } }, 60_000);
    try {
      assert.match(server.output().stderr, /the public side reads PostgreSQL postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres/);
      await pair.pauseReplay();
      try {
        const added = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: auth, payload: person('replica-3', 'Трэцяя') });
        assert.equal(added.statusCode, 201, added.body);
        const before = await (await fetch(`${base}/api/v1/public/persons?q=${encodeURIComponent('Трэцяя')}`)).json() as { persons: unknown[] };
        assert.deepEqual(before.persons, [], 'the served public API reads the paused replica');
      } finally {
        await pair.resumeReplay();
      }
      await pair.caughtUp();
      const afterReplay = await (await fetch(`${base}/api/v1/public/persons?q=${encodeURIComponent('Трэцяя')}`)).json() as { persons: { external_id: string }[] };
      assert.deepEqual(afterReplay.persons.map((p) => p.external_id), ['replica-3']);
    } finally {
      await server.killHard();
    }
  });
});
