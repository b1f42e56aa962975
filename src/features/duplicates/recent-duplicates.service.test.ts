import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { tempFile } from '../../test-support/files.js';
import { importPersons } from '../import/persons.import.js';
import { editPerson, findPerson } from '../persons/person.service.js';
import { findDuplicates, markNotSame, mergePeople } from './duplicates.service.js';
import { duplicatesOfRecent } from './recent-duplicates.service.js';
import type { Store } from '../../store/connection.js';

// Fictional people: one woman entered in Belarusian Cyrillic and in Latin letters, one man in Belarusian and in Russian.
const PEOPLE = [
  'external_id,family_name_be,given_name_be,family_name_ru,given_name_ru,name_latin,birth_date',
  'r1,Ціханоўская,Святлана,,,,1982-09',
  'r2,Лосік,Ігар,,,,1992',
  'r3,Бяляцкі,Алесь,,,,1962',
  'r4,,,Лосик,Игорь,,1992',
  'r5,,,,,Sviatlana Tsikhanouskaya,1982',
].join('\n');
const ctx = { actor: 'editor@example.org', reason: 'test' };

const pairs = async (store: Store, people: number) => (await duplicatesOfRecent(store, { people })).map((c) => `${c.a.external_id}~${c.b.external_id}`);

describeBothBackends('duplicates around recently changed people', (backend) => {
  it('finds what the full scan finds when every person is looked at', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    const full = (await findDuplicates(store)).map((c) => `${c.a.external_id}~${c.b.external_id}`);
    assert.deepEqual(full.sort(), ['r1~r5', 'r2~r4']);
    assert.deepEqual((await pairs(store, 100)).sort(), full);
  });

  it('looks only at the people changed last, and leaves out decided pairs and merged records', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('people.csv', PEOPLE), { actor: 'test' });
    const ales = await findPerson(store, 'r3');
    await editPerson(store, ales.id, ales.version, { occupation: 'human-rights defender' }, ctx);
    assert.deepEqual(await pairs(store, 1), [], 'the one changed last has no likely duplicate');
    const ihar = await findPerson(store, 'r2');
    await editPerson(store, ihar.id, ihar.version, { occupation: 'blogger' }, ctx);
    assert.deepEqual(await pairs(store, 1), ['r2~r4']);
    await markNotSame(store, 'r2', 'r4', ctx);
    assert.deepEqual(await pairs(store, 1), []);
    await mergePeople(store, 'r1', 'r5', ctx);
    assert.deepEqual(await pairs(store, 100), [], 'merged records are no longer pairs to decide');
  });
});
