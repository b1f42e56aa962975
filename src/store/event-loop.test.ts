import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allAtOnce, eachInSteps, sortedInSteps, stepByStep, type Steps } from './event-loop.js';
import { turnsDuring } from '../test-support/turns.js';

/** Runs the steps to the end, counting the pauses. */
function pauses<T>(steps: Steps<T>): { value: T; pauses: number } {
  let count = 0;
  for (;;) {
    const next = steps.next();
    if (next.done) return { value: next.value, pauses: count };
    count += 1;
  }
}

it('calls the body for each index in order, pausing after every `step` calls and after the last', () => {
  const seen: number[] = [];
  assert.equal(pauses(eachInSteps(7, 3, (i) => seen.push(i))).pauses, 3, 'after 3, 6 and 7 calls');
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(pauses(eachInSteps(6, 3, () => undefined)).pauses, 2, 'the last call ends a step: one pause for both');
  assert.equal(pauses(eachInSteps(0, 3, () => assert.fail('no calls'))).pauses, 0);
});

it('sorts in steps as a stable sort does, whatever the run and step sizes', () => {
  // Items with few distinct keys, so that equal keys must keep their order.
  const items = fc.array(fc.record({ key: fc.integer({ min: 0, max: 20 }), at: fc.nat() }), { maxLength: 300 })
    .map((list) => list.map((item, i) => ({ ...item, at: i })));
  fc.assert(fc.property(items, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 50 }), (list, run, step) => {
    const compare = (a: { key: number }, b: { key: number }) => a.key - b.key;
    const before = list.map((item) => item.at);
    const sorted = allAtOnce(sortedInSteps(list, compare, { run, step }));
    assert.deepEqual(sorted, [...list].sort((a, b) => a.key - b.key || a.at - b.at));
    assert.deepEqual(list.map((item) => item.at), before, 'the input is left as it was');
  }), { numRuns: 500 });
});

it('pauses at least once per run and once per `step` comparisons while merging', () => {
  const numbers = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
  const { value, pauses: count } = pauses(sortedInSteps(numbers, (a, b) => a - b, { run: 1000, step: 500 }));
  assert.deepEqual(value, Array.from({ length: 10_000 }, (_, i) => i));
  // 10 runs, then merging 10,000 items in four passes compares at least 9,000 pairs: 18 pauses or more.
  assert.ok(count >= 10 + 18, `${count} pauses`);
});

it('gives the event loop a turn at every pause when run step by step', async () => {
  let sorted: number[] = [];
  const turns = await turnsDuring(async () => (sorted = await stepByStep(sortedInSteps([3, 1, 2, 5, 4, 0], (a, b) => a - b, { run: 2, step: 1 }))));
  assert.deepEqual(sorted, [0, 1, 2, 3, 4, 5]);
  assert.ok(turns >= 3, `${turns} turns`);
});
