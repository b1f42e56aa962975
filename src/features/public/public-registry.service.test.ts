/**
 * The public registry is patched after a change instead of rebuilt; a patched registry must equal one
 * built from scratch on the same data, whatever the change: an edit, a new event, a merge and its
 * undoing, withdrawn consent, an import.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describeBothBackends } from '../../test-support/stores.js';
import { NAMES_DEV, tempFile } from '../../test-support/files.js';
import { openStore, type Store } from '../../store/connection.js';
import { importPersons } from '../import/persons.import.js';
import { importEvents } from '../import/events.import.js';
import { editPerson, findPerson } from '../persons/person.service.js';
import { createEvent } from '../events/event.service.js';
import { mergePeople, unmergePerson } from '../duplicates/duplicates.service.js';
import { publicRegistry, type PublicRegistry } from './public-registry.service.js';
import { nameFor } from './public-names.js';
import { searchIndex } from '../search/search.service.js';
import { insertPersons } from '../../store/person.repository.js';
import { turnsDuring } from '../../test-support/turns.js';

const ctx = { actor: 'test', reason: 'fixture' };

/**
 * A full garbage collection, without starting the test process with --expose-gc: the flag set at run
 * time exposes `gc` in contexts created afterwards.
 */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function snapshot(registry: PublicRegistry) {
  return {
    people: registry.people,
    be: registry.ordered('be').map((person) => person.id),
    en: registry.ordered('en').map((person) => [person.id, registry.names('en').get(person.id)!.text]),
    // A patched registry carries its lookups over from the one before: they must hold the same people.
    byId: [...registry.byId.entries()].sort((a, b) => a[0] - b[0]),
    byExternalId: [...registry.byExternalId.entries()].map(([externalId, person]) => [externalId, person.id] as const).sort((a, b) => a[1] - b[1]),
    names: [...registry.names('en').entries()].sort((a, b) => a[0] - b[0]),
  };
}

