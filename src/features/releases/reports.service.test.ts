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
import type { Store } from '../../store/connection.js';
import type { Level } from '../../domain/confidentiality.js';
import { createPerson } from '../persons/person.service.js';
import { createEvent } from '../events/event.service.js';
import { recordConfirmedOutcomes } from './record-outcomes.service.js';
import { auditEntries } from '../audit/audit.service.js';

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

/** A restricted deal, a person held on a restricted detention, a re-arrest on a restricted detention. */
async function viewerFixture(store: Store) {
  const person = (external_id: string, family: string, confidentiality: Level = 'internal') =>
    createPerson(store, { external_id, birth_date: null, gender: 'unknown', region: null, occupation: null, tags: [], biography: {}, publish: false, confidentiality, field_levels: {}, names: [{ family, given: 'Test', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'internal' }] }, ctx);
  const event = (id: number, type: string, date: string, confidentiality: Level = 'internal', extra: object = {}) => createEvent(store, id, { type, date, confidentiality, ...extra }, ctx);
  const [a, b, c, d] = [await person('v1', 'Адкрытая'), await person('v2', 'Схаваная'), await person('v3', 'Затрыманая'), await person('v4', 'Паўторная')];
  for (const p of [a, b, c, d]) await event(p.id, 'detained', '2021-01-01');
  const deal = { date: '2025-09-11', facilitator: 'United States', envoy: null, counterpart: null, destinations: ['LT'], conditions: [], summary: null, concessions: [] };
  await createDeal(store, { ...deal, slug: 'open-deal', confidentiality: 'internal', people: [{ person: 'v3', outcome: 'asked_not_released', note: null }, { person: 'v1', outcome: 'asked_not_released', note: null }] }, ctx);
  await createDeal(store, { ...deal, slug: 'secret-deal', confidentiality: 'restricted', people: [{ person: 'v2', outcome: 'asked_not_released', note: null }] }, ctx);
  await recordConfirmedOutcomes(store, 'open-deal', [{ line: 1, person: 'v4' }], { as: 'expelled', country: 'LT' }, ctx);
  // The expulsion itself is internal knowledge; the deal behind it is not.
  await recordConfirmedOutcomes(store, 'secret-deal', [{ line: 1, person: 'v1' }], { as: 'expelled', country: 'UA', date: '2025-09-12', level: 'internal' }, ctx);
  // v1 (released by the secret deal) and v4 (by the open one) are detained again; v3 is held on a restricted detention.
  await event(a.id, 'detained', '2025-10-01');
  await event(d.id, 'detained', '2025-11-01', 'restricted');
  await store.db.updateTable('event').set({ confidentiality: 'restricted' }).where('person_id', '=', c.id).where('type', '=', 'detained').execute();
}

