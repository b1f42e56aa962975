import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test-support/cli.js';
import { tempFile } from '../../test-support/files.js';
import { describeBothBackends } from '../../test-support/stores.js';
import { auditEntries } from '../../features/audit/audit.service.js';
import { html, png } from '../../features/files/file-samples.fixture.js';

describeBothBackends('vigil source add / get', (backend) => {
  it('stores a file, prints its SHA-256 and detected type, and writes the same bytes back out', async () => {
    const store = await backend.fresh();
    const { database, env } = backend.lastLocation;
    const image = png('fictional cli photo');
    const path = tempFile('named-like-a.pdf', image);
    const added = await runCli(['source', 'add', path, '--title', 'Photo (fictional)', '--confidentiality', 'restricted', '--json'], { database, env });
    assert.equal(added.code, 0, added.stderr);
    const result = JSON.parse(added.stdout);
    assert.equal(result.sha256, createHash('sha256').update(image).digest('hex'));
    assert.equal(result.media_type, 'image/png');
    assert.equal(result.size_bytes, image.length);
    assert.equal(result.already_held, false);

    const again = await runCli(['source', 'add', path], { database, env });
    assert.match(again.stdout, new RegExp(`these bytes were already held \\(also cited by source ${result.id}\\)`));

    const out = join(mkdtempSync(join(tmpdir(), 'vigil-source-')), 'copy.png');
    const got = await runCli(['source', 'get', String(result.id), '--out', out], { database, env });
    assert.equal(got.code, 0, got.stderr);
    assert.deepEqual(readFileSync(out), image);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const twice = await runCli(['source', 'get', String(result.id), '--out', out], { database, env });
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /already exists; choose a new path/);
    const reads = await auditEntries(store.db, { limit: 5, action: 'read_restricted' });
    assert.equal(reads[0]?.entity_id, String(result.id));
  });

  it('refuses a file of a refused type with a one-line reason, and stores nothing', async () => {
    const store = await backend.fresh();
    const { database, env } = backend.lastLocation;
    const refused = await runCli(['source', 'add', tempFile('page.txt', html()), '--json'], { database, env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^vigil: the file is an HTML page \(text\/html.*\n$/);
    assert.equal(JSON.parse(refused.stdout).error.id, 'file_type_refused');
    const sources = await store.db.selectFrom('source').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(sources.n), 0);
  });
});