describeBothBackends('public registry', (backend) => {
  it('patched after each change, equals a registry built from scratch', async () => {
    const store = await backend.fresh();
    const actor = 'test';
    await importPersons(store, join(NAMES_DEV, 'persons.csv'), { actor });
    await importEvents(store, join(NAMES_DEV, 'events.csv'), { actor });
    // Publish a third of names-dev, with public events, so the public registry has people in it.
    await store.db.updateTable('person').set({ publish: 1, confidentiality: 'public' }).where('external_id', '<', 'd00130').execute();
    await store.db.updateTable('event').set({ confidentiality: 'public' }).execute();
    const ids = (await store.db.selectFrom('person').select(['id', 'external_id']).orderBy('id').execute());
    // The direct updates above are fixture set-up, not edits: a change through the service moves the stamp.
    await editPerson(store, ids[0]!.id, 1, { occupation: 'teacher' }, ctx);

    const initial = await publicRegistry(store);
    initial.ordered('be');
    initial.names('en');
    initial.ordered('en');
    assert.ok(initial.people.length > 50, `${initial.people.length} published people`);

    const held = initial.ordered('be').find((person) => person.status === 'held')!;
    await createEvent(store, held.id, { type: 'released', date: new Date().toISOString().slice(0, 10), reason: 'pardon', confidentiality: 'public' }, ctx);
    const second = initial.people[1]!;
    const record = await findPerson(store, second.external_id);
    await editPerson(store, record.id, record.version, { publish: false }, ctx);
    await mergePeople(store, initial.people[2]!.external_id, initial.people[3]!.external_id, ctx);
    await publicRegistry(store);
    // An event recorded on the merged record afterwards counts for the person it was merged into.
    await createEvent(store, initial.people[3]!.id, { type: 'charged', date: '2024-03-03', articles: ['777'], confidentiality: 'public' }, ctx);
    const renamed = await findPerson(store, initial.people[4]!.external_id);
    await editPerson(store, renamed.id, renamed.version, { names: [{ ...renamed.names[0]!, family: 'Аааа', given: 'Першы' }, ...renamed.names.slice(1)] }, ctx);
    const file = tempFile('more-events.csv', `person_external_id,type,date,articles\n${initial.people[5]!.external_id},charged,2024-02-02,999\n`);
    await importEvents(store, file, { actor });
    await store.db.updateTable('event').set({ confidentiality: 'public' }).where('type', '=', 'charged').where('date', '=', '2024-02-02').execute();
    // That direct update is invisible to the stamp; an edit after it moves the stamp for the test.
    const again = await findPerson(store, initial.people[6]!.external_id);
    await editPerson(store, again.id, again.version, { occupation: 'engineer' }, ctx);

    const patched = await publicRegistry(store);
    assert.notEqual(patched, initial);
    const other: Store = await openStore(backend.lastLocation.database);
    try {
      const scratch = await publicRegistry(other);
      assert.deepEqual(snapshot(patched), snapshot(scratch));
    } finally {
      await other.close();
    }
    assert.equal(patched.byId.get(held.id)?.status, 'released');
    assert.equal(patched.byId.get(second.id), undefined, 'withdrawn consent takes the person off');
    assert.equal(patched.byId.get(initial.people[3]!.id), undefined, 'a merged record is no longer listed');
    assert.ok(patched.byId.get(initial.people[5]!.id)!.articles.includes('999'), 'an imported event counts');
    assert.ok(patched.byId.get(initial.people[2]!.id)!.articles.includes('777'), 'an event of a merged record counts for the kept one');
    assert.equal(patched.ordered('be')[0]?.id === renamed.id || patched.byId.get(renamed.id)?.status === null, true, 'a renamed person moves in the order');

    await unmergePerson(store, initial.people[3]!.external_id, ctx);
    const unmerged = await publicRegistry(store);
    assert.ok(unmerged.byId.get(initial.people[3]!.id), 'unmerged, the record is listed again');
  });

  it('a patched registry does not keep the one it was patched from alive', async () => {
    const store = await backend.fresh();
    await importPersons(store, join(NAMES_DEV, 'persons.csv'), { actor: 'test' });
    await importEvents(store, join(NAMES_DEV, 'events.csv'), { actor: 'test' });
    await store.db.updateTable('person').set({ publish: 1, confidentiality: 'public' }).where('external_id', '<', 'd00050').execute();
    await store.db.updateTable('event').set({ confidentiality: 'public' }).execute();
    const ids = await store.db.selectFrom('person').select('id').orderBy('id').limit(3).execute();
    await editPerson(store, ids[0]!.id, 1, { occupation: 'teacher' }, ctx);
    // Kept only through a WeakRef, in a function of its own, so nothing in this test holds it.
    const built = async () => {
      const registry = await publicRegistry(store);
      // Worked out names and order are what a patch carries over.
      registry.ordered('be');
      return new WeakRef(registry);
    };
    const first = await built();
    await editPerson(store, ids[1]!.id, 1, { occupation: 'engineer' }, ctx);
    const second = await publicRegistry(store);
    assert.ok(second.byId.get(ids[1]!.id), 'the second registry was patched from the first');
    assert.equal(second.byId.get(ids[1]!.id)!.occupation, 'engineer');
    // A WeakRef's target stays alive until the current job ends: let it end before collecting.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage()();
    assert.equal(first.deref(), undefined, 'the first registry is still reachable from the second');
    assert.ok(second.ordered('be').length > 0, 'the order carried over still serves');
  });

  it('lets the event loop run while the registry and the name index are built (a server keeps answering)', async () => {
    const store = await backend.fresh();
    // More people than one chunk of the registry build, all published.
    const people = Array.from({ length: 1500 }, (_, i) => ({
      external_id: `loop${i}`, birth_date: null, gender: 'unknown' as const, region: null, occupation: null, tags: [], biography: {},
      publish: true, confidentiality: 'public' as const, field_levels: {},
      names: [{ family: `Прозвішча${i}`, given: 'Імя', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' as const }],
    }));
    await store.db.transaction().execute((trx) => insertPersons(trx, people, new Date().toISOString()));
    // On SQLite queries settle at once: without turns given back, the whole build ran before anything else.
    assert.ok((await turnsDuring(() => publicRegistry(store))) >= 2, 'the registry build gave the loop turns');
    const registry = await publicRegistry(store);
    assert.ok((await turnsDuring(() => registry.prepare('ru'))) >= 2, 'working out the names of a language gave the loop turns');
    assert.ok((await turnsDuring(() => searchIndex(store, true))) >= 1, 'the name index build gave the loop turns');
  });

  it('orders people by shown name as the collator does: namesakes, and names it finds equal, by id', async () => {
    const store = await backend.fresh();
    // In the order of their ids: the collator (base letters only) finds abel = Abel = Ábel and Zhuk = zhuk.
    const families = ['abel', 'Abel', 'abel', 'Zhuk', 'Žuk', 'zhuk', 'Zhuk', 'Mikola 10', 'Mikola 9', 'Ábel'];
    // And in Russian (shown on the be and ru pages), equal and unequal in the same way.
    const russian = ['Абель', 'Абель', 'абель', 'Жук', 'Жук', 'жук', 'Жук', 'Микола 10', 'Микола 9', 'Абель'];
    const people = families.map((family, i) => ({
      external_id: `order${i}`, birth_date: null, gender: 'unknown' as const, region: null, occupation: null, tags: [], biography: {},
      publish: true, confidentiality: 'public' as const, field_levels: {},
      names: [
        { family, given: 'Jan', patronymic: null, full_name: null, lang: 'en', script: 'Latn', romanization: null, confidentiality: 'public' as const },
        { family: russian[i]!, given: 'Ян', patronymic: null, full_name: null, lang: 'ru', script: 'Cyrl', romanization: null, confidentiality: 'public' as const },
      ],
    }));
    const ids = await store.db.transaction().execute((trx) => insertPersons(trx, people, new Date().toISOString()));
    for (const id of ids) {
      await createEvent(store, id, { type: 'detained', date: '2021-05-01', confidentiality: 'public' }, ctx);
      await createEvent(store, id, { type: 'recognized', date: '2021-06-01', confidentiality: 'public' }, ctx);
    }
    const registry = await publicRegistry(store);
    for (const lang of ['en', 'be', 'ru'] as const) {
      // As `vigil serve` does at start: names and order worked out ahead, step by step.
      await registry.prepare(lang);
      const names = registry.names(lang);
      for (const person of registry.people) assert.deepEqual(names.get(person.id), nameFor(lang, person.names), `${lang}: the name of ${person.external_id}`);
      const collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
      const expected = registry.people
        .filter((person) => person.status !== null)
        .sort((a, b) => collator.compare(names.get(a.id)!.sortKey, names.get(b.id)!.sortKey) || a.id - b.id);
      assert.equal(expected.length, families.length);
      assert.deepEqual(registry.ordered(lang).map((person) => person.id), expected.map((person) => person.id), lang);
    }
  });
});
