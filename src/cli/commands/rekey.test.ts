import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test-support/cli.js';
import { tempFile } from '../../test-support/files.js';
import { openStore } from '../../store/connection.js';
import { verifyAudit, auditEntries } from '../../features/audit/audit.service.js';
import { postgresBackend } from '../../test-support/stores.js';
import { deriveFileKey } from '../../store/file-key.js';
import { resealFiles } from '../../features/files/file-store.service.js';
import { png, pdf } from '../../features/files/file-samples.fixture.js';

const people = tempFile('p.csv', 'external_id,name_latin\nk1,Zmitser Dashkevich\n');

describe('vigil rekey', () => {
  it('changes the key of an encrypted store: the old key stops working, the new one opens the same data', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'vigil-rekey-')), 'store.sqlite');
    const old = { VIGIL_DATABASE_KEY: 'old secret words' };
    assert.equal((await runCli(['import', 'persons', people], { database, env: old })).code, 0);
    const result = await runCli(['rekey'], { database, env: { ...old, VIGIL_NEW_DATABASE_KEY: 'new secret words' } });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /secret words/, 'keys are never printed');
    await assert.rejects(openStore(database, { key: 'old secret words' }), /the key is wrong/);
    const store = await openStore(database, { key: 'new secret words' });
    assert.equal((await store.db.selectFrom('person').select('external_id').executeTakeFirstOrThrow()).external_id, 'k1');
    assert.equal((await verifyAudit(store.db)).ok, true);
    assert.equal((await auditEntries(store.db, { limit: 10, action: 'rekey' })).length, 1);
    await store.close();
  });

  it('encrypts a plaintext store, leaving no name readable in its files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rekey-'));
    const database = join(dir, 'store.sqlite');
    await runCli(['import', 'persons', people], { database });
    assert.equal((await runCli(['rekey'], { database, env: { VIGIL_NEW_DATABASE_KEY: 'fresh key' } })).code, 0);
    for (const file of readdirSync(dir)) assert.doesNotMatch(readFileSync(join(dir, file)).toString('latin1'), /Dashkevich/, file);
    await assert.rejects(openStore(database), /encrypted and no key was given/);
  });

  it('refuses while another process has the store open, and explains missing keys', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'vigil-rekey-')), 'store.sqlite');
    await runCli(['import', 'persons', people], { database });
    const open = await openStore(database);
    await open.db.selectFrom('person').selectAll().execute();
    const busy = await runCli(['rekey'], { database, env: { VIGIL_NEW_DATABASE_KEY: 'k' } });
    await open.close();
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /^vigil: cannot change the key of .* while another process uses it \(stop vigil serve first\)\n$/);
    const missing = await runCli(['rekey'], { database });
    assert.match(missing.stderr, /set VIGIL_NEW_DATABASE_KEY/);
  });
});

/** Stores a file through the CLI and returns its source id. */
async function addFile(database: string, content: Buffer, env: Record<string, string> = {}): Promise<number> {
  const added = await runCli(['source', 'add', tempFile('evidence.bin', content), '--json'], { database, env });
  assert.equal(added.code, 0, added.stderr);
  const result = JSON.parse(added.stdout);
  assert.equal(result.sha256, createHash('sha256').update(content).digest('hex'));
  return result.id;
}

/** The file of a source as `vigil source get` writes it, or the one-line error. */
async function getFile(database: string, id: number, env: Record<string, string>): Promise<Buffer | string> {
  const out = join(mkdtempSync(join(tmpdir(), 'vigil-get-')), 'out.bin');
  const got = await runCli(['source', 'get', String(id), '--out', out], { database, env });
  return got.code === 0 ? readFileSync(out) : got.stderr;
}

