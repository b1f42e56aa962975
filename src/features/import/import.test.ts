import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeBothBackends } from '../../test-support/stores.js';
import { NAMES_DEV, tempFile } from '../../test-support/files.js';
import type { Store } from '../../store/connection.js';
import { statsOn } from '../stats/stats.service.js';
import { personDossier, personHistory } from '../persons/person.service.js';
import { importPersons } from './persons.import.js';
import { importEvents } from './events.import.js';
import { importFacilities } from './facilities.import.js';
import type { VigilError } from '../../errors.js';
import { eventHistory } from '../../store/event.repository.js';

const actor = 'test:importer';
const expectedStats = JSON.parse(readFileSync(join(NAMES_DEV, 'expected-stats.json'), 'utf8')) as { date: string }[];

async function tableSizes(store: Store) {
  const count = async (table: 'person' | 'person_name' | 'event' | 'change_log' | 'status_interval' | 'facility' | 'source') =>
    Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    person: await count('person'), person_name: await count('person_name'), event: await count('event'),
    change_log: await count('change_log'), status_interval: await count('status_interval'),
    facility: await count('facility'), source: await count('source'),
  };
}

async function rejected(promise: Promise<unknown>): Promise<VigilError> {
  try {
    await promise;
  } catch (error) {
    return error as VigilError;
  }
  assert.fail('the import was accepted but should have been rejected');
}

const PEOPLE = [
  'external_id,family_name_be,given_name_be,family_name_ru,given_name_ru,name_latin,birth_date,gender,publish',
  'p1,Калеснікава,Марыя,Колесникова,Мария,Maryia Kalesnikava,1982-04-24,female,yes',
  'p2,Бабарыка,Віктар,Бабарико,Виктор,Viktar Babaryka,1963,male,no',
].join('\n');

