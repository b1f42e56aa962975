import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeBothBackends } from '../test-support/stores.js';
import { NAMES_DEV, tempFile } from '../test-support/files.js';
import { runCli } from '../test-support/cli.js';

const expectedStats = JSON.parse(readFileSync(join(NAMES_DEV, 'expected-stats.json'), 'utf8')) as { date: string }[];

describeBothBackends('vigil command', (backend) => {
  it('imports names-dev, prints the expected stats as JSON, and a repeated import changes nothing', async () => {
    const store = await backend.fresh();
    const database = backend.lastLocation.database;
    const persons = await runCli(['import', 'persons', join(NAMES_DEV, 'persons.csv'), '--json'], { database });
    assert.equal(persons.code, 0, persons.stderr);
    assert.equal(JSON.parse(persons.stdout).created, 1500);
    const events = await runCli(['import', 'events', join(NAMES_DEV, 'events.csv')], { database });
    assert.equal(events.code, 0, events.stderr);
    assert.match(events.stdout, /4826 rows, 4826 created/);
    assert.equal(events.stderr, '', 'no progress bar when stderr is not a terminal');

    for (const expected of expectedStats) {
      const stats = await runCli(['stats', '--on', expected.date, '--json'], { database });
      assert.equal(stats.code, 0, stats.stderr);
      assert.deepEqual(JSON.parse(stats.stdout), expected, `stats on ${expected.date}`);
    }
    const again = await runCli(['import', 'events', join(NAMES_DEV, 'events.csv'), '--json'], { database });
    assert.deepEqual(
      (({ created, updated, unchanged }) => ({ created, updated, unchanged }))(JSON.parse(again.stdout)),
      { created: 0, updated: 0, unchanged: 4826 },
    );
    await store.close();
  });

  it('fails with a one-line reason and a non-zero exit, and --json gives the error as JSON', async () => {
    const store = await backend.fresh();
    const database = backend.lastLocation.database;
    const bad = tempFile('bad.csv', 'external_id,family_name_be,birth_date\nq1,Іваноў,1990-13\n');
    const result = await runCli(['import', 'persons', bad], { database });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^vigil: bad\.csv was not imported, nothing was changed: line 2, column birth_date \("1990-13"\): .*month 13/);
    const json = await runCli(['import', 'persons', bad, '--json'], { database });
    assert.equal(JSON.parse(json.stdout).error.id, 'import_rejected');
    const missing = await runCli(['import', 'persons', '/nonexistent/people.csv'], { database });
    assert.match(missing.stderr, /^vigil: cannot read \/nonexistent\/people\.csv: no such file\n$/);
    const badDate = await runCli(['stats', '--on', '31.12.2024', '--json'], { database });
    assert.equal(badDate.code, 1);
    assert.doesNotMatch(badDate.stderr, /\n\s+at /, 'no stack trace');
    await store.close();
  });

  it('exports what it imported in the same format, and the export imports back unchanged', async () => {
    const store = await backend.fresh();
    const database = backend.lastLocation.database;
    await runCli(['import', 'persons', join(NAMES_DEV, 'persons.csv')], { database });
    await runCli(['import', 'events', join(NAMES_DEV, 'events.csv')], { database });
    const persons = await runCli(['export', 'persons'], { database });
    const events = await runCli(['export', 'events'], { database });
    assert.equal(persons.code, 0, persons.stderr);
    assert.equal(persons.stdout.trim().split('\n').length, 1501);
    assert.equal(events.stdout.trim().split('\n').length, 4827);
    const reimport = await runCli(['import', 'persons', tempFile('persons.csv', persons.stdout), '--json'], { database });
    assert.equal(JSON.parse(reimport.stdout).unchanged, 1500, reimport.stderr);
    const reimportEvents = await runCli(['import', 'events', tempFile('events.csv', events.stdout), '--json'], { database });
    assert.equal(JSON.parse(reimportEvents.stdout).unchanged, 4826, reimportEvents.stderr);
    const publicPersons = await runCli(['export', 'persons', '--public', '--format', 'json'], { database });
    assert.deepEqual(JSON.parse(publicPersons.stdout), [], 'names-dev has no publish column, so nobody is public');
    await store.close();
  });
});

it('every command has --help', async () => {
  for (const command of ['serve', 'import', 'stats', 'search', 'export', 'person', 'duplicates', 'deals', 'demo', 'audit', 'user', 'token', 'rekey', 'backup', 'restore']) {
    const result = await runCli([command, '--help']);
    assert.equal(result.code, 0, `${command} --help`);
    assert.match(result.stdout, /Usage: vigil/);
  }
});

describeBothBackends('vigil person show', (backend) => {
  it('records in the audit trail that the operator read restricted values', async () => {
    const store = await backend.fresh();
    const database = backend.lastLocation.database;
    await runCli(['import', 'persons', tempFile('p.csv', 'external_id,name_latin\nr1,Ales Bialiatski\nr2,Ihar Losik\n')], { database });
    await store.db.updateTable('person').set({ field_levels: JSON.stringify({ region: 'restricted' }) }).where('external_id', '=', 'r1').execute();
    assert.equal((await runCli(['person', 'show', 'r2'], { database })).code, 0);
    assert.equal((await runCli(['person', 'show', 'r1'], { database })).code, 0);
    const list = JSON.parse((await runCli(['audit', 'list', '--action', 'read_restricted', '--json'], { database })).stdout) as { actor: string; detail: { fields: string[] } }[];
    assert.equal(list.length, 1, 'only the record with a restricted value');
    assert.equal(list[0]!.actor, 'test:cli');
    assert.deepEqual(list[0]!.detail.fields, ['region']);
    await store.close();
  });
});
