import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { tempFile } from '../../test-support/files.js';
import { runCli } from '../../test-support/cli.js';
import { importPersons } from '../import/persons.import.js';
import { importEvents } from '../import/events.import.js';
import { statsOn } from '../stats/stats.service.js';
import { searchPeople } from '../search/search.service.js';
import { findPerson, personHistory } from '../persons/person.service.js';
import { findDuplicates, listDecisions, markNotSame, mergePeople, unmergePerson } from './duplicates.service.js';
import type { Store } from '../../store/connection.js';

const PEOPLE = [
  'external_id,family_name_be,given_name_be,family_name_ru,given_name_ru,name_latin,birth_date,region',
  'd1,Ціханоўская,Святлана,,,,1982-09-11,Minsk',
  'd2,,,,,Svetlana Tikhanovskaya,1982-09-11,Minsk',
  'd3,Бяляцкі,Алесь,,,,1962,',
  'd4,Лосік,Ігар,,,,1992,',
  'd5,,,Лосик,Игорь,,1992,',
  'd6,Лосік,Андрэй,,,,1992,',
].join('\n');
const EVENTS = [
  'person_external_id,type,date,organization',
  'd1,detained,2021-01-01,',
  'd1,recognized,2021-02-01,Viasna',
  'd2,detained,2021-01-01,',
].join('\n');
const context = { actor: 'editor:anna', reason: 'same birth date and photo in both court records' };

async function setUp(store: Store) {
  await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
  await importEvents(store, tempFile('events.csv', EVENTS), { actor: 'test' });
}

const pairs = async (store: Store) => (await findDuplicates(store)).map((c) => `${c.a.external_id}~${c.b.external_id}`);

describeBothBackends('duplicates', (backend) => {
  it('lists likely pairs across scripts with a score and reasons, and not namesakes with other given names', async () => {
    const store = await backend.fresh();
    await setUp(store);
    const found = await findDuplicates(store);
    const listed = found.map((c) => `${c.a.external_id}~${c.b.external_id}`);
    assert.ok(listed.includes('d1~d2'), listed.join(' '));
    assert.ok(listed.includes('d4~d5'), listed.join(' '));
    assert.ok(!listed.includes('d4~d6') && !listed.includes('d5~d6'), 'Ігар and Андрэй Лосік are different people');
    const pair = found.find((c) => c.a.external_id === 'd1')!;
    assert.ok(pair.score >= 0.85);
    assert.ok(pair.reasons.some((r) => /birth date/.test(r)), pair.reasons.join('; '));
    assert.ok(pair.reasons.some((r) => /family name/.test(r)), pair.reasons.join('; '));
  });

  it('merges without destroying anything: counts and search see one person, history says who and why', async () => {
    const store = await backend.fresh();
    await setUp(store);
    assert.equal((await statsOn(store, '2021-06-01')).in_custody, 2, 'two records of one detention');
    await mergePeople(store, 'd1', 'd2', context);
    assert.equal((await statsOn(store, '2021-06-01')).in_custody, 1);
    assert.equal((await statsOn(store, '2021-06-01')).political_prisoners, 1);
    const duplicate = await findPerson(store, 'd2');
    assert.equal(duplicate.merged_into, (await findPerson(store, 'd1')).id, 'the duplicate record is still there');
    const events = await store.db.selectFrom('event').select('id').where('person_id', '=', duplicate.id).execute();
    assert.equal(events.length, 1, 'its events are kept');
    const hits = await searchPeople(store, 'Svetlana Tikhanovskaya', { limit: 5 });
    assert.equal(hits[0]!.external_id, 'd1');
    assert.ok(hits.every((hit) => hit.external_id !== 'd2'));
    const history = await personHistory(store, 'd2');
    assert.deepEqual(history.at(-1)!.action, 'merge');
    assert.equal(history.at(-1)!.actor, 'editor:anna');
    assert.ok(!(await pairs(store)).includes('d1~d2'), 'a decided pair is not proposed again');

    await unmergePerson(store, 'd2', { actor: 'editor:boris', reason: 'different people after all: other patronymics' });
    assert.equal((await statsOn(store, '2021-06-01')).in_custody, 2);
    assert.equal((await findPerson(store, 'd2')).merged_into, null);
  });

  it('remembers "not the same person" with who decided it', async () => {
    const store = await backend.fresh();
    await setUp(store);
    await markNotSame(store, 'd5', 'd4', { actor: 'editor:anna', reason: 'different fathers per the verdicts' });
    assert.ok(!(await pairs(store)).includes('d4~d5'));
    const decisions = await listDecisions(store);
    assert.deepEqual(decisions.map((d) => [d.a, d.b, d.decision, d.actor]), [['d4', 'd5', 'not_same', 'editor:anna']]);
    await assert.rejects(markNotSame(store, 'd1', 'd2', { actor: 'x', reason: '' }), /reason: say why/);
    await assert.rejects(mergePeople(store, 'd1', 'd1', context), /are the same record/);
  });

  it('works from the command line with JSON output', async () => {
    const store = await backend.fresh();
    await setUp(store);
    const database = backend.lastLocation.database;
    const listed = await runCli(['duplicates', '--json'], { database });
    assert.equal(listed.code, 0, listed.stderr);
    const found = JSON.parse(listed.stdout) as { a: { external_id: string }; score: number; reasons: string[] }[];
    assert.ok(found.length >= 2 && found.every((pair) => pair.score >= 0.85 && pair.reasons.length > 0));
    const merged = await runCli(['duplicates', 'merge', 'd1', 'd2', '--reason', 'same court case number'], { database });
    assert.equal(merged.code, 0, merged.stderr);
    const noReason = await runCli(['duplicates', 'not-same', 'd4', 'd5'], { database });
    assert.notEqual(noReason.code, 0);
    assert.match(noReason.stderr, /--reason/);
    await store.close();
  });
});
