import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countOn, seriesFromDeltas, type Delta } from './counting.js';
import type { StatusInterval } from './custody.js';

describe('series from deltas', () => {
  it('gives the same counts as counting intervals one date at a time', () => {
    const intervals: StatusInterval[] = [
      { kind: 'custody', start: '2020-08-10', end: '2021-01-01' },
      { kind: 'custody', start: '2020-09-01', end: null },
      { kind: 'political', start: '2020-09-15', end: '2020-12-01' },
      { kind: 'died_in_custody', start: '2021-02-02', end: null },
    ];
    const deltas: Delta[] = intervals.flatMap((i) => [
      { kind: i.kind, day: i.start, change: 1 },
      ...(i.end ? [{ kind: i.kind, day: i.end, change: -1 }] : []),
    ]);
    const days = ['2021-03-01', '2020-08-09', '2020-08-10', '2020-09-15', '2020-12-01', '2021-01-01'];
    const series = seriesFromDeltas(deltas, days);
    assert.deepEqual(series.map((c) => c.date), days, 'keeps the order asked for');
    for (const counts of series) assert.deepEqual(counts, countOn(intervals, counts.date));
    assert.equal(series[2]!.in_custody, 1);
    assert.equal(series[3]!.in_custody, 2);
    assert.equal(series[3]!.political_prisoners, 1);
    assert.equal(series[0]!.died_in_custody, 1);
  });
});
