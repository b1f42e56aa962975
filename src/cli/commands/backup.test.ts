import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store/connection.js';
import { addUser } from '../../features/auth/accounts.service.js';
import { importPersons } from '../../features/import/persons.import.js';
import { runCli } from '../../test-support/cli.js';
import { tempFile } from '../../test-support/files.js';
import { describeBothBackends } from '../../test-support/stores.js';
import { TABLES } from '../../features/backup/backup-format.js';

const PEOPLE = 'external_id,name_latin\nb1,Zmitser Dashkevich\nb2,Maryia Kalesnikava\n';
const KEY = 'correct horse battery staple';
const dir = mkdtempSync(join(tmpdir(), 'vigil-backup-cli-'));
let files = 0;
const backupFile = () => join(dir, `${++files}.vigil-backup`);

/** Exactly one line, and never the key. */
function oneLine(text: string): string {
  assert.match(text, /^[^\n]+\n$/);
  assert.ok(!text.includes(KEY));
  return text;
}

describeBothBackends('vigil backup / restore', (backend) => {
  it('backs up, restores into an empty database, refuses a non-empty one; with a key from --key-from-env, encrypted', async () => {
    const store = await backend.fresh();
    const source = backend.lastLocation.database;
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    await addUser(store, 'editor@example.org', 'editor', 'test');

    const plain = backupFile();
    const backup = await runCli(['backup', plain], { database: source });
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(oneLine(backup.stdout), new RegExp(`^backup written to ${plain}: \\d+ rows in ${TABLES.length} tables, NOT encrypted \\(set VIGIL_DATABASE_KEY to encrypt\\)\\n$`));

    await backend.fresh();
    const target = backend.lastLocation.database;
    const restore = await runCli(['restore', plain], { database: target });
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(oneLine(restore.stdout), new RegExp(`^restored \\d+ rows in ${TABLES.length} tables from ${plain} \\(a ${backend.dialect} backup of \\S+\\); audit trail intact: 2 entries\\n$`));
    assert.deepEqual(await runCli(['audit', 'verify'], { database: target }), { code: 0, stdout: 'audit trail intact: 2 entries\n', stderr: '' });

    const again = await runCli(['restore', plain], { database: target });
    assert.equal(again.code, 1);
    assert.match(oneLine(again.stderr), /^vigil: cannot restore into .+: it is not empty \(.*2 person.*\); restore only into a new, empty database\n$/);

    const env = { VIGIL_BACKUP_KEY: KEY };
    const sealed = backupFile();
    const sealedRun = await runCli(['backup', sealed, '--key-from-env', 'VIGIL_BACKUP_KEY', '--json'], { database: source, env });
    assert.equal(sealedRun.code, 0, sealedRun.stderr);
    assert.deepEqual([JSON.parse(sealedRun.stdout).encrypted, sealedRun.stdout.includes(KEY)], [true, false]);
    assert.ok(!readFileSync(sealed).includes('Dashkevich'));

    await backend.fresh();
    const empty = backend.lastLocation.database;
    const noKey = await runCli(['restore', sealed], { database: empty, env: { VIGIL_DATABASE_KEY: '' } });
    assert.equal(noKey.code, 1);
    assert.match(oneLine(noKey.stderr), /^vigil: .+ is an encrypted backup and no key was given: set VIGIL_DATABASE_KEY \(or use --key-from-env NAME\)/);
    const unset = await runCli(['restore', sealed, '--key-from-env', 'VIGIL_NO_SUCH_VARIABLE'], { database: empty });
    assert.deepEqual([unset.code, unset.stderr], [1, 'vigil: --key-from-env VIGIL_NO_SUCH_VARIABLE: that environment variable is not set or empty\n']);
    const wrong = await runCli(['restore', sealed, '--key-from-env', 'VIGIL_BACKUP_KEY'], { database: empty, env: { VIGIL_BACKUP_KEY: 'not the key' } });
    assert.deepEqual([wrong.code, wrong.stderr], [1, `vigil: cannot decrypt ${sealed}: the key is wrong (it must be the key the backup was made with)\n`]);
    const right = await runCli(['restore', sealed, '--key-from-env', 'VIGIL_BACKUP_KEY'], { database: empty, env });
    assert.equal(right.code, 0, right.stderr);
    // The trail now also holds the first backup's own entry.
    assert.match(oneLine(right.stdout), /; audit trail intact: 3 entries\n$/);

    const missing = await runCli(['restore', join(dir, 'no-such-file')], { database: empty });
    assert.deepEqual([missing.code, missing.stderr], [1, `vigil: cannot read ${join(dir, 'no-such-file')}: there is no such file\n`]);
  });
});

describe('vigil backup of an encrypted SQLite store', () => {
  it('encrypts the backup with VIGIL_DATABASE_KEY and restores it into another store with that key', async () => {
    const source = join(dir, 'secret.sqlite');
    const store = await openStore(source, { key: KEY });
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    await store.close();
    const env = { VIGIL_DATABASE_KEY: KEY };
    const file = backupFile();
    const backup = await runCli(['backup', file], { database: source, env });
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(oneLine(backup.stdout), /, encrypted\n$/);
    const restore = await runCli(['restore', file], { database: join(dir, 'copy.sqlite'), env });
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(oneLine(restore.stdout), /audit trail intact: 1 entries\n$/);
  });
});
