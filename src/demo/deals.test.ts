// The fictional deals must agree with the generated custody histories they are read from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoDeals } from './deals.js';
import { generateDemo, type EventRow } from './generate.js';

const TODAY = '2026-11-25';
const demo = generateDemo({ seed: 7, today: TODAY });
const plan = demoDeals(demo.events, 7, TODAY);

function eventsOf(id: string): EventRow[] {
  return demo.events.filter((e) => e.person_external_id === id);
}

test('three deals, each freeing exactly the people the events show freed on its day', () => {
  assert.deepEqual(plan.deals.map((deal) => deal.date), ['2025-06-21', '2025-09-11', '2025-12-13']);
  for (const deal of plan.deals) {
    const expelled = demo.events.filter((e) => e.date === deal.date && e.type === 'expelled');
    assert.deepEqual(
      Object.entries(deal.expelled).flatMap(([country, ids]) => ids.map((id) => `${id}:${country}`)).sort(),
      expelled.map((e) => `${e.person_external_id}:${e.country}`).sort(),
    );
    const released = demo.events.filter((e) => e.date === deal.date && e.type === 'released' && e.reason === 'negotiated').map((e) => e.person_external_id);
    assert.deepEqual([...deal.released, ...deal.refused].sort(), released.sort(), 'every negotiated release is freed or refused');
    assert.deepEqual(deal.destinations, Object.keys(deal.expelled).sort());
    assert.match(deal.summary, /FICTIONAL/);
  }
  const freed = plan.deals.reduce((n, deal) => n + deal.released.length + Object.values(deal.expelled).flat().length, 0);
  assert.equal(plan.dealEvents.size, freed, 'the rows the deals record are exactly their releases and expulsions');
});

test('those who refused expulsion were taken back; those asked for in vain stay held', () => {
  const refused = plan.deals.flatMap((deal) => deal.refused.map((id) => [deal.date, id] as const));
  assert.ok(refused.length >= 1);
  for (const [date, id] of refused) {
    const after = eventsOf(id).filter((e) => e.date > date);
    assert.equal(after[0]?.type, 'detained', `${id} is detained again after ${date}`);
  }
  for (const deal of plan.deals) {
    assert.ok(deal.asked_not_released.length > 0);
    for (const id of deal.asked_not_released) {
      const events = eventsOf(id);
      assert.ok(events.some((e) => e.type === 'detained' && e.date <= deal.date), `${id} was held before ${deal.date}`);
      assert.ok(!events.some((e) => e.date >= deal.date && ['released', 'expelled', 'died'].includes(e.type)), `${id} was not freed on or after ${deal.date}`);
    }
  }
});

test('the same seed gives the same deals; an earlier today gives fewer, and no sanctions relief yet', () => {
  const again = demoDeals(generateDemo({ seed: 7, today: TODAY }).events, 7, TODAY);
  assert.deepEqual(again.deals, plan.deals);
  const summer = demoDeals(generateDemo({ seed: 7, today: '2025-07-01', people: 400 }).events, 7, '2025-07-01');
  assert.deepEqual(summer.deals.map((deal) => deal.date), ['2025-06-21']);
  assert.ok(summer.sanctions.every((s) => s.lifted_on === null), 'nothing lifted before the later deals');
  assert.equal(demoDeals(generateDemo({ seed: 7, today: '2023-06-30', people: 200 }).events, 7, '2023-06-30').deals.length, 0);
});
