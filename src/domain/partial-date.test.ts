import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  comparePartialDates,
  firstDay,
  lastDay,
  monthEnds,
  normalizePartialDate,
  parsePartialDate,
  PartialDateError,
} from './partial-date.js';

describe('partial dates', () => {
  it('parses the three precisions', () => {
    assert.deepEqual(parsePartialDate('2021'), { year: 2021 });
    assert.deepEqual(parsePartialDate('2021-05'), { year: 2021, month: 5 });
    assert.deepEqual(parsePartialDate('2021-05-09'), { year: 2021, month: 5, day: 9 });
  });

  it('rejects impossible dates with a reason', () => {
    assert.throws(() => parsePartialDate('2021-02-29'), /day 29 does not exist in 2021-02/);
    assert.doesNotThrow(() => parsePartialDate('2024-02-29'));
    assert.throws(() => parsePartialDate('2021-13'), /month 13/);
    assert.throws(() => parsePartialDate('21-05-2021'), PartialDateError);
    assert.throws(() => parsePartialDate('2021-5'), /wrong format/);
    assert.throws(() => parsePartialDate(''), /wrong format/);
  });

  it('sorts a year before its months and a month before its days', () => {
    const dates = ['2021-05-10', '2021', '2020-12-31', '2021-05', '2021-01-01', '2021-04-30'];
    assert.deepEqual(dates.sort(comparePartialDates), [
      '2020-12-31',
      '2021',
      '2021-01-01',
      '2021-04-30',
      '2021-05',
      '2021-05-10',
    ]);
  });

  it('knows the first and last day a partial date can mean', () => {
    assert.equal(firstDay('2021'), '2021-01-01');
    assert.equal(lastDay('2021'), '2021-12-31');
    assert.equal(lastDay('2024-02'), '2024-02-29');
    assert.equal(lastDay('2023-02'), '2023-02-28');
    assert.equal(normalizePartialDate(' 2021-05 '), '2021-05');
  });

  it('lists month ends up to a final date', () => {
    assert.deepEqual(monthEnds('2020-11-15', '2021-02-10'), ['2020-11-30', '2020-12-31', '2021-01-31', '2021-02-10']);
  });
});
