/**
 * Backups carry the stored files: an encrypted backup restores them byte for byte (still sealed under
 * the store's key), and a restore into a store with another key is refused before anything is kept.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { OPERATOR } from '../../domain/policy.js';
import { describeBothBackends, postgresBackend } from '../../test-support/stores.js';
import { openStore } from '../../store/connection.js';
import { keyedStores } from '../../test-support/keyed-stores.js';
import { backupStore, restoreStore } from '../backup/backup.service.js';
import { readSourceFile, storeSourceFile } from '../sources/source-file.service.js';
import * as sample from './file-samples.fixture.js';

const KEY = 'backup test key, fictional';
const context = { actor: 'test:backup', reason: 'fictional test file', viewer: OPERATOR };

describeBothBackends('stored files in backups', (backend) => {
  const keyed = keyedStores(backend);

  it('an encrypted backup restores every stored file byte-identical and readable under the same key', async () => {
    const { store } = await keyed(KEY);
    const files = [sample.png('fictional photo'), sample.pdf('fictional verdict'), sample.text('Fictional note.\n'.repeat(5000))];
    const ids: number[] = [];
    for (const content of files) ids.push((await storeSourceFile(store, { content, title: 'fictional' }, context)).source.id);
    // The same bytes once more: one more source, no second copy.
    ids.push((await storeSourceFile(store, { content: files[0]!, title: 'again' }, context)).source.id);
    const before = await store.db.selectFrom('stored_file').selectAll().orderBy('sha256').execute();
    assert.equal(before.length, 3);

    const file = join(mkdtempSync(join(tmpdir(), 'vigil-backup-files-')), 'backup.vigil');
    const report = await backupStore(store, file, { actor: 'test', passphrase: KEY });
    assert.equal(report.tables.find((table) => table.name === 'stored_file')?.rows, 3);
    assert.ok(!readFileSync(file).includes(Buffer.from('Fictional note.')), 'the backup file is encrypted');

    const { store: target } = await keyed(KEY);
    const restored = await restoreStore(target, file, { passphrase: KEY });
    assert.equal(restored.audit.ok, true);
    const after = await target.db.selectFrom('stored_file').selectAll().orderBy('sha256').execute();
    assert.deepEqual(after, before, 'every column, the sealed content included, comes back as it was');
    for (const [i, id] of ids.entries()) {
      const download = await readSourceFile(target, OPERATOR, id, { actor: 'test' });
      const expected = files[i % 3]!;
      assert.deepEqual(download.content, expected);
      assert.equal(download.source.sha256, createHash('sha256').update(expected).digest('hex'));
    }
  });

  it('an unencrypted backup holds the file as base64 and restores it', async () => {
    const store = await backend.fresh();
    const content = sample.png('fictional plain');
    const { source } = await storeSourceFile(store, { content }, context);
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-backup-files-')), 'backup.vigil.gz');
    await backupStore(store, file, { actor: 'test' });
    const line = gunzipSync(readFileSync(file)).toString('utf8').split('\n').find((text) => text.includes('"content":'))!;
    assert.equal(JSON.parse(line).content, content.toString('base64'));
    const target = await backend.fresh();
    await restoreStore(target, file);
    assert.deepEqual((await readSourceFile(target, OPERATOR, source.id, { actor: 'test' })).content, content);
  });

  it('refuses to restore files sealed under a key the target store does not have, and restores nothing', async () => {
    const { store } = await keyed(KEY);
    await storeSourceFile(store, { content: sample.pdf('fictional sealed') }, context);
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-backup-files-')), 'backup.vigil');
    await backupStore(store, file, { actor: 'test', passphrase: KEY });

    const { store: other } = await keyed('a different store key');
    await assert.rejects(restoreStore(other, file, { passphrase: KEY }), { message: /1 stored file\(s\) are sealed under another key than this store; set VIGIL_DATABASE_KEY .*nothing was restored/ });
    const left = await other.db.selectFrom('source').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(left.n), 0);
  });
});

describe('stored files in backups, across dialects', () => {
  const postgres = keyedStores(postgresBackend());

  it('a SQLite backup restores its sealed files into PostgreSQL (blob to bytea), readable under the same key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-backup-files-'));
    const sqlite = await openStore(join(dir, 'source.sqlite'), { key: KEY });
    after(() => sqlite.close());
    const content = sample.pdf('fictional cross-dialect verdict');
    const { source } = await storeSourceFile(sqlite, { content }, context);
    const file = join(dir, 'backup.vigil');
    await backupStore(sqlite, file, { actor: 'test', passphrase: KEY });
    const { store: target } = await postgres(KEY);
    await restoreStore(target, file, { passphrase: KEY });
    assert.deepEqual((await readSourceFile(target, OPERATOR, source.id, { actor: 'test' })).content, content);
  });
});
