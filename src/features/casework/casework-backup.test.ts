/** A backup carries every casework, letters and accountability table, and restores them row for row. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { describeBothBackends } from '../../test-support/stores.js';
import type { Store } from '../../store/connection.js';
import { backupStore, restoreStore } from '../backup/backup.service.js';
import { TABLES } from '../backup/backup-format.js';
import { seedCasework } from './casework.fixture.js';

const CASEWORK_TABLES = ['assistance_case', 'assistance_aid', 'follow_up', 'letter', 'official', 'official_link', 'violation', 'violation_official', 'health_flag'] as const;
const dir = mkdtempSync(join(tmpdir(), 'vigil-casework-backup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function rows(store: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of [...CASEWORK_TABLES, 'source_link'] as const) {
    out[table] = (await store.db.selectFrom(table).selectAll().execute()).map((row) => JSON.stringify(row)).sort();
  }
  return out;
}

describeBothBackends('casework in backups', (backend) => {
  it('backs up and restores every casework table', async () => {
    const source = await backend.fresh();
    await seedCasework(source);
    const before = await rows(source);
    for (const table of CASEWORK_TABLES) {
      assert.ok(before[table]!.length > 0, `the fixture fills ${table}`);
      assert.ok(TABLES.some((spec) => spec.name === table), `${table} is in the backup format`);
    }
    const file = join(dir, `${backend.dialect}.vigil-backup`);
    await backupStore(source, file, { actor: 'test:backup' });
    const target = await backend.fresh();
    const restored = await restoreStore(target, file);
    assert.equal(restored.audit.ok, true);
    assert.deepEqual(await rows(target), before);
  });
});
