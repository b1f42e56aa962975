import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { countPersons } from '../../store/person.repository.js';
import { statsOn } from '../stats/stats.service.js';
import { holdsDemoData, loadDemo, loadDemoIfEmpty } from './demo.service.js';
import { importPersons } from '../import/persons.import.js';
import { tempFile } from '../../test-support/files.js';

describeBothBackends('demo dataset', (backend) => {
  it('loads through the importers, labelled fictional, and only into an empty store', async () => {
    const store = await backend.fresh();
    await loadDemo(store, () => {}, { today: '2026-11-25' });
    assert.equal(await countPersons(store.db), 1500);
    assert.ok(await holdsDemoData(store));
    const untagged = await store.db.selectFrom('person').select('external_id').where('tags', 'not like', '%"fictional-demo"%').execute();
    assert.deepEqual(untagged, [], 'every demo person carries the fictional-demo tag');
    const counts = await statsOn(store, '2025-12-31');
    assert.ok(counts.political_prisoners > 100 && counts.political_prisoners <= counts.in_custody, JSON.stringify(counts));
    // The 2025 negotiated releases end custody for many on the day.
    const before = await statsOn(store, '2025-09-10');
    const after = await statsOn(store, '2025-09-11');
    assert.ok(after.released_political_prisoners > before.released_political_prisoners);
    assert.equal(await loadDemoIfEmpty(store), false);
  });

  it('is never mixed into a store that holds real records', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', 'external_id,name_latin\nr1,Real Person\n'), { actor: 'test' });
    assert.equal(await loadDemoIfEmpty(store), false);
    assert.equal(await countPersons(store.db), 1);
    assert.equal(await holdsDemoData(store), false);
  });
});
