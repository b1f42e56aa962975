import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { countOn } from '../domain/counting.js';
import type { StatusInterval, StatusKind } from '../domain/custody.js';
import { createEvent, updateEvent } from '../features/events/event.service.js';
import { importEvents } from '../features/import/events.import.js';
import { importPersons } from '../features/import/persons.import.js';
import { mergePeople, unmergePerson } from '../features/duplicates/duplicates.service.js';
import { monthlySeries } from '../features/stats/stats.service.js';
import { tempFile } from '../test-support/files.js';
import { statusMismatches } from '../test-support/store-state.js';
import { describeBothBackends } from '../test-support/stores.js';
import type { Store } from './connection.js';
import { migrateToLatest } from './migrations.js';
import { countsOn } from './status.repository.js';

const context = { actor: 'test', reason: 'test' };
const PEOPLE = ['p1', 'p2', 'p3', 'p4'];

async function storedIntervals(store: Store): Promise<StatusInterval[]> {
  const rows = await store.db.selectFrom('status_interval').select(['kind', 'start_day', 'end_day']).execute();
  return rows.map((row) => ({ kind: row.kind as StatusKind, start: row.start_day, end: row.end_day }));
}

/** Counts from the stored counts-by-day equal a scan over every stored interval, on every day given. */
async function assertCountsAgree(store: Store, days: readonly string[]): Promise<void> {
  const intervals = await storedIntervals(store);
  for (const day of days) assert.deepEqual(await countsOn(store.db, day), countOn(intervals, day), `counts on ${day}`);
  const series = await monthlySeries(store, days[0]!, days.at(-1));
  for (const counts of series) assert.deepEqual(counts, countOn(intervals, counts.date), `series on ${counts.date}`);
}

async function withPeople(store: Store): Promise<Map<string, number>> {
  const csv = `external_id,family_name_be,given_name_be\n${PEOPLE.map((id, i) => `${id},Прозвішча${i},Імя`).join('\n')}\n`;
  await importPersons(store, tempFile('persons.csv', csv), { actor: 'test' });
  const rows = await store.db.selectFrom('person').select(['id', 'external_id']).execute();
  return new Map(rows.map((row) => [row.external_id, row.id]));
}

const day = fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(2021, 0, 1 + n * 11)).toISOString().slice(0, 10));
const person = fc.constantFrom(...PEOPLE);
const step = fc.oneof(
  fc.record({
    op: fc.constant('event' as const),
    person,
    type: fc.constantFrom('detained', 'sentenced', 'released', 'recognized', 'recognition_withdrawn', 'died', 'expelled'),
    date: day,
  }),
  fc.record({ op: fc.constant('move' as const), date: day }),
  fc.record({ op: fc.constant('merge' as const), keep: person, duplicate: person }),
  fc.record({ op: fc.constant('unmerge' as const), person }),
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

async function apply(store: Store, ids: Map<string, number>, s: Step): Promise<void> {
  switch (s.op) {
    case 'event':
      await createEvent(store, ids.get(s.person)!, { type: s.type, date: s.date, ...(s.type === 'expelled' ? { country: 'LT' } : {}) }, context);
      return;
    case 'move': {
      // The newest event moves to another day: the old intervals go, new ones come.
      const event = await store.db.selectFrom('event').select(['id', 'version']).orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (event) await updateEvent(store, event.id, event.version, { date: s.date }, context);
      return;
    }
    case 'merge':
      // Refused merges (the same record, one already merged) change nothing and are part of the test.
      await mergePeople(store, s.keep, s.duplicate, context).catch(() => {});
      return;
    case 'unmerge':
      await unmergePerson(store, s.person, context).catch(() => {});
      return;
  }
}

describeBothBackends('counts kept by day beside the status intervals', (backend) => {
  it('agree with the intervals after any sequence of events, corrections, merges and unmerges', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const store = await backend.fresh();
        const ids = await withPeople(store);
        for (const s of steps) await apply(store, ids, s);
        assert.deepEqual(await statusMismatches(store), []);
        await assertCountsAgree(store, ['2020-12-31', '2021-01-01', '2021-06-15', '2022-03-01', '2022-10-20', '2023-01-01']);
      }),
      { numRuns: 25 },
    );
  });

  it('agree with the intervals after an import that adds events to people who had some', async () => {
    const store = await backend.fresh();
    const ids = await withPeople(store);
    await createEvent(store, ids.get('p1')!, { type: 'detained', date: '2021-03-01' }, context);
    await createEvent(store, ids.get('p2')!, { type: 'recognized', date: '2021-04-01' }, context);
    const csv = [
      'person_external_id,type,date,reason',
      'p1,released,2021-09-01,pardon',
      'p2,detained,2021-02-01,',
      'p3,detained,2021-05-05,',
      'p3,recognized,2021-05-20,',
    ].join('\n');
    await importEvents(store, tempFile('events.csv', `${csv}\n`), { actor: 'test' });
    assert.deepEqual(await statusMismatches(store), []);
    await assertCountsAgree(store, ['2021-01-31', '2021-03-01', '2021-05-19', '2021-05-20', '2021-08-31', '2021-09-01', '2022-01-01']);
    const counts = await countsOn(store.db, '2021-06-01');
    // Worked out by hand: p1, p2 and p3 held; p2 and p3 recognised.
    assert.deepEqual(counts, { date: '2021-06-01', in_custody: 3, political_prisoners: 2, released_political_prisoners: 0, died_in_custody: 0 });
  });

  it('are filled from the intervals already stored when a store from before them is migrated', async () => {
    const store = await backend.fresh();
    const ids = await withPeople(store);
    await createEvent(store, ids.get('p1')!, { type: 'detained', date: '2021-03-01' }, context);
    await createEvent(store, ids.get('p1')!, { type: 'recognized', date: '2021-03-10' }, context);
    await createEvent(store, ids.get('p1')!, { type: 'released', date: '2022-01-05', reason: 'pardon' }, context);
    await createEvent(store, ids.get('p2')!, { type: 'detained', date: '2021-07-01' }, context);
    // As a store looked before 0008: no counts by day, and neither 0008 nor any later migration applied.
    await sql`DROP TABLE status_count_change`.execute(store.db);
    for (const index of ['event_import_batch_idx', 'event_type_date_idx', 'event_deal_idx', 'status_interval_holding_idx']) await sql.raw(`DROP INDEX ${index}`).execute(store.db);
    await sql`CREATE INDEX status_interval_start_idx ON status_interval (kind, start_day)`.execute(store.db);
    await store.db.deleteFrom('kysely_migration' as never).where('name' as never, '>=', '0008' as never).execute();
    await migrateToLatest(store);
    assert.deepEqual(await statusMismatches(store), []);
    assert.deepEqual(await countsOn(store.db, '2021-12-31'), { date: '2021-12-31', in_custody: 2, political_prisoners: 1, released_political_prisoners: 0, died_in_custody: 0 });
    assert.deepEqual(await countsOn(store.db, '2022-01-05'), { date: '2022-01-05', in_custody: 1, political_prisoners: 0, released_political_prisoners: 1, died_in_custody: 0 });
  });
});
