import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { countPersons } from '../../store/person.repository.js';
import { statsOn } from '../stats/stats.service.js';
import { holdsDemoData, loadDemo, loadDemoIfEmpty } from './demo.service.js';
import { importPersons } from '../import/persons.import.js';
import { tempFile } from '../../test-support/files.js';
import type { Store } from '../../store/connection.js';
import { OPERATOR } from '../../domain/policy.js';
import { releaseReport } from '../releases/reports.service.js';
import { buildApp } from '../../web/app.js';

/** The three fictional 2025 deals: public, marked fictional, with concessions, and counts that agree with the events. */
async function checkDemoDeals(store: Store): Promise<void> {
  const deals = await store.db.selectFrom('release_deal').selectAll().orderBy('date').execute();
  assert.deepEqual(deals.map((deal) => deal.date), ['2025-06-21', '2025-09-11', '2025-12-13']);
  for (const deal of deals) {
    assert.equal(deal.confidentiality, 'public');
    assert.match(deal.summary ?? '', /FICTIONAL/);
    const concessions = await store.db.selectFrom('deal_concession').innerJoin('sanction_measure', 'sanction_measure.id', 'deal_concession.measure_id')
      .select(['issuer', 'description']).where('deal_id', '=', deal.id).execute();
    assert.ok(concessions.length > 0 && concessions.every((c) => c.issuer === 'US' && /FICTIONAL/.test(c.description ?? '')), `${deal.slug}: concessions`);
    const freed = await store.db.selectFrom('event').select(['person_id', 'confidentiality']).where('deal_id', '=', deal.id).where('type', 'in', ['released', 'expelled']).execute();
    const listed = await store.db.selectFrom('deal_person').select('person_id').where('deal_id', '=', deal.id).where('outcome', '=', 'released').execute();
    assert.deepEqual(freed.map((e) => e.person_id).sort((a, b) => a - b), listed.map((p) => p.person_id).sort((a, b) => a - b), `${deal.slug}: the freed are the deal's released`);
    assert.ok(freed.every((e) => e.confidentiality === 'public'));
  }
  const unlinked = await store.db.selectFrom('event').select('id').where('type', '=', 'expelled').where('deal_id', 'is', null).execute();
  assert.deepEqual(unlinked, [], 'every demo expulsion belongs to a deal');
  const refused = await store.db.selectFrom('deal_person').select('person_id').where('outcome', '=', 'refused_expulsion').execute();
  assert.ok(refused.length >= 1, 'some refused expulsion');
  const report = await releaseReport(store, OPERATOR, '2026-11-25');
  const sizes = report.deals.map((deal) => deal.released + deal.expelled);
  assert.ok(sizes[0]! < sizes[1]! && sizes[1]! < sizes[2]!, `the deals grow: ${sizes.join(', ')}`);
  const to = (code: string) => report.deals.reduce((sum, deal) => sum + (deal.destinations[code] ?? 0), 0);
  assert.ok(to('LT') > 0 && to('UA') > 0, 'expelled to Lithuania and Ukraine');
  const app = await buildApp({ store });
  const page = await app.inject({ method: 'GET', url: '/releases?lang=en' });
  assert.equal(page.statusCode, 200);
  for (const deal of deals) assert.ok(page.body.includes(`href="/releases/${deal.slug}?lang=en"`), `${deal.slug} is listed`);
  await app.close();
}

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
    await checkDemoDeals(store);
  });

  it('is never mixed into a store that holds real records', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', 'external_id,name_latin\nr1,Real Person\n'), { actor: 'test' });
    assert.equal(await loadDemoIfEmpty(store), false);
    assert.equal(await countPersons(store.db), 1);
    assert.equal(await holdsDemoData(store), false);
  });
});
