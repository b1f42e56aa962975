import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describeBothBackends } from '../../test-support/stores.js';
import { NAMES_DEV } from '../../test-support/files.js';
import { importPersons } from '../import/persons.import.js';
import { importEvents } from '../import/events.import.js';
import { monthlySeries, statsOn } from './stats.service.js';

describeBothBackends('stats', (backend) => {
  it('gives a monthly series equal to asking for each date alone', async () => {
    const store = await backend.fresh();
    await importPersons(store, join(NAMES_DEV, 'persons.csv'), { actor: 'test' });
    await importEvents(store, join(NAMES_DEV, 'events.csv'), { actor: 'test' });
    const series = await monthlySeries(store, '2020-06-01', '2026-06-15');
    assert.equal(series.length, 73);
    assert.equal(series[0]!.date, '2020-06-30');
    assert.equal(series.at(-1)!.date, '2026-06-15');
    for (const counts of series.filter((_, i) => i % 6 === 0 || i === series.length - 1)) {
      assert.deepEqual(counts, await statsOn(store, counts.date));
    }
    assert.ok(series.some((c) => c.political_prisoners > 500), 'the series has real counts in it');
  });

  it('explains a bad date', async () => {
    const store = await backend.fresh();
    await assert.rejects(statsOn(store, '2021-02-30'), /date: "2021-02-30" is not a valid date: day 30/);
    await assert.rejects(statsOn(store, '2021-02'), /a full date is needed/);
  });
});
