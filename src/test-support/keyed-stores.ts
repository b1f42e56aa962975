/**
 * Fresh stores opened with a key (VIGIL_DATABASE_KEY), on either backend: an encrypted SQLite file, or
 * a new PostgreSQL schema reached through a pool that has the key (PostgreSQL itself takes no key; the
 * key seals stored files). Closed and removed after the suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openStore, type Store } from '../store/connection.js';
import type { TestBackend } from './stores.js';

export interface KeyedStore {
  store: Store;
  /** Where the store lives, for a CLI child process (give it the key as VIGIL_DATABASE_KEY). */
  database: string;
  /** SQLite: the directory holding the database file and its journals; null on PostgreSQL. */
  sqliteDir: string | null;
}

export function keyedStores(backend: TestBackend): (key: string) => Promise<KeyedStore> {
  const opened: Store[] = [];
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(opened.map((store) => store.close()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return async (key) => {
    if (backend.dialect === 'postgres') {
      await backend.fresh();
      const database = backend.lastLocation.database;
      const store = await openStore(database, { key });
      opened.push(store);
      return { store, database, sqliteDir: null };
    }
    const dir = mkdtempSync(join(tmpdir(), 'vigil-keyed-'));
    dirs.push(dir);
    const database = join(dir, 'store.sqlite');
    const store = await openStore(database, { key });
    opened.push(store);
    return { store, database, sqliteDir: dir };
  };
}
