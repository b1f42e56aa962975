import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { tempFile } from '../../test-support/files.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { importPersons } from '../import/persons.import.js';
import { importEvents } from '../import/events.import.js';
import { createDeal } from './deal.service.js';
import { reconcileLines } from './reconcile.service.js';
import { recordDealOutcomes } from './record-outcomes.service.js';
import { releaseReport } from './reports.service.js';
import { OPERATOR } from '../../domain/policy.js';
import { buildApp } from '../../web/app.js';

const PEOPLE = [
  'external_id,family_name_ru,given_name_ru,patronymic_ru',
  'y1,Лосик,Игорь,Александрович',
  'y2,Беляцкий,Алесь,Викторович',
  'y3,Знак,Максим,Валерьевич',
  'y4,Статкевич,Николай,Викторович',
].join('\n');
const EVENTS = [
  'person_external_id,type,date,country,reason',
  'y1,detained,2020-06-25,,', 'y2,detained,2021-07-14,,', 'y3,detained,2020-09-09,,', 'y4,detained,2020-05-31,,',
  // y4 was released in 2021 and arrested again in 2022
  'y4,released,2021-01-10,,end_of_term', 'y4,detained,2022-03-03,,',
].join('\n');
const ctx = { actor: 'editor:anna', reason: 'list published on the day' };

describeBothBackends('release reports', (backend) => {
  it('counts released and expelled by deal and destination, names who is still held, and finds re-arrests', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', PEOPLE), { actor: 'test' });
    await importEvents(store, tempFile('e.csv', EVENTS), { actor: 'test' });
    const deal = await createDeal(store, {
      slug: 'sept-2025', date: '2025-09-11', facilitator: 'United States', envoy: null, counterpart: null, destinations: ['LT'], conditions: [],
      summary: null, confidentiality: 'internal', concessions: [],
      people: [{ person: 'y3', outcome: 'asked_not_released', note: null }],
    }, ctx);
    await recordDealOutcomes(store, 'sept-2025', await reconcileLines(store, ['Лосик Игорь Александрович']), { as: 'expelled', country: 'LT' }, ctx);
    await recordDealOutcomes(store, 'sept-2025', await reconcileLines(store, ['Беляцкий Алесь Викторович']), { as: 'expelled', country: 'UA' }, ctx);

    const report = await releaseReport(store, OPERATOR, '2025-12-31');
    const summary = report.deals.find((d) => d.slug === deal.slug)!;
    assert.deepEqual([summary.released, summary.expelled, summary.destinations], [0, 2, { LT: 1, UA: 1 }]);
    assert.equal(summary.asked_for, 3);
    assert.deepEqual(summary.still_held.map((p) => p.external_id), ['y3'], 'asked for, not released, still held');
    assert.deepEqual(report.rearrested.map((r) => [r.person.external_id, r.released_on, r.detained_again_on]), [['y4', '2021-01-10', '2022-03-03']]);
    const before = await releaseReport(store, OPERATOR, '2025-09-10');
    assert.equal(before.deals[0]!.expelled, 0, 'a report for an earlier day does not count later releases');
  });

  it('is served to team members and names only people the viewer may see', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', PEOPLE), { actor: 'test' });
    await importEvents(store, tempFile('e.csv', EVENTS), { actor: 'test' });
    await store.db.updateTable('person').set({ confidentiality: 'restricted' }).where('external_id', '=', 'y4').execute();
    const app = await buildApp({ store });
    const volunteer = await memberWithToken(app, store, 'v@example.org', 'volunteer');
    const editor = await memberWithToken(app, store, 'ed@example.org', 'editor');
    const forVolunteer = (await app.inject({ method: 'GET', url: '/api/v1/reports/releases?on=2025-12-31', headers: volunteer })).json();
    assert.deepEqual([forVolunteer.rearrested.length, forVolunteer.rearrested_not_shown], [0, 1]);
    const forEditor = (await app.inject({ method: 'GET', url: '/api/v1/reports/releases?on=2025-12-31', headers: editor })).json();
    assert.equal(forEditor.rearrested[0].person.external_id, 'y4');
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/reports/releases' })).statusCode, 401);
    await app.close();
  });
});

describeBothBackends('release timeline', (backend) => {
  it('puts arrests, deal releases and sanction changes in their months beside the counts', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', PEOPLE), { actor: 'test' });
    await importEvents(store, tempFile('e.csv', EVENTS), { actor: 'test' });
    await createDeal(store, {
      slug: 'sept-2025', date: '2025-09-11', facilitator: 'United States', envoy: null, counterpart: null, destinations: ['LT'], conditions: [],
      summary: null, confidentiality: 'internal', concessions: [], people: [],
    }, ctx);
    await recordDealOutcomes(store, 'sept-2025', await reconcileLines(store, ['Лосик Игорь Александрович']), { as: 'expelled', country: 'LT' }, ctx);
    await store.db.insertInto('sanction_measure').values({ issuer: 'US', target: 'Belavia', description: null, imposed_on: '2021-08-09', eased_on: '2025-09-11', lifted_on: null, reimposed_on: null, version: 1, created_at: 'x', updated_at: 'x' }).execute();
    const { releaseTimeline } = await import('./timeline.service.js');
    const months = await releaseTimeline(store, OPERATOR, '2020-05-01', '2025-10-15');
    const byMonth = (m: string) => months.find((row) => row.date.startsWith(m))!;
    assert.equal(byMonth('2020-05').arrests, 1);
    assert.equal(byMonth('2022-03').arrests, 1, 'the re-arrest');
    assert.deepEqual([byMonth('2025-09').expelled_by_deals, byMonth('2025-09').deals, byMonth('2025-09').sanction_changes], [1, ['sept-2025'], ['US eased Belavia']]);
    assert.equal(byMonth('2025-08').in_custody - byMonth('2025-09').in_custody, 1);
    assert.equal(months.at(-1)!.date, '2025-10-15');
    const csv = await (await import('../../test-support/cli.js')).runCli(['deals', 'timeline', '--from', '2025-08-01', '--to', '2025-09-30'], { database: backend.lastLocation.database });
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stdout.split('\n')[0]!, /^date,in_custody,political_prisoners,released_political_prisoners,died_in_custody,arrests,released_by_deals,expelled_by_deals,deals,sanction_changes$/);
    assert.match(csv.stdout, /2025-09-30,.*,sept-2025,US eased Belavia/);
  });
});
