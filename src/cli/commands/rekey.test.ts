import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test-support/cli.js';
import { tempFile } from '../../test-support/files.js';
import { openStore } from '../../store/connection.js';
import { verifyAudit, auditEntries } from '../../features/audit/audit.service.js';
import { TEST_POSTGRES } from '../../test-support/stores.js';

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
    const postgres = await runCli(['rekey'], { database: TEST_POSTGRES, env: { VIGIL_NEW_DATABASE_KEY: 'k' } });
    assert.match(postgres.stderr, /rekey is for the SQLite store/);
  });
});
