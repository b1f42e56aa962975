/**
 * An import killed with SIGKILL half-way through a large file (the power cut, the OOM killer, the
 * operator's kill -9): the store must come back exactly as it was — no event of the file, no
 * import_batch row, the same counts — verify its audit trail, answer `vigil stats`, and take the same
 * import again from the start. Run against SQLite, PostgreSQL and an encrypted SQLite store.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { runCli } from '../../test-support/cli.js';
import { tempFile } from '../../test-support/files.js';
import { CAN_WATCH_READS, readOffset, sleep, startVigil, waitUntil, type Exit, type Location } from '../../test-support/processes.js';
import { describeAllStores, isPlainSqlite, reopen, statusMismatches, tableCounts } from '../../test-support/store-state.js';
import type { TestBackend } from '../../test-support/stores.js';
import type { Store } from '../../store/connection.js';
import { importEvents } from './events.import.js';
import { importPersons } from './persons.import.js';
import { statsOn } from '../stats/stats.service.js';
import { verifyAudit } from '../audit/audit.service.js';

const actor = 'test:crash';
const month = (i: number) => String(1 + (i % 12)).padStart(2, '0');

function peopleCsv(people: number): string {
  const rows = ['external_id,name_latin,publish'];
  for (let i = 1; i <= people; i++) rows.push(`k${i},Person Number${i},no`);
  return `${rows.join('\n')}\n`;
}

/**
 * Everyone is detained and recognised in 2021 and sentenced in 2022; every second person is released
 * in 2023. So on 2021-12-31 all are held political prisoners, and on 2024-01-01 half are still held
 * and half are released political prisoners — counts known without asking the code under test.
 */
function eventsCsv(people: number): { text: string; rows: number } {
  const rows = ['person_external_id,type,date,facility,term_months,reason,organization'];
  for (let i = 1; i <= people; i++) {
    rows.push(`k${i},detained,2021-${month(i)}-03,Colony No. ${i % 20},,,`);
    rows.push(`k${i},recognized,2021-${month(i)}-10,,,,Viasna`);
    rows.push(`k${i},sentenced,2022-${month(i)}-05,,${12 + (i % 60)},,`);
    if (i % 2 === 0) rows.push(`k${i},released,2023-${month(i)}-07,,,pardon,`);
  }
  return { text: `${rows.join('\n')}\n`, rows: rows.length - 1 };
}

const zero = { in_custody: 0, political_prisoners: 0, released_political_prisoners: 0, died_in_custody: 0 };

async function stats(location: Location, day: string): Promise<Record<string, unknown>> {
  const result = await runCli(['stats', '--on', day, '--json'], location);
  assert.equal(result.code, 0, `vigil stats: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function auditVerifies(location: Location): Promise<number> {
  const result = await runCli(['audit', 'verify', '--json'], location);
  assert.equal(result.code, 0, `vigil audit verify: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout).entries as number;
}

/**
 * Starts `vigil import events FILE` and kills it once it has read `fraction` of the file. Reading and
 * writing go in step (a chunk of 1,000 rows is written before more is parsed), and the streams buffer
 * about 150 KB between them, so at 60% of a 500 KB file thousands of rows have been written inside
 * the import's transaction. Returns how the process ended (a finished import means the kill came late).
 */
async function importKilledMidway(location: Location, file: string, fraction: number): Promise<{ exit: Exit; offset: number | null; stderr: string }> {
  const size = statSync(file).size;
  const child = startVigil(['import', 'events', file], location);
  let offset: number | null = null;
  if (CAN_WATCH_READS) {
    await waitUntil(() => child.done() || ((offset = readOffset(child.pid, file)) ?? 0) >= size * fraction, 60_000, 2);
  } else {
    await sleep(2500); // no /proc: a fixed delay, long enough for start-up, short of a whole import
  }
  const exit = await child.killHard();
  return { exit, offset, stderr: child.output().stderr };
}

async function seed(store: Store, people: number): Promise<void> {
  await importPersons(store, tempFile('people.csv', peopleCsv(people)), { actor });
  // Something already there, so "unchanged" means more than "empty".
  const earlier = ['person_external_id,type,date,articles', ...Array.from({ length: 10 }, (_, i) => `k${i + 1},charged,2020-12-01,342`)];
  await importEvents(store, tempFile('earlier.csv', `${earlier.join('\n')}\n`), { actor });
}

async function crashAndRecover(backend: TestBackend): Promise<void> {
  // Twice as many people each time the import finished before the kill (a very fast machine).
  for (let people = 4000, attempt = 1; attempt <= 3; attempt++, people *= 2) {
    const store = await backend.fresh();
    const location = { database: backend.lastLocation.database, env: { ...backend.lastLocation.env } };
    await seed(store, people);
    const before = await tableCounts(store);
    const audit = await verifyAudit(store.db);
    assert.equal(audit.ok, true);
    if (location.env.VIGIL_DATABASE_KEY) assert.equal(isPlainSqlite(location.database), false, 'the store file is encrypted');
    // Nobody else holds the store: what the next process finds is what the killed one left on disk.
    await store.close();

    const { text, rows } = eventsCsv(people);
    const file = tempFile('events-large.csv', text);
    const killed = await importKilledMidway(location, file, 0.6);
    if (killed.exit.signal === null) {
      assert.equal(killed.exit.code, 0, `the import failed on its own: ${killed.stderr}`);
      continue; // it finished before the kill: try again with a larger file
    }
    assert.equal(killed.exit.signal, 'SIGKILL');
    if (CAN_WATCH_READS) assert.ok(killed.offset !== null && killed.offset < statSync(file).size, 'killed while still reading the file');

    const reopened = await reopen(location);
    try {
      if (backend.dialect === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(reopened.db);
        assert.deepEqual(check.rows.map((row) => row.integrity_check), ['ok']);
      }
      assert.deepEqual(await tableCounts(reopened), before, 'all or nothing: not one row of the killed import remains');
      const batches = await reopened.db.selectFrom('import_batch').select('file_name').execute();
      assert.deepEqual(batches.map((b) => b.file_name), ['people.csv', 'earlier.csv']);
    } finally {
      await reopened.close();
    }
    // The commands an operator would run next, as separate processes.
    assert.equal(await auditVerifies(location), audit.entries);
    assert.deepEqual(await stats(location, '2024-01-01'), { date: '2024-01-01', ...zero });
    const again = await runCli(['import', 'events', file, '--json'], location);
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout);
    assert.deepEqual([report.rows, report.created, report.unchanged, report.facilities_created], [rows, rows, 0, 20]);

    const done = await reopen(location);
    try {
      const held = people / 2;
      assert.deepEqual(await statsOn(done, '2021-12-31'), { date: '2021-12-31', ...zero, in_custody: people, political_prisoners: people });
      assert.deepEqual(await statsOn(done, '2024-01-01'), { date: '2024-01-01', ...zero, in_custody: held, political_prisoners: held, released_political_prisoners: held });
      const verified = await verifyAudit(done.db);
      assert.deepEqual([verified.ok, verified.entries], [true, audit.entries + 1], 'one audit entry more: the completed import');
      const after = await tableCounts(done);
      assert.equal(after.event, before.event + rows);
      assert.equal(after.import_batch, before.import_batch + 1);
      assert.deepEqual(await statusMismatches(done), []);
    } finally {
      await done.close();
    }
    return;
  }
  assert.fail('the import finished before it could be killed, three times over');
}

describeAllStores('import killed with SIGKILL mid-file', (backend) => {
  it('leaves the store as it was; audit, stats and a repeated import then work', { timeout: 180_000 }, () => crashAndRecover(backend));
});