describeBothBackends('CSV import', (backend) => {
  it('imports names-dev and reproduces every expected count; a second import changes nothing', async () => {
    const store = await backend.fresh();
    const persons = await importPersons(store, join(NAMES_DEV, 'persons.csv'), { actor });
    assert.equal(persons.created, 1500);
    const events = await importEvents(store, join(NAMES_DEV, 'events.csv'), { actor });
    assert.equal(events.created, 4826);
    for (const expected of expectedStats) assert.deepEqual(await statsOn(store, expected.date), expected);

    const before = await tableSizes(store);
    const again = await importEvents(store, join(NAMES_DEV, 'events.csv'), { actor });
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 4826]);
    const personsAgain = await importPersons(store, join(NAMES_DEV, 'persons.csv'), { actor });
    assert.deepEqual([personsAgain.created, personsAgain.updated, personsAgain.unchanged], [0, 0, 1500]);
    const after = await tableSizes(store);
    // Only the import log grows; no record, name, event, status or history entry is added.
    assert.deepEqual(after, before);
    for (const expected of expectedStats) assert.deepEqual(await statsOn(store, expected.date), expected);
  });

  it('rejects a file with a bad row, naming line, column and reason, and changes nothing', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor });
    const before = await tableSizes(store);
    const file = tempFile(
      'events.csv',
      ['person_external_id,type,date,facility', 'p1,detained,2020-08-09,SIZO-1 Minsk', 'p2,detained,2021-02-30,', 'p1,released,2021-03-01,'].join('\n'),
    );
    const error = await rejected(importEvents(store, file, { actor }));
    assert.equal(error.id, 'import_rejected');
    assert.match(error.message, /line 3, column date \("2021-02-30"\): .*day 30 does not exist in 2021-02/);
    assert.match(error.message, /nothing was changed/);
    assert.deepEqual(await tableSizes(store), before, 'the valid first row must not have been written');
  });

  it('collects several problems in one pass', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor });
    const file = tempFile(
      'events.csv',
      [
        'person_external_id,type,date,term_months,country',
        'p1,arrested,2021-01-01,,',
        'p1,sentenced,2021-02-01,five,',
        'p1,expelled,2025-06-21,,',
        'p1,expelled,2025-06-21,,XX',
        'nobody,detained,2021-01-01,,',
      ].join('\n'),
    );
    const error = await rejected(importEvents(store, file, { actor }));
    const problems = error.details as { line: number; column: string; message: string }[];
    assert.deepEqual(
      problems.map((p) => [p.line, p.column]),
      [[2, 'type'], [3, 'term_months'], [4, 'country'], [5, 'country']],
    );
    assert.match(problems[0]!.message, /must be one of detained, charged/);
    assert.match(problems[2]!.message, /required for an expelled event/);
  });

  it('rejects an event for a person who is not in the registry', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor });
    const file = tempFile('events.csv', 'person_external_id,type,date\np1,detained,2021-01-01\nghost,detained,2021-01-01\n');
    const error = await rejected(importEvents(store, file, { actor }));
    assert.match(error.message, /line 3, column person_external_id \("ghost"\): no person has this external id/);
    assert.equal((await tableSizes(store)).event, 0);
  });

  it('rejects fields that do not belong to the event type', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor });
    const file = tempFile('events.csv', 'person_external_id,type,date,term_months\np1,detained,2021-01-01,24\n');
    const error = await rejected(importEvents(store, file, { actor }));
    assert.match(error.message, /line 2, column term_months \("24"\): does not apply to a detained event/);
  });

  it('rejects unknown columns, missing names, duplicate ids, broken quoting and non-UTF-8 files', async () => {
    const store = await backend.fresh();
    const cases: [string, string | Buffer, RegExp][] = [
      ['external_id,family_name_be,nickname\np9,Іваноў,x\n', '', /line 1, column nickname: unknown column "nickname"/],
      ['external_id,family_name_be,given_name_be\np9,,Іван\n', '', /line 2, column family_name_be: a person needs a name/],
      ['external_id,name_latin\np9,Ivan Ivanou\np9,Ivan Ivanau\n', '', /line 3, column external_id \("p9"\): p9 is already on line 2/],
      ['external_id,name_latin\np9,"Ivan Ivanou\np10,Petr\n', '', /line \d+: the CSV structure is broken: a quoted value/],
      ['external_id,name_latin\np9,Ivan,Ivanou\n', '', /line 2: the CSV structure is broken: this row has 3 values but the header has 2 columns/],
      ['given_name_be\nІван\n', '', /line 1, column external_id: the required column "external_id" is missing/],
      ['', Buffer.from([0x65, 0x78, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x5f, 0x69, 0x64, 0x2c, 0x66, 0x61, 0x6d, 0x69, 0x6c, 0x79, 0x5f, 0x6e, 0x61, 0x6d, 0x65, 0x5f, 0x72, 0x75, 0x0a, 0x70, 0x31, 0x2c, 0xc8, 0xe2, 0xe0, 0xed, 0xee, 0xe2, 0x0a]), /not valid UTF-8/],
    ];
    for (const [text, bytes, expected] of cases) {
      const error = await rejected(importPersons(store, tempFile('people.csv', text || bytes), { actor }));
      assert.match(error.message, expected);
    }
    assert.equal((await tableSizes(store)).person, 0);
  });

  it('updates a changed person with history, keeps columns the file does not have', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor });
    const update = tempFile('update.csv', 'external_id,family_name_ru,given_name_ru,publish\np1,Колесникова,Мария,no\n');
    const report = await importPersons(store, update, { actor: 'test:second' });
    assert.deepEqual([report.created, report.updated, report.unchanged], [0, 1, 0]);
    const { person } = await personDossier(store, 'p1');
    assert.equal(person.publish, false);
    assert.equal(person.birth_date, '1982-04-24', 'birth_date is not in the file, so it stays');
    assert.equal(person.names.find((n) => n.lang === 'be')?.family, 'Калеснікава');
    assert.equal(person.version, 2);
    const history = await personHistory(store, 'p1');
    assert.deepEqual(history.map((h) => [h.version, h.action, h.actor]), [[1, 'create', actor], [2, 'update', 'test:second']]);
    assert.equal((history[1]!.before as { publish: boolean }).publish, true);
    assert.equal((history[1]!.after as { publish: boolean }).publish, false);
    assert.equal(history[1]!.reason, 'import update.csv');
  });

  it('writes nothing on a dry run but reports what would happen', async () => {
    const store = await backend.fresh();
    const report = await importPersons(store, tempFile('people.csv', PEOPLE), { actor, dryRun: true });
    assert.equal(report.created, 2);
    assert.equal((await tableSizes(store)).person, 0);
  });

  it('accepts partial dates, creates named facilities and keeps sources', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor });
    await importFacilities(store, tempFile('facilities.csv', 'name,type,address\nPenal Colony No. 4 Gomel,penal_colony,"Demo address, verify"\n'), { actor });
    const events = tempFile(
      'events.csv',
      [
        'person_external_id,type,date,facility,source_url',
        'p1,detained,2020-09,KGB SIZO Minsk,https://example.org/fictional/1',
        'p1,transferred,2021,Penal Colony No. 4 Gomel,',
        'p1,recognized,2020-09-10,,https://example.org/fictional/1',
      ].join('\n'),
    );
    const report = await importEvents(store, events, { actor });
    assert.equal(report.facilities_created, 1);
    const { events: stored } = await personDossier(store, 'p1');
    assert.deepEqual(stored.map((e) => [e.date, e.type, e.facility]), [
      ['2020-09', 'detained', 'KGB SIZO Minsk'],
      ['2020-09-10', 'recognized', null],
      ['2021', 'transferred', 'Penal Colony No. 4 Gomel'],
    ]);
    assert.equal(stored[0]!.sources[0]!.url, 'https://example.org/fictional/1');
    assert.equal(stored[1]!.sources[0]!.id, stored[0]!.sources[0]!.id, 'one source, cited twice');
    const facility = await store.db.selectFrom('facility').selectAll().where('name', '=', 'KGB SIZO Minsk').executeTakeFirstOrThrow();
    assert.equal(facility.type, 'sizo');
    assert.equal((await statsOn(store, '2020-09-01')).in_custody, 1, 'a month-only date counts from its first day');

    const history = await eventHistory(store.db, stored[0]!.id);
    assert.equal(history.length, 1);
    assert.deepEqual([history[0]!.version, history[0]!.action, history[0]!.actor], [1, 'create', actor]);
    assert.match(history[0]!.reason!, /^import events\.csv \(sha256 [0-9a-f]{64}\)$/);
    assert.deepEqual((history[0]!.after as { date: string; type: string }).date, '2020-09');
  });
});
