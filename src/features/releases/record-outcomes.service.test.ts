import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { tempFile } from '../../test-support/files.js';
import { runCli } from '../../test-support/cli.js';
import { importPersons } from '../import/persons.import.js';
import { importEvents } from '../import/events.import.js';
import { statsOn } from '../stats/stats.service.js';
import { createDeal, findDeal } from './deal.service.js';
import { reconcileLines } from './reconcile.service.js';
import { recordConfirmedOutcomes, recordDealOutcomes } from './record-outcomes.service.js';
import { tableCounts, writeMarks } from '../../test-support/store-state.js';
import { auditEntries, verifyAudit } from '../audit/audit.service.js';
import type { Store } from '../../store/connection.js';

const PEOPLE = [
  'external_id,family_name_be,given_name_be,patronymic_be,family_name_ru,given_name_ru,patronymic_ru',
  'x1,Лосік,Ігар,Аляксандравіч,Лосик,Игорь,Александрович',
  'x2,Бяляцкі,Алесь,Віктаравіч,Беляцкий,Алесь,Викторович',
  'x3,Знак,Максім,Валер\'евіч,Знак,Максим,Валерьевич',
].join('\n');
const EVENTS = ['person_external_id,type,date,organization', 'x1,detained,2020-06-25,', 'x1,recognized,2020-07-01,Viasna', 'x2,detained,2021-07-14,', 'x2,recognized,2021-07-20,Viasna', 'x3,detained,2020-09-09,'].join('\n');
const context = { actor: 'editor:anna', reason: 'published list of 2025-09-11' };

async function setUp(store: Store) {
  await importPersons(store, tempFile('p.csv', PEOPLE), { actor: 'test' });
  await importEvents(store, tempFile('e.csv', EVENTS), { actor: 'test' });
  return createDeal(store, {
    slug: '2025-09-11', date: '2025-09-11', facilitator: 'United States', envoy: null, counterpart: null, destinations: ['LT'],
    conditions: ['forced_expulsion'], summary: null, confidentiality: 'internal', people: [], concessions: [],
  }, context);
}

describeBothBackends('recording a reconciled list', (backend) => {
  it('records the expulsion of every confident match citing the deal, leaves the rest, and never twice', async () => {
    const store = await backend.fresh();
    const deal = await setUp(store);
    const list = ['Лосик Игорь Александрович', 'Беляцкий Алесь Викторович', 'Петров Пётр Петрович'];
    assert.equal((await statsOn(store, '2025-09-11')).political_prisoners, 2);
    const report = await recordDealOutcomes(store, '2025-09-11', await reconcileLines(store, list), { as: 'expelled', country: 'LT' }, context);
    assert.deepEqual(report.recorded.map((r) => r.external_id), ['x1', 'x2']);
    assert.deepEqual(report.needs_decision.map((d) => [d.line, d.status]), [[3, 'unmatched']]);

    const counts = await statsOn(store, '2025-09-11');
    assert.deepEqual([counts.political_prisoners, counts.released_political_prisoners, counts.in_custody], [0, 2, 1]);
    const events = await store.db.selectFrom('event').select(['type', 'country', 'reason', 'deal_id']).where('deal_id', '=', deal.id).execute();
    assert.deepEqual(events.map((e) => [e.type, e.country, e.reason]), [['expelled', 'LT', 'negotiated'], ['expelled', 'LT', 'negotiated']]);
    const updated = await findDeal(store, deal.id);
    assert.equal(updated.people.length, 2);
    assert.equal(updated.version, 2);

    const again = await recordDealOutcomes(store, '2025-09-11', await reconcileLines(store, list), { as: 'expelled', country: 'LT' }, context);
    assert.deepEqual([again.recorded.length, again.already_recorded.length], [0, 2]);
    assert.equal((await findDeal(store, deal.id)).version, 2, 'a repeated run does not touch the deal');
    assert.equal((await auditEntries(store.db, { limit: 100, action: 'create' })).filter((e) => e.entity === 'event').length, 2);
    assert.equal((await verifyAudit(store.db)).ok, true);
  });

  it('refuses an expulsion without a country and an unknown deal, writing nothing', async () => {
    const store = await backend.fresh();
    await setUp(store);
    const entries = await reconcileLines(store, ['Лосик Игорь Александрович']);
    await assert.rejects(recordDealOutcomes(store, '2025-09-11', entries, { as: 'expelled' }, context), /country: an expulsion needs the country/);
    await assert.rejects(recordDealOutcomes(store, 'no-such-deal', entries, { as: 'released' }, context), /deal no-such-deal was not found/);
    assert.equal((await store.db.selectFrom('event').select('id').where('deal_id', 'is not', null).execute()).length, 0);
  });

  it('works from the command line', async () => {
    const store = await backend.fresh();
    await setUp(store);
    const list = tempFile('list.txt', '1. Знак Максим Валерьевич\n2. Иванов Иван\n');
    const result = await runCli(['deals', 'record', '2025-09-11', list, '--as', 'released', '--json'], { database: backend.lastLocation.database });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.recorded, [{ line: 1, external_id: 'x3' }]);
    assert.equal(report.needs_decision[0].line, 2);
    await store.close();
  });
});

