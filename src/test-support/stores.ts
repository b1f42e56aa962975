/**
 * Runs one test body against SQLite and against a real PostgreSQL. Each test gets an empty store: a new
 * SQLite file in a temp directory, or a new PostgreSQL schema. PostgreSQL comes from VIGIL_TEST_POSTGRES
 * (default: the local server on 127.0.0.1:5432, database test). It is required: a run without it fails
 * instead of silently testing one backend.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import pg from 'pg';
import { openStore, type Dialect, type Store } from '../store/connection.js';

export const TEST_POSTGRES = process.env.VIGIL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestBackend {
  readonly dialect: Dialect;
  /** Opens a fresh, migrated, empty store. Closed and removed after the suite. */
  fresh(): Promise<Store>;
  /** What `--database` / VIGIL_DATABASE must be for a CLI child process to see the last fresh store. */
  readonly lastLocation: { database: string; env: Record<string, string> };
}

function sqliteBackend(): TestBackend {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const stores: Store[] = [];
  let count = 0;
  const backend: TestBackend = {
    dialect: 'sqlite',
    lastLocation: { database: '', env: {} },
    async fresh() {
      const path = join(dir, `store-${++count}.sqlite`);
      const store = await openStore(path);
      stores.push(store);
      Object.assign(backend.lastLocation, { database: path, env: {} });
      return store;
    },
  };
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  return backend;
}

/** For the few tests that are about PostgreSQL alone (several processes over one database); say why in the test. */
export function postgresBackend(): TestBackend {
  const stores: Store[] = [];
  const schemas: string[] = [];
  const backend: TestBackend = {
    dialect: 'postgres',
    lastLocation: { database: '', env: {} },
    async fresh() {
      const schema = `vigil_test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      const store = await openStore(TEST_POSTGRES, { schema });
      stores.push(store);
      const url = new URL(TEST_POSTGRES);
      url.searchParams.set('options', `-c search_path=${schema}`);
      Object.assign(backend.lastLocation, { database: url.toString(), env: {} });
      return store;
    },
  };
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    const client = new pg.Client({ connectionString: TEST_POSTGRES });
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  return backend;
}

/** `describe` the same body once per backend. */
export function describeBothBackends(name: string, body: (backend: TestBackend) => void): void {
  describe(`${name} [sqlite]`, () => body(sqliteBackend()));
  describe(`${name} [postgres]`, () => body(postgresBackend()));
}