describeBothBackends('release reports per viewer', (backend) => {
  it('leaves restricted deals out for a researcher, names only what the viewer may see, and audits restricted reads for an editor', async () => {
    const store = await backend.fresh();
    await viewerFixture(store);
    const app = await buildApp({ store });
    const researcher = await memberWithToken(app, store, 'r@example.org', 'researcher');
    const editor = await memberWithToken(app, store, 'ed@example.org', 'editor');
    const get = (url: string, headers: object) => app.inject({ method: 'GET', url, headers: headers as Record<string, string> });

    const forResearcher = await get('/api/v1/reports/releases?on=2025-12-31', researcher);
    assert.equal(forResearcher.statusCode, 200, forResearcher.body);
    assert.ok(!forResearcher.body.includes('secret-deal'), 'the restricted deal is nowhere in the report');
    const r = forResearcher.json();
    assert.deepEqual(r.deals.map((d: { slug: string }) => d.slug), ['open-deal']);
    const open = r.deals[0];
    assert.deepEqual([open.expelled, open.destinations, open.asked_for], [1, { LT: 1 }, 3], 'counts of a visible deal include everyone');
    assert.deepEqual([open.still_held.map((p: { external_id: string }) => p.external_id), open.still_held_not_shown], [['v1'], 2], 'v3 and v4 are held on restricted detentions: counted, not named');
    assert.deepEqual(r.rearrested.map((x: { person: { external_id: string }; deal: string | null }) => [x.person.external_id, x.deal]), [['v1', null]], 'the deal that freed v1 is not named; v4 was detained again on a restricted event');
    assert.equal(r.rearrested_not_shown, 1);
    assert.equal((await get('/api/v1/reports/releases?deal=secret-deal', researcher)).statusCode, 404, 'a restricted deal is answered like a missing one');
    const html = await get('/api/v1/reports/releases.html?on=2025-12-31', researcher);
    assert.equal(html.statusCode, 200);
    assert.ok(!html.body.includes('secret-deal') && !html.body.includes('Схаваная'), 'nor in the printable report');
    assert.equal((await auditEntries(store.db, { limit: 100, action: 'read_restricted' })).length, 0, 'the researcher was shown nothing restricted');

    const e = (await get('/api/v1/reports/releases?on=2025-12-31', editor)).json();
    assert.deepEqual(e.deals.map((d: { slug: string }) => d.slug), ['open-deal', 'secret-deal']);
    assert.deepEqual(e.deals[0].still_held.map((p: { external_id: string }) => p.external_id), ['v1', 'v3', 'v4']);
    assert.deepEqual(e.rearrested.map((x: { person: { external_id: string }; deal: string | null }) => [x.person.external_id, x.deal]), [['v1', 'secret-deal'], ['v4', 'open-deal']]);
    const reads = await auditEntries(store.db, { limit: 100, action: 'read_restricted' });
    assert.deepEqual(reads.map((entry) => entry.entity).sort(), ['deal', 'event', 'event'], 'the restricted deal and the two restricted detentions shown');
    assert.ok(reads.every((entry) => entry.actor === 'ed@example.org'));

    const one = (await get('/api/v1/reports/releases?on=2025-12-31&deal=open-deal', editor)).json();
    assert.deepEqual([one.deal, one.deals.length, one.rearrested.map((x: { person: { external_id: string } }) => x.person.external_id)], ['open-deal', 1, ['v4']], "one deal's re-arrests are the people it freed");
    await app.close();
  });

  it('serves the timeline as CSV for analysts, without the deals the viewer may not see', async () => {
    const store = await backend.fresh();
    await viewerFixture(store);
    const app = await buildApp({ store });
    const researcher = await memberWithToken(app, store, 'r@example.org', 'researcher');
    await store.db.insertInto('sanction_measure').values({ issuer: '@SUM(A1)', target: 'Belavia', description: null, imposed_on: '2021-06-24', eased_on: null, lifted_on: null, reimposed_on: null, version: 1, created_at: 'x', updated_at: 'x' }).execute();
    const csv = await app.inject({ method: 'GET', url: '/api/v1/reports/timeline.csv?from=2025-08-01&to=2025-10-31', headers: researcher });
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    const lines = csv.body.trim().split('\n');
    assert.equal(lines[0], 'date,in_custody,political_prisoners,released_political_prisoners,died_in_custody,arrests,released_by_deals,expelled_by_deals,deals,sanction_changes');
    assert.deepEqual(lines.slice(1).map((line) => line.split(',')[0]), ['2025-08-31', '2025-09-30', '2025-10-31']);
    const september = lines[2]!.split(',');
    assert.deepEqual([september[1], september[7], september[8]], ['2', '1', 'open-deal'], 'in custody 2 after the expulsions (v2, v3 held); one expulsion by a deal the researcher may see');
    assert.ok(!csv.body.includes('secret-deal'));
    const json = await app.inject({ method: 'GET', url: '/api/v1/reports/timeline?from=2021-06-01&to=2021-06-30', headers: researcher });
    assert.deepEqual(json.json().months[0].sanction_changes, ['@SUM(A1) imposed Belavia']);
    const june = await app.inject({ method: 'GET', url: '/api/v1/reports/timeline.csv?from=2021-06-01&to=2021-06-30', headers: researcher });
    assert.match(june.body, /,'@SUM\(A1\) imposed Belavia\r?\n/, 'a text typed in is never a live formula in a spreadsheet');
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/reports/timeline.csv' })).statusCode, 401);
    await app.close();
  });
});