describe('vigil rekey and stored files', () => {
  it('re-seals the stored files with the key change: readable under the new key only', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'vigil-rekey-')), 'store.sqlite');
    const old = { VIGIL_DATABASE_KEY: 'old secret words' };
    const content = png('fictional rekey photo');
    const id = await addFile(database, content, old);
    const result = await runCli(['rekey'], { database, env: { ...old, VIGIL_NEW_DATABASE_KEY: 'new secret words' } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /1 stored file\(s\) re-sealed/);
    assert.deepEqual(await getFile(database, id, { VIGIL_DATABASE_KEY: 'new secret words' }), content);
    assert.match(String(await getFile(database, id, old)), /the key is wrong/);
    const store = await openStore(database, { key: 'new secret words' });
    const row = await store.db.selectFrom('stored_file').select(['encryption', 'key_id']).executeTakeFirstOrThrow();
    assert.deepEqual(row, { encryption: 'aes-256-gcm', key_id: (await deriveFileKey('new secret words')).id });
    await store.close();
  });

  it('seals the files of a plaintext store when it is first encrypted', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'vigil-rekey-')), 'store.sqlite');
    const content = pdf('fictional plaintext verdict');
    const id = await addFile(database, content);
    assert.equal((await runCli(['rekey'], { database, env: { VIGIL_NEW_DATABASE_KEY: 'first key' } })).code, 0);
    const store = await openStore(database, { key: 'first key' });
    assert.equal((await store.db.selectFrom('stored_file').select('encryption').executeTakeFirstOrThrow()).encryption, 'aes-256-gcm');
    await store.close();
    assert.deepEqual(await getFile(database, id, { VIGIL_DATABASE_KEY: 'first key' }), content);
  });

  it('finishes a rekey cut short after the files were re-sealed: run again with the same keys', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'vigil-rekey-')), 'store.sqlite');
    const content = png('fictional interrupted');
    const id = await addFile(database, content, { VIGIL_DATABASE_KEY: 'key A' });
    // The state a crash between the two steps leaves: files under the new key, the database under the old.
    const store = await openStore(database, { key: 'key A' });
    assert.equal(await resealFiles(store.db, await deriveFileKey('key A'), await deriveFileKey('key B')), 1);
    await store.close();
    assert.match(String(await getFile(database, id, { VIGIL_DATABASE_KEY: 'key A' })), /sealed under another key .*run it again with the same keys/);
    const again = await runCli(['rekey'], { database, env: { VIGIL_DATABASE_KEY: 'key A', VIGIL_NEW_DATABASE_KEY: 'key B' } });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await getFile(database, id, { VIGIL_DATABASE_KEY: 'key B' }), content);
  });

  it('changes nothing when a stored file is sealed under a key it was not given', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'vigil-rekey-')), 'store.sqlite');
    await addFile(database, png('fictional foreign key'), { VIGIL_DATABASE_KEY: 'key A' });
    const store = await openStore(database, { key: 'key A' });
    await resealFiles(store.db, await deriveFileKey('key A'), await deriveFileKey('key C'));
    await store.close();
    const refused = await runCli(['rekey'], { database, env: { VIGIL_DATABASE_KEY: 'key A', VIGIL_NEW_DATABASE_KEY: 'key B' } });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^vigil: stored file .* was sealed under another key/);
    const after = await openStore(database, { key: 'key A' });
    assert.equal((await after.db.selectFrom('stored_file').select('key_id').executeTakeFirstOrThrow()).key_id, (await deriveFileKey('key C')).id);
    await after.close();
  });

  describe('on PostgreSQL (the server encrypts the database; Vigil seals the files)', () => {
    const backend = postgresBackend();
    it('re-seals the stored files in one transaction under the new key', async () => {
      await backend.fresh();
      const database = backend.lastLocation.database;
      const content = pdf('fictional postgres evidence');
      const id = await addFile(database, content, { VIGIL_DATABASE_KEY: 'pg key one' });
      const result = await runCli(['rekey'], { database, env: { VIGIL_DATABASE_KEY: 'pg key one', VIGIL_NEW_DATABASE_KEY: 'pg key two' } });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /the 1 stored file\(s\) of PostgreSQL .* were re-sealed under the new key/);
      assert.doesNotMatch(result.stdout + result.stderr, /pg key/, 'keys are never printed');
      assert.deepEqual(await getFile(database, id, { VIGIL_DATABASE_KEY: 'pg key two' }), content);
      assert.match(String(await getFile(database, id, { VIGIL_DATABASE_KEY: 'pg key one' })), /sealed under another key/);
      assert.match(String(await getFile(database, id, {})), /is encrypted and no key is set/);
    });
  });
});
