import { it } from 'node:test';
import assert from 'node:assert/strict';
import { appendAudit } from '../../features/audit/audit.service.js';
import { runCli } from '../../test-support/cli.js';
import { describeBothBackends } from '../../test-support/stores.js';

describeBothBackends('vigil audit', (backend) => {
  it('verify exits 0 on an intact trail and 1 naming the first broken entry on a tampered one; list shows the newest first', async () => {
    const store = await backend.fresh();
    const database = backend.lastLocation.database;
    const empty = await runCli(['audit', 'verify'], { database });
    assert.deepEqual(empty, { code: 0, stdout: 'audit trail intact: 0 entries\n', stderr: '' });

    for (const action of ['sign_in', 'update', 'export']) {
      await store.db.transaction().execute((trx) => appendAudit(trx, { actor: 'editor@example.org', action, entity: 'person', entityId: 3, detail: { note: action } }));
    }
    const intact = await runCli(['audit', 'verify'], { database });
    assert.deepEqual(intact, { code: 0, stdout: 'audit trail intact: 3 entries\n', stderr: '' });
    const intactJson = JSON.parse((await runCli(['audit', 'verify', '--json'], { database })).stdout);
    assert.deepEqual([intactJson.ok, intactJson.entries, intactJson.first_broken, intactJson.head.seq], [true, 3, null, 3]);

    const list = await runCli(['audit', 'list', '--limit', '2', '--json'], { database });
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout).map((e: { seq: number; action: string }) => [e.seq, e.action]), [[3, 'export'], [2, 'update']]);
    assert.match((await runCli(['audit', 'list'], { database })).stdout, /^3  \S+  editor@example\.org  export person 3  \{"note":"export"\}\n2 /);
    assert.match((await runCli(['audit', 'list', '--limit', 'ten'], { database })).stderr, /^vigil: --limit: "ten" is not a whole number/);

    await store.db.updateTable('audit_log').set({ detail: '{"note":"nothing to see"}' }).where('seq', '=', 2).execute();
    const broken = await runCli(['audit', 'verify'], { database });
    assert.deepEqual(broken, { code: 1, stdout: '', stderr: 'vigil: audit trail broken at entry 2: its content was changed after it was written\n' });
    const brokenJson = await runCli(['audit', 'verify', '--json'], { database });
    assert.equal(brokenJson.code, 1);
    const parsed = JSON.parse(brokenJson.stdout);
    assert.deepEqual([parsed.ok, parsed.entries, parsed.first_broken], [false, 1, { seq: 2, problem: 'its content was changed after it was written' }]);
    assert.equal(brokenJson.stderr, 'vigil: audit trail broken at entry 2: its content was changed after it was written\n');
  });
});
