import { it } from 'node:test';
import assert from 'node:assert/strict';
import { today } from '../../domain/partial-date.js';
import { describeBothBackends } from '../../test-support/stores.js';
import { statsOn } from '../stats/stats.service.js';
import { COLONY, seedPlaces, SIZO, ZHODZINA } from './places.fixture.js';
import { placesOn } from './places.service.js';

describeBothBackends('places of detention today', (backend) => {
  it('counts everyone held, each at their latest public place in their current custody', async () => {
    const store = await backend.fresh();
    await seedPlaces(store);
    const day = today();
    const places = await placesOn(store, day);
    const byName = Object.fromEntries(places.facilities.map((entry) => [entry.facility.name, entry.count]));
    assert.deepEqual(byName, { [COLONY]: 2, [ZHODZINA]: 2, [SIZO]: 1 });
    assert.equal(places.unknown, 3, 'restricted transfer, internal detention, re-arrest without a place');
    assert.equal(places.total, 8);
    assert.equal(places.total, (await statsOn(store, day)).political_prisoners, 'the same people the count holds');
  });

  it('answers for a past day from the events up to it', async () => {
    const store = await backend.fresh();
    await seedPlaces(store);
    // On 2021-12-31: moved (SIZO-1, transfer comes later), partial (SIZO-1), noconsent and stale
    // (Zhodzina), freed (SIZO-1) and canon (no place before the duplicate's transfer).
    const places = await placesOn(store, '2021-12-31');
    const byName = Object.fromEntries(places.facilities.map((entry) => [entry.facility.name, entry.count]));
    assert.deepEqual(byName, { [SIZO]: 3, [ZHODZINA]: 2 });
    assert.equal(places.unknown, 1);
    assert.equal(places.total, (await statsOn(store, '2021-12-31')).political_prisoners);
  });

  it('names a bad day', async () => {
    const store = await backend.fresh();
    await assert.rejects(placesOn(store, '2021-13-01'), /date/);
  });
});
