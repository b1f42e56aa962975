import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { importEvents } from '../features/import/events.import.js';
import { importPersons } from '../features/import/persons.import.js';
import { tempFile } from '../test-support/files.js';
import { postgresBackend } from '../test-support/stores.js';
import type { Store } from './connection.js';

/** What PostgreSQL's planner believes a table holds (-1: never analysed). */
async function plannedRows(store: Store, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT reltuples AS n FROM pg_class WHERE oid = ${table}::regclass`.execute(store.db);
  return Number(rows[0]!.n);
}

const PEOPLE = 1500;

// PostgreSQL only: SQLite's planner works without statistics, and Vigil keeps none there.
describe('planner statistics after a large import [postgres]', () => {
  const backend = postgresBackend();
  it('are brought up to date before the import commits', async () => {
    const store = await backend.fresh();
    const ids = Array.from({ length: PEOPLE }, (_, i) => `s${i}`);
    await importPersons(store, tempFile('persons.csv', `external_id,name_latin\n${ids.map((id) => `${id},Name ${id}`).join('\n')}\n`), { actor: 'test' });
    await importEvents(store, tempFile('events.csv', `person_external_id,type,date\n${ids.map((id) => `${id},detained,2021-05-01`).join('\n')}\n`), { actor: 'test' });
    for (const table of ['person', 'person_name', 'event', 'status_interval']) {
      assert.ok((await plannedRows(store, table)) >= PEOPLE, `the planner knows ${table} holds ${PEOPLE} rows`);
    }
  });
});
