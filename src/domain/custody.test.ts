import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { personTimeline, type CustodyEvent } from './custody.js';
import { countOn } from './counting.js';
import type { EventType } from './event-types.js';

let seq = 0;
const ev = (type: EventType, date: string): CustodyEvent => ({ type, date, seq: seq++ });
const statusOn = (events: CustodyEvent[], day: string) => countOn(personTimeline(events).intervals, day);

describe('custody and counting for one person', () => {
  const story = [
    ev('detained', '2020-08-10'),
    ev('recognized', '2020-09-01'),
    ev('sentenced', '2021-01-15'),
    ev('released', '2023-08-10'),
  ];

  it('is in custody from the day of detention, political from recognition', () => {
    assert.equal(statusOn(story, '2020-08-09').in_custody, 0);
    assert.equal(statusOn(story, '2020-08-10').in_custody, 1);
    assert.equal(statusOn(story, '2020-08-31').political_prisoners, 0);
    assert.equal(statusOn(story, '2020-09-01').political_prisoners, 1);
  });

  it('is released at the end of the release day and then counts as a released political prisoner', () => {
    assert.deepEqual(statusOn(story, '2023-08-09'), {
      date: '2023-08-09', in_custody: 1, political_prisoners: 1, released_political_prisoners: 0, died_in_custody: 0,
    });
    assert.deepEqual(statusOn(story, '2023-08-10'), {
      date: '2023-08-10', in_custody: 0, political_prisoners: 0, released_political_prisoners: 1, died_in_custody: 0,
    });
  });

  it('applies events of one day in the order they were recorded', () => {
    const releasedThenRedetained = [ev('detained', '2021-01-01'), ev('released', '2021-03-01'), ev('detained', '2021-03-01')];
    assert.equal(statusOn(releasedThenRedetained, '2021-03-01').in_custody, 1);
    const detainedThenReleased = [ev('detained', '2021-03-01'), ev('released', '2021-03-01')];
    assert.equal(statusOn(detainedThenReleased, '2021-03-01').in_custody, 0);
  });

  it('ignores the order events are given in', () => {
    const shuffled = [story[3]!, story[0]!, story[2]!, story[1]!];
    assert.deepEqual(personTimeline(shuffled).intervals, personTimeline(story).intervals);
  });

  it('does not count someone recognised and released on the same day as ever political', () => {
    const sameDay = [ev('detained', '2021-05-01'), ev('recognized', '2021-05-03'), ev('released', '2021-05-03')];
    assert.equal(statusOn(sameDay, '2022-01-01').released_political_prisoners, 0);
  });

  it('ends custody on expulsion and counts an expelled political prisoner as released', () => {
    const expelled = [ev('detained', '2021-01-01'), ev('recognized', '2021-02-01'), ev('expelled', '2025-09-11')];
    const after = statusOn(expelled, '2025-09-11');
    assert.equal(after.in_custody, 0);
    assert.equal(after.released_political_prisoners, 1);
  });

  it('counts a re-arrested released prisoner in custody again, not as released', () => {
    const rearrested = [
      ev('detained', '2021-01-01'), ev('recognized', '2021-02-01'), ev('released', '2022-01-01'), ev('detained', '2024-05-05'),
    ];
    const on = statusOn(rearrested, '2024-06-01');
    assert.equal(on.political_prisoners, 1, 'recognition still stands after re-arrest');
    assert.equal(on.released_political_prisoners, 0);
    assert.equal(statusOn(rearrested, '2023-01-01').released_political_prisoners, 1);
  });

  it('stops counting as political after recognition is withdrawn, but not as released later', () => {
    const withdrawn = [ev('detained', '2021-01-01'), ev('recognized', '2021-02-01'), ev('recognition_withdrawn', '2021-06-01')];
    assert.equal(statusOn(withdrawn, '2021-06-01').political_prisoners, 0);
    assert.equal(statusOn(withdrawn, '2021-06-01').in_custody, 1);
  });

  it('counts death in custody, and a dead person neither in custody nor released', () => {
    const died = [ev('detained', '2021-01-01'), ev('recognized', '2021-02-01'), ev('died', '2022-03-03')];
    assert.deepEqual(statusOn(died, '2022-03-03'), {
      date: '2022-03-03', in_custody: 0, political_prisoners: 0, released_political_prisoners: 0, died_in_custody: 1,
    });
    const diedFree = [ev('detained', '2021-01-01'), ev('released', '2021-05-01'), ev('died', '2022-03-03')];
    assert.equal(statusOn(diedFree, '2023-01-01').died_in_custody, 0);
  });

  it('reports events it cannot make sense of', () => {
    const odd = personTimeline([ev('released', '2021-01-01'), ev('died', '2021-02-01'), ev('detained', '2021-03-01')]);
    assert.deepEqual(odd.anomalies.map((a) => a.problem), ['released while not in custody', 'event after the person died; ignored for status']);
    assert.equal(countOn(odd.intervals, '2021-04-01').in_custody, 0);
  });

  it('places a partial date on its first day', () => {
    const partial = [ev('detained', '2021-05'), ev('released', '2022')];
    assert.equal(statusOn(partial, '2021-04-30').in_custody, 0);
    assert.equal(statusOn(partial, '2021-05-01').in_custody, 1);
    assert.equal(statusOn(partial, '2022-01-01').in_custody, 0);
  });
});
