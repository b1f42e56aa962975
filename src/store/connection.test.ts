import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore } from './connection.js';
import { importPersons } from '../features/import/persons.import.js';
import { tempFile } from '../test-support/files.js';
import { TEST_POSTGRES } from '../test-support/stores.js';

describe('SQLite store', () => {
  it('runs in WAL mode with foreign keys enforced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-conn-'));
    const store = await openStore(join(dir, 'nested', 'vigil.sqlite'));
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    assert.equal(mode.rows[0]!.journal_mode, 'wal');
    await assert.rejects(
      store.db.insertInto('person_name').values({ person_id: 999, position: 0, confidentiality: 'public' }).execute(),
      /FOREIGN KEY/,
    );
    await store.close();
  });

  it('encrypts the file with VIGIL_DATABASE_KEY and refuses to open it without the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-key-'));
    const path = join(dir, 'secret.sqlite');
    const store = await openStore(path, { key: 'correct horse battery staple' });
    await importPersons(store, tempFile('p.csv', 'external_id,name_latin\nk1,Zmitser Dashkevich\n'), { actor: 'test' });
    for (const file of readdirSync(dir)) {
      assert.doesNotMatch(readFileSync(join(dir, file)).toString('latin1'), /Dashkevich/, `${file} holds the name in plain text`);
    }
    await store.close();
    await assert.rejects(openStore(path), /secret\.sqlite: the file is encrypted and no key was given \(set VIGIL_DATABASE_KEY/);
    await assert.rejects(openStore(path, { key: 'wrong' }), /the key is wrong/);
    const reopened = await openStore(path, { key: 'correct horse battery staple' });
    assert.equal((await reopened.db.selectFrom('person').select('external_id').execute())[0]!.external_id, 'k1');
    await reopened.close();
  });
});

describe('PostgreSQL store', () => {
  it('names the server in a clear message when it cannot be reached, without the password', async () => {
    await assert.rejects(openStore('postgres://vigil:s3cret@127.0.0.1:1/none'), (error: Error) => {
      assert.match(error.message, /^cannot reach PostgreSQL postgres:\/\/vigil:\*\*\*@127\.0\.0\.1:1\/none/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  });

  // PostgreSQL only: schemas are PostgreSQL's. Several stores (or anyone's schemas) share one database;
  // dropping one of them must not stop another store from starting.
  it('starts (and migrates) while other schemas in the same database are being dropped', async () => {
    const admin = new pg.Client({ connectionString: TEST_POSTGRES });
    await admin.connect();
    try {
      for (let round = 0; round < 4; round += 1) {
        const doomed = Array.from({ length: 12 }, () => `vigil_doomed_${randomBytes(5).toString('hex')}`);
        for (const schema of doomed) {
          const tables = Array.from({ length: 20 }, (_, t) => `CREATE TABLE ${schema}.t${t} (id serial PRIMARY KEY, a text, b integer)`);
          await admin.query(`CREATE SCHEMA ${schema}; ${tables.join('; ')}`);
        }
        const dropping = (async () => {
          const dropper = new pg.Client({ connectionString: TEST_POSTGRES });
          await dropper.connect();
          for (const schema of doomed) await dropper.query(`DROP SCHEMA ${schema} CASCADE`);
          await dropper.end();
        })();
        const schema = `vigil_test_${randomBytes(6).toString('hex')}`;
        try {
          const store = await openStore(TEST_POSTGRES, { schema });
          const tables = await store.db.introspection.getTables();
          assert.ok(tables.every((table) => table.schema === schema), 'introspection stays in the store\'s schema');
          const person = tables.find((table) => table.name === 'person');
          assert.equal(person?.columns.find((column) => column.name === 'id')?.isAutoIncrementing, true);
          assert.equal(person?.columns.find((column) => column.name === 'external_id')?.isNullable, false);
          await store.close();
        } finally {
          await dropping;
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        }
      }
    } finally {
      await admin.end();
    }
  });
});
