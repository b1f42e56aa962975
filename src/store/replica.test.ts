/**
 * Opening the public side's read replica: what is refused, and that the replica's sessions refuse
 * writes even when the URL points at a writable server. (The streaming standby itself is tested in
 * src/web/public-replica.test.ts.)
 *
 * PostgreSQL only, on purpose: a read replica is a PostgreSQL deployment.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { postgresBackend, TEST_POSTGRES } from '../test-support/stores.js';
import { openStore } from './connection.js';
import { openPublicReplica } from './replica.js';
import { createFacility } from '../features/facilities/facility.service.js';

const backend = postgresBackend();

describe('opening a read replica [postgres]', () => {
  it('refuses a replica that is not a postgres:// URL, and a SQLite primary', async () => {
    const primary = await backend.fresh();
    await assert.rejects(openPublicReplica('./replica.sqlite', primary), /VIGIL_PUBLIC_DATABASE must be a postgres:\/\/ URL/);
    const sqlite = await openStore(join(tmpdir(), `vigil-replica-${randomBytes(4).toString('hex')}.sqlite`));
    try {
      await assert.rejects(openPublicReplica(TEST_POSTGRES, sqlite), /needs a PostgreSQL primary store; SQLite .* is not one/);
    } finally {
      await sqlite.close();
    }
  });

  it('reads through sessions that refuse every write, whatever server the URL points at', async () => {
    const primary = await backend.fresh();
    await createFacility(primary, { name: 'SIZO-1', type: 'sizo', address: null, region: null, lat: null, lon: null }, { actor: 'test', reason: 'fixture' });
    const replica = await openPublicReplica(backend.lastLocation.database, primary);
    try {
      const rows = await replica.db.selectFrom('facility').select('name').execute();
      assert.deepEqual(rows.map((row) => row.name), ['SIZO-1']);
      await assert.rejects(replica.db.updateTable('facility').set({ name: 'changed' }).execute(), /read-only transaction/);
      await assert.rejects(replica.db.deleteFrom('facility').execute(), /read-only transaction/);
    } finally {
      await replica.close();
    }
    assert.deepEqual((await primary.db.selectFrom('facility').select('name').execute()).map((row) => row.name), ['SIZO-1']);
  });

  it('refuses a database without a Vigil store, and one that still lacks a migration after waiting', async () => {
    const primary = await backend.fresh();
    const empty = `vigil_test_empty_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: TEST_POSTGRES });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${empty}`);
      const url = new URL(TEST_POSTGRES);
      url.searchParams.set('options', `-c search_path=${empty}`);
      await assert.rejects(openPublicReplica(url.toString(), primary, 300), /holds no Vigil store/);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${empty} CASCADE`);
      await client.end();
    }
    const behind = await primary.db.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never, 'desc').executeTakeFirstOrThrow() as { name: string };
    await primary.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', behind.name as never).execute();
    const started = Date.now();
    await assert.rejects(openPublicReplica(backend.lastLocation.database, primary, 600), new RegExp(`still lacks the migrations ${behind.name} after`));
    assert.ok(Date.now() - started >= 600, 'it waited for the replica to catch up first');
  });
});