describeBothBackends('recording confirmed lines', (backend) => {
  it('records every pair a person confirmed, including an uncertain line decided by hand, in one edit of the deal', async () => {
    const store = await backend.fresh();
    const deal = await setUp(store);
    // A family name alone is not enough to match; the documenter knows who is meant and picks the candidate offered.
    const entries = await reconcileLines(store, ['Лосик Игорь Александрович', 'Беляцкий']);
    assert.deepEqual([entries[1]!.status, entries[1]!.external_id], ['unmatched', null]);
    const decided = entries[1]!.candidates[0]?.external_id;
    assert.equal(decided, 'x2');
    const report = await recordConfirmedOutcomes(store, '2025-09-11', [{ line: 1, person: 'x1' }, { line: 2, person: decided! }], { as: 'released' }, context);
    assert.deepEqual(report.recorded, [{ line: 1, external_id: 'x1' }, { line: 2, external_id: 'x2' }]);
    const events = await store.db.selectFrom('event').select(['person_id', 'type', 'deal_id', 'reason']).where('deal_id', '=', deal.id).orderBy('id').execute();
    assert.deepEqual(events.map((e) => [e.type, e.reason]), [['released', 'negotiated'], ['released', 'negotiated']]);
    const after = await findDeal(store, deal.id);
    assert.deepEqual([after.version, after.people.length], [2, 2], 'one versioned edit of the deal names both');
    const again = await recordConfirmedOutcomes(store, '2025-09-11', [{ line: 1, person: 'x1' }, { line: 2, person: 'x2' }], { as: 'released' }, context);
    assert.deepEqual([again.recorded.length, again.already_recorded.length, (await findDeal(store, deal.id)).version], [0, 2, 2]);
  });

  it('rejects the whole list when one pair is wrong, writing nothing', async () => {
    const store = await backend.fresh();
    const deal = await setUp(store);
    // x3's record was merged into x1: confirming the old record is a mistake to point out.
    await store.db.updateTable('person').set({ merged_into: (await store.db.selectFrom('person').select('id').where('external_id', '=', 'x1').executeTakeFirstOrThrow()).id }).where('external_id', '=', 'x3').execute();
    const before = await tableCounts(store);
    const marks = await writeMarks(store);
    const wrong: [{ line: number; person: string }[], RegExp][] = [
      [[{ line: 1, person: 'x1' }, { line: 2, person: 'nobody' }], /line 2: there is no person with external id nobody/],
      [[{ line: 1, person: 'x1' }, { line: 4, person: 'x1' }], /lines 1 and 4 both name x1; confirm one of them/],
      [[{ line: 1, person: 'x1' }, { line: 1, person: 'x2' }], /line 1: confirmed twice/],
      [[{ line: 1, person: 'x2' }, { line: 2, person: 'x3' }], /line 2: x3 was merged into another record/],
      [[{ line: 0, person: 'x2' }], /line: 0 is not a line number/],
    ];
    for (const [pairs, message] of wrong) {
      await assert.rejects(recordConfirmedOutcomes(store, '2025-09-11', pairs, { as: 'expelled', country: 'LT' }, context), message);
    }
    assert.deepEqual(await tableCounts(store), before);
    assert.deepEqual(await writeMarks(store), marks);
    assert.equal((await findDeal(store, deal.id)).version, 1);
  });
});
