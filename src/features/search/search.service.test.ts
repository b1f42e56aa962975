import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { tempFile } from '../../test-support/files.js';
import { runCli } from '../../test-support/cli.js';
import { importPersons } from '../import/persons.import.js';
import { openStore } from '../../store/connection.js';
import { findPerson, editPerson } from '../persons/person.service.js';
import { mergePeople, unmergePerson } from '../duplicates/duplicates.service.js';
import { searchIndex, searchPeople } from './search.service.js';

const PEOPLE = [
  'external_id,family_name_be,given_name_be,patronymic_be,family_name_ru,given_name_ru,patronymic_ru,name_latin,publish',
  's1,Ціханоўская,Святлана,Георгіеўна,,,,,yes',
  's2,Калеснікава,Марыя,Аляксандраўна,Колесникова,Мария,Александровна,Maryia Kalesnikava,no',
  's3,Бяляцкі,Алесь,Віктаравіч,,,,Ales Bialiatski,yes',
  's4,Лосік,Ігар,,Лосик,Игорь,,Ihar Losik,yes',
].join('\n');

describeBothBackends('name search over the store', (backend) => {
  it('finds people by other scripts and spellings than the stored ones', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    const top = async (query: string) => (await searchPeople(store, query, { limit: 3 }))[0]?.external_id;
    assert.equal(await top('Tikhanovskaya Svetlana'), 's1', 'Russian-based English, only the Belarusian form stored');
    assert.equal(await top('Тихановская'), 's1', 'Russian Cyrillic, only the Belarusian form stored');
    assert.equal(await top('Cichanoŭskaja'), 's1', 'Belarusian national Latin');
    assert.equal(await top('KOLESNIKOVA Maria'), 's2');
    assert.equal(await top('Masha Kalesnikava'), 's2', 'diminutive');
    assert.equal(await top('Alexander Bialiatski'), 's3', 'Ales is a Belarusian form of Alexander');
    assert.equal(await top('Igor Losik'), 's4');
    const hits = await searchPeople(store, 'Tsikhanouskaya', { limit: 2 });
    assert.deepEqual(Object.keys(hits[0]!).sort(), ['external_id', 'id', 'matched', 'name', 'score']);
    assert.ok(hits[0]!.score > (hits[1]?.score ?? 0));
  });

  it('searches only published people when asked for public results', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    const hidden = await searchPeople(store, 'Kalesnikava Maryia', { publicOnly: true, limit: 10 });
    assert.ok(hidden.every((hit) => hit.external_id !== 's2'), 'no publication consent, so never in public results');
    const internal = await searchPeople(store, 'Kalesnikava Maryia', { limit: 10 });
    assert.equal(internal[0]?.external_id, 's2');
  });

  it('sees changes made after the index was built', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    assert.notEqual((await searchPeople(store, 'Babaryka Viktar'))[0]?.external_id, 's5');
    await importPersons(store, tempFile('more.csv', 'external_id,family_name_be,given_name_be\ns5,Бабарыка,Віктар\n'), { actor: 'test' });
    assert.equal((await searchPeople(store, 'Babaryka Viktar'))[0]?.external_id, 's5');
  });

  it('builds the index once for searches that arrive together after a change', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    const together = await Promise.all(Array.from({ length: 5 }, () => searchIndex(store, true)));
    assert.ok(together.every((indexed) => indexed === together[0]), 'one index shared, not one built per search');
    assert.equal(await searchIndex(store, true), together[0], 'and kept while nothing changes');
  });

  it('keeps the index it updates after each edit the same as one built afresh', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    const queries = ['Tsikhanouskaya', 'Kalesnikava Maryia', 'Ales Bialiatski', 'Igor Losik', 'Шпак Алесь', 'Лосик', 'Losikevich Ihar', 'Babaryka'];
    const results = async (target: typeof store) =>
      Promise.all(queries.flatMap((q) => [true, false].map(async (publicOnly) => `${q} ${publicOnly}: ${(await searchPeople(target, q, { publicOnly, limit: 3 })).map((h) => `${h.external_id} ${h.name} ${h.score}`).join('; ')}`)));
    await results(store);
    const context = { actor: 'test', reason: 'test' };
    const edit = async (ref: string, changes: Parameters<typeof editPerson>[3]) => {
      const person = await findPerson(store, ref);
      await editPerson(store, person.id, person.version, changes, context);
      await results(store);
    };
    // Each step is searched right after it, so the index is updated step by step, not built once at the end.
    await edit('s3', { names: [{ family: 'Шпак', given: 'Алесь', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }] });
    await edit('s1', { publish: false });
    await edit('s2', { publish: true, confidentiality: 'public' });
    await mergePeople(store, 's3', 's4', context);
    await results(store);
    await unmergePerson(store, 's4', context);
    await results(store);
    await mergePeople(store, 's2', 's4', context);
    await results(store);
    // A merged record's own names change: the person it was merged into is found by them.
    await edit('s4', { names: [{ family: 'Лосікевіч', given: 'Ігар', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }] });
    await importPersons(store, tempFile('more.csv', 'external_id,family_name_be,given_name_be,publish\ns5,Бабарыка,Віктар,yes\n'), { actor: 'test' });

    const fresh = await openStore(backend.lastLocation.database);
    try {
      assert.deepEqual(await results(store), await results(fresh));
    } finally {
      await fresh.close();
    }
    assert.equal((await searchPeople(store, 'Шпак Алесь', { publicOnly: true, limit: 1 }))[0]?.external_id, 's3');
    assert.ok((await searchPeople(store, 'Tsikhanouskaya', { publicOnly: true })).every((hit) => hit.external_id !== 's1'), 'consent withdrawn: gone from public search');
  });

  it('explains an empty query or a bad limit', async () => {
    const store = await backend.fresh();
    await assert.rejects(searchPeople(store, '   '), /query: type a name/);
    await assert.rejects(searchPeople(store, 'x', { limit: 0 }), /limit: a whole number from 1 to 100/);
  });

  it('matches a whole list from standard input, one JSON array per line, in order', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    const result = await runCli(['search', '-', '--json', '--limit', '2'], {
      database: backend.lastLocation.database,
      input: 'Лосик Игорь\n\nBialiatski Ales\n',
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { external_id: string }[]);
    assert.equal(lines.length, 3);
    assert.equal(lines[0]![0]!.external_id, 's4');
    assert.deepEqual(lines[1], []);
    assert.equal(lines[2]![0]!.external_id, 's3');
    await store.close();
  });
});
