import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { openStore, type Dialect, type Store } from '../../store/connection.js';
import { describeBothBackends, TEST_POSTGRES } from '../../test-support/stores.js';
import { NAMES_DEV } from '../../test-support/files.js';
import { appendAudit, verifyAudit } from '../audit/audit.service.js';
import { addUser } from '../auth/accounts.service.js';
import { importEvents } from '../import/events.import.js';
import { importPersons } from '../import/persons.import.js';
import { statsOn } from '../stats/stats.service.js';
import { TABLES } from './backup-format.js';
import { backupStore, restoreStore } from './backup.service.js';

const actor = 'test:backup';
const KEY = 'correct horse battery staple';
/** A name from names-dev, in both scripts: an encrypted backup must not show it. */
const NAMES = ['Salauyou', 'Салаўёў'];
const expectedStats = (JSON.parse(readFileSync(join(NAMES_DEV, 'expected-stats.json'), 'utf8')) as { date: string }[]).slice(0, 4);

const dir = mkdtempSync(join(tmpdir(), 'vigil-backup-'));
const extraStores: Store[] = [];
const extraSchemas: string[] = [];
after(async () => {
  await Promise.all(extraStores.map((store) => store.close()));
  if (extraSchemas.length > 0) {
    const client = new pg.Client({ connectionString: TEST_POSTGRES });
    await client.connect();
    for (const schema of extraSchemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  rmSync(dir, { recursive: true, force: true });
});

const backupPath = (name: string) => join(dir, `${randomBytes(4).toString('hex')}-${name}`);

/** An empty store of the given dialect, besides the one the backend under test gives. */
async function emptyStore(dialect: Dialect): Promise<Store> {
  const schema = `vigil_test_${randomBytes(6).toString('hex')}`;
  if (dialect === 'postgres') extraSchemas.push(schema);
  const store = dialect === 'sqlite' ? await openStore(join(dir, `${schema}.sqlite`)) : await openStore(TEST_POSTGRES, { schema });
  extraStores.push(store);
  return store;
}

/** names-dev, an account, audit entries, a merge pointing forwards and a deleted row. */
async function loadSample(store: Store): Promise<{ deletedFacility: number }> {
  await importPersons(store, join(NAMES_DEV, 'persons.csv'), { actor });
  await importEvents(store, join(NAMES_DEV, 'events.csv'), { actor });
  await addUser(store, 'editor@example.org', 'editor', actor, 'Editor');
  for (const action of ['sign_in', 'update', 'export']) {
    await store.db.transaction().execute((trx) => appendAudit(trx, { actor: 'editor@example.org', action, entity: 'person', entityId: 7, ip: '192.0.2.1', detail: { note: action } }));
  }
  // Merged into a record with a higher id: restoring in id order meets the reference before its target.
  const [first, last] = await Promise.all(['asc', 'desc'].map((order) => store.db.selectFrom('person').select('id').orderBy('id', order as 'asc').executeTakeFirstOrThrow()));
  await store.db.updateTable('person').set({ merged_into: last!.id }).where('id', '=', first!.id).execute();
  const now = new Date().toISOString();
  const facility = await store.db.insertInto('facility').values({ name: 'Closed camp', type: 'other', version: 1, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  await store.db.deleteFrom('facility').where('id', '=', facility.id).execute();
  return { deletedFacility: facility.id };
}

/** Every row of every table, in a stable order. */
async function dump(store: Store): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = await store.db.selectFrom(table.name).selectAll().execute();
    tables[table.name] = rows.map((row) => [JSON.stringify(row), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  }
  return tables;
}

async function isEmpty(store: Store): Promise<boolean> {
  return Object.values(await dump(store)).every((rows) => rows.length === 0);
}

async function rejection(promise: Promise<unknown>): Promise<{ id: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { id: string; message: string };
  }
  assert.fail('the restore was accepted but should have been refused');
}

describeBothBackends('backup and restore', (backend) => {
  let source: Store;
  let sample: { deletedFacility: number };
  let plainFile: string;
  let sealedFile: string;

  it('restores every row of every table, the same counts and an intact audit trail', async (t) => {
    source = await backend.fresh();
    sample = await loadSample(source);
    const before = await dump(source);
    plainFile = backupPath('plain.vigil-backup');
    let started = performance.now();
    const report = await backupStore(source, plainFile, { actor });
    const backupMs = performance.now() - started;
    assert.equal(report.encrypted, false);
    assert.equal(report.rows, Object.values(before).reduce((sum, rows) => sum + rows.length, 0));

    const target = await backend.fresh();
    started = performance.now();
    const restored = await restoreStore(target, plainFile);
    t.diagnostic(`names-dev on ${backend.dialect}: backup ${Math.round(backupMs)} ms (${report.rows} rows, ${report.bytes} bytes), restore ${Math.round(performance.now() - started)} ms`);
    assert.deepEqual([restored.audit.ok, restored.audit.entries, restored.rows, restored.source], [true, before.audit_log!.length, report.rows, backend.dialect]);
    assert.deepEqual(await dump(target), before);
    for (const expected of expectedStats) assert.deepEqual(await statsOn(target, expected.date), expected);

    // The backup is recorded in the source's trail after the snapshot, so the backup itself does not hold it.
    const [entry] = await source.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).execute();
    assert.deepEqual([entry!.action, JSON.parse(entry!.detail)], ['backup', { file: plainFile.split('/').at(-1), tables: TABLES.length, rows: report.rows, encrypted: false }]);
    assert.equal((await verifyAudit(source.db)).ok, true);

    // New rows take new ids, above those of deleted rows too.
    const now = new Date().toISOString();
    const facility = await target.db.insertInto('facility').values({ name: 'New place', type: 'other', version: 1, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    assert.ok(facility.id > sample.deletedFacility, `id ${facility.id} reuses a deleted one (${sample.deletedFacility})`);
    await addUser(target, 'second@example.org', 'researcher', actor);
    assert.equal((await verifyAudit(target.db)).ok, true);
  });

  it('restores into the other backend and back unchanged', async () => {
    const other: Dialect = backend.dialect === 'sqlite' ? 'postgres' : 'sqlite';
    const there = await emptyStore(other);
    await restoreStore(there, plainFile);
    const expected = await dump((await restoreInto(backend, plainFile)).store);
    assert.deepEqual(await dump(there), expected);
    const back = backupPath(`from-${other}.vigil-backup`);
    await backupStore(there, back, { actor });
    const home = await restoreInto(backend, back);
    assert.equal(home.report.source, other);
    assert.equal(home.report.audit.ok, true);
    assert.deepEqual(await dump(home.store), expected);
  });

  it('encrypts with a key: no name in the file; no key or a wrong key is refused, the right key restores', async () => {
    const expected = await dump(source);
    sealedFile = backupPath('sealed.vigil-backup');
    const report = await backupStore(source, sealedFile, { actor, passphrase: KEY });
    assert.equal(report.encrypted, true);
    const sealed = readFileSync(sealedFile);
    const plain = gunzipSync(readFileSync(plainFile));
    for (const name of NAMES) {
      assert.ok(plain.includes(name), `the plain backup should hold ${name}`);
      assert.ok(!sealed.includes(name), `the encrypted backup shows ${name}`);
    }
    assert.ok(!sealed.includes(KEY));
    const [entry] = await source.db.selectFrom('audit_log').select('detail').orderBy('seq', 'desc').limit(1).execute();
    assert.deepEqual(JSON.parse(entry!.detail), { file: sealedFile.split('/').at(-1), tables: TABLES.length, rows: report.rows, encrypted: true });

    const target = await backend.fresh();
    const missing = await rejection(restoreStore(target, sealedFile));
    assert.equal(missing.id, 'backup_key_missing');
    assert.match(missing.message, /is an encrypted backup and no key was given: set VIGIL_DATABASE_KEY/);
    const wrong = await rejection(restoreStore(target, sealedFile, { passphrase: 'correct horse battery stapler' }));
    assert.deepEqual([wrong.id, wrong.message], ['backup_key_wrong', `cannot decrypt ${sealedFile}: the key is wrong (it must be the key the backup was made with)`]);
    assert.ok(await isEmpty(target));

    const restored = await restoreStore(target, sealedFile, { passphrase: KEY });
    assert.deepEqual([restored.encrypted, restored.audit.ok], [true, true]);
    assert.deepEqual(await dump(target), expected);
  });

  it('refuses a damaged or truncated file and writes nothing', async () => {
    const sealed = readFileSync(sealedFile);
    const plain = readFileSync(plainFile);
    const flipped = (bytes: Buffer, at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ 0x01;
      return copy;
    };
    const cases: [string, Buffer, RegExp][] = [
      ['a flipped byte in the middle', flipped(sealed, Math.floor(sealed.length / 2)), /is damaged or was altered \(chunk \d+ fails authentication\)/],
      ['a flipped last-chunk flag', flipped(sealed, sealed.length - 1), /is damaged or was altered/],
      ['the last chunk cut off', sealed.subarray(0, sealed.length - 1000), /is damaged or was altered/],
      ['a truncated plain backup', plain.subarray(0, Math.floor(plain.length * 0.7)), /is damaged or cut short/],
      ['a flipped byte in a plain backup', flipped(plain, Math.floor(plain.length / 2)), /is damaged or cut short|is not a usable Vigil backup/],
    ];
    const target = await backend.fresh();
    for (const [what, bytes, message] of cases) {
      const file = backupPath('damaged.vigil-backup');
      writeFileSync(file, bytes);
      const error = await rejection(restoreStore(target, file, { passphrase: KEY }));
      assert.match(error.message, message, what);
      assert.match(error.message, /nothing was restored$/, what);
      assert.ok(await isEmpty(target), `${what}: something was written`);
    }
  });

  it('refuses a store that is not empty, and a backup from a newer Vigil', async () => {
    const refused = await rejection(restoreStore(source, plainFile));
    assert.equal(refused.id, 'store_not_empty');
    assert.match(refused.message, /^cannot restore into .+: it is not empty \(\d+ facility, 1500 person, .*\); restore only into a new, empty database$/);

    const lines = gunzipSync(readFileSync(plainFile)).toString('utf8').split('\n');
    const header = JSON.parse(lines[0]!);
    const newer = (change: object) => {
      const file = backupPath('newer.vigil-backup');
      writeFileSync(file, gzipSync([JSON.stringify({ ...header, ...change }), ...lines.slice(1)].join('\n')));
      return file;
    };
    const target = await backend.fresh();
    const migration = await rejection(restoreStore(target, newer({ migrations: [...header.migrations, '9999_future'] })));
    assert.match(migration.message, /was made by a Vigil with database migrations this one does not have \(9999_future\)/);
    const version = await rejection(restoreStore(target, newer({ version: 2 })));
    assert.match(version.message, /is in backup format version 2, which this Vigil does not know/);
    assert.ok(await isEmpty(target));
  });

  it('restores a backup made before later migrations: the tables they added stay empty', async () => {
    const lines = gunzipSync(readFileSync(plainFile)).toString('utf8').split('\n');
    const header = JSON.parse(lines[0]!) as { migrations: string[]; tables: { name: string; rows: number }[] };
    // As the previous release wrote it: without the review migration and its table.
    const dropped = 'proposal';
    assert.ok(header.migrations.includes('0007_review') && header.tables.some((t) => t.name === dropped));
    const out: string[] = [JSON.stringify({ ...header, migrations: header.migrations.filter((m) => m !== '0007_review'), tables: header.tables.filter((t) => t.name !== dropped) })];
    for (let i = 1; i < lines.length && lines[i] !== ''; ) {
      const section = JSON.parse(lines[i]!) as { table: string; rows: number };
      if (section.table !== dropped) out.push(...lines.slice(i, i + 1 + section.rows));
      i += 1 + section.rows;
    }
    const file = backupPath('older.vigil-backup');
    writeFileSync(file, gzipSync(`${out.join('\n')}\n`));
    const target = await backend.fresh();
    const restored = await restoreStore(target, file);
    assert.equal(restored.audit.ok, true);
    const before = await dump(source);
    const after = await dump(target);
    for (const table of TABLES.map((t) => t.name).filter((name) => name !== dropped && name !== 'audit_log' && name !== 'audit_head')) {
      assert.deepEqual(after[table], before[table], table);
    }
    assert.deepEqual(after[dropped] ?? [], []);

    // A backup that claims every migration must list every table.
    const incomplete = backupPath('incomplete.vigil-backup');
    writeFileSync(incomplete, gzipSync(`${[JSON.stringify({ ...header, tables: header.tables.filter((t) => t.name !== dropped) }), ...out.slice(1)].join('\n')}\n`));
    const refused = await rejection(restoreStore(await backend.fresh(), incomplete));
    assert.match(refused.message, /does not list the tables/);
  });

  it('takes a consistent backup while another process keeps writing', async () => {
    const store = await backend.fresh();
    await loadSample(store);
    const writer = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./audit-writer.fixture.ts', import.meta.url)), backend.lastLocation.database], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let committed = 0;
    writer.stdout.on('data', (chunk: Buffer) => (committed = Number(chunk.toString().trim().split('\n').at(-1))));
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    try {
      while (committed < 10) await new Promise((resolve) => setTimeout(resolve, 20));
      const file = backupPath('online.vigil-backup');
      const first = committed;
      await backupStore(store, file, { actor });
      const last = committed;
      assert.ok(last > first, `the writer did not write during the backup (${first} → ${last})`);
      const target = await backend.fresh();
      const restored = await restoreStore(target, file);
      assert.equal(restored.audit.ok, true, JSON.stringify(restored.audit));
      assert.ok(restored.audit.entries >= first && restored.audit.entries <= last, `${restored.audit.entries} entries, outside ${first}–${last}`);
      assert.deepEqual(restored.audit.head?.seq, restored.audit.entries);
    } finally {
      writer.stdin.end();
      await exited;
    }
    assert.equal((await verifyAudit(store.db)).ok, true);
  });
});

/** Restores `file` into a fresh store of `backend`. */
async function restoreInto(backend: { fresh(): Promise<Store> }, file: string) {
  const store = await backend.fresh();
  return { store, report: await restoreStore(store, file) };
}
