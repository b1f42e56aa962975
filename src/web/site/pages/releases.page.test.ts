/**
 * The public releases pages: public deals with their counts and concessions, non-public deals nowhere,
 * the freed and the still-held named only when published (and only from public facts), in three languages.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../../test-support/stores.js';
import { tempFile } from '../../../test-support/files.js';
import type { Store } from '../../../store/connection.js';
import { buildApp } from '../../app.js';
import { importPersons } from '../../../features/import/persons.import.js';
import { importEvents } from '../../../features/import/events.import.js';
import { createDeal } from '../../../features/releases/deal.service.js';
import { createSanction } from '../../../features/releases/sanction.service.js';
import { recordDealOutcomes } from '../../../features/releases/record-outcomes.service.js';
import type { ReconcileEntry } from '../../../features/releases/reconcile.service.js';
import { rebuildStatus } from '../../../store/status.repository.js';

const NOCONSENT = 'NOCONSENTMARKER';
const INTERNAL = 'INTERNALMARKER';
const HIDDEN_DEAL = 'DEALMARKER';
const HIDDEN_MEASURE = 'MEASUREMARKER';
const QUIET_REARREST = 'REARRESTMARKER';
const QUIET_HELD = 'HELDMARKER';
const ctx = { actor: 'editor:test', reason: 'list published on the day' };

const PEOPLE = [
  'external_id,name_latin,publish',
  'pub1,Ihar Losik,yes', // freed, expelled to LT, the event made public
  'pub2,Ales Bialiatski,yes', // asked for, not released, still held
  'pub3,Mikola Statkevich,yes', // refused expulsion, taken back
  'pub4,Maksim Znak,yes', // freed, expelled, the event left internal
  `nc1,Anna ${NOCONSENT}one,no`, // freed, expelled to UA, no consent
  `nc2,Olga ${NOCONSENT}two,no`, // asked for, still held, no consent
  `int1,Pavel ${INTERNAL},yes`, // freed, stayed in Belarus; record internal
  'quiet1,Viktar Babaryka,yes', // freed by the non-public deal only
  'again1,Siarhei Again,yes', // released and detained again, all public
  `again2,Ivan ${QUIET_REARREST},yes`, // released, detained again by an internal event
  `again3,Nina ${NOCONSENT}three,no`, // released and detained again, no consent
  `hid1,Petra ${QUIET_HELD},yes`, // asked for, held, but only an internal event says so
].join('\n');

const held = (id: string) => [`${id},detained,2021-03-01,,,`, `${id},recognized,2021-04-01,,,Viasna`];
const EVENTS = [
  'person_external_id,type,date,country,reason,organization',
  ...['pub1', 'pub2', 'pub3', 'pub4', 'nc1', 'nc2', 'int1', 'quiet1'].flatMap(held),
  'pub3,released,2025-09-11,,negotiated,', 'pub3,detained,2025-09-13,,,',
  ...['again1', 'again2', 'again3'].flatMap(held),
  'again1,released,2022-01-10,,end_of_term,', 'again1,detained,2023-02-02,,,',
  'again2,released,2022-01-10,,end_of_term,',
  'again3,released,2022-01-10,,end_of_term,', 'again3,detained,2023-02-02,,,',
].join('\n');

function matched(ids: readonly string[]): ReconcileEntry[] {
  return ids.map((id, i) => ({ line: i + 1, text: id, external_id: id, score: 1, status: 'matched', reason: null, candidates: [], same_person_as_line: null }));
}

/** A detention only the team may see (as a documenter would record it before publishing). */
async function internalDetention(store: Store, externalId: string, date: string): Promise<void> {
  const person = await store.db.selectFrom('person').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow();
  await store.db.insertInto('event').values({
    person_id: person.id, type: 'detained', date, facility_id: null, case_id: null, deal_id: null, articles: '[]', term_months: null, regime: null,
    reason: null, country: null, organization: null, note: null, confidentiality: 'internal', import_key: null, import_batch_id: null, version: 1, created_at: 'x', updated_at: 'x',
  }).execute();
  await rebuildStatus(store.db, [person.id]);
}

async function seed(store: Store): Promise<void> {
  await importPersons(store, tempFile('p.csv', PEOPLE), { actor: 'test' });
  await importEvents(store, tempFile('e.csv', EVENTS), { actor: 'test' });
  await store.db.updateTable('person').set({ confidentiality: 'internal' }).where('external_id', '=', 'int1').execute();
  await internalDetention(store, 'again2', '2023-02-02');
  await internalDetention(store, 'hid1', '2021-03-01');

  const airline = await createSanction(store, { issuer: 'US', target: 'national airline', description: null, imposed_on: '2021-08-09', eased_on: null, lifted_on: '2025-09-11', reimposed_on: null }, ctx);
  const hidden = await createSanction(store, { issuer: 'US', target: HIDDEN_MEASURE, description: null, imposed_on: '2021-08-09', eased_on: '2025-10-01', lifted_on: null, reimposed_on: null }, ctx);
  await createDeal(store, {
    slug: 'sept-2025', date: '2025-09-11', facilitator: 'United States', envoy: 'Special envoy', counterpart: null, destinations: ['LT', 'UA'],
    conditions: ['forced_expulsion', 'passport_withheld'], summary: 'A public deal.', confidentiality: 'public',
    concessions: [{ measure_id: airline.id, action: 'lifted' }],
    people: [
      { person: 'pub2', outcome: 'asked_not_released', note: null },
      { person: 'nc2', outcome: 'asked_not_released', note: null },
      { person: 'hid1', outcome: 'asked_not_released', note: null },
      { person: 'pub3', outcome: 'refused_expulsion', note: null },
    ],
  }, ctx);
  // Outcomes of a public deal are public by default (pub1); one is recorded internal on purpose (pub4).
  await recordDealOutcomes(store, 'sept-2025', matched(['pub1']), { as: 'expelled', country: 'LT' }, ctx);
  await recordDealOutcomes(store, 'sept-2025', matched(['pub4']), { as: 'expelled', country: 'LT', level: 'internal' }, ctx);
  await recordDealOutcomes(store, 'sept-2025', matched(['nc1']), { as: 'expelled', country: 'UA' }, ctx);
  await recordDealOutcomes(store, 'sept-2025', matched(['int1']), { as: 'released' }, ctx);

  await createDeal(store, {
    slug: 'quiet-deal', date: '2025-10-01', facilitator: 'Somewhere', envoy: null, counterpart: null, destinations: ['PL'], conditions: [],
    summary: `${HIDDEN_DEAL} not public yet`, confidentiality: 'internal', concessions: [{ measure_id: hidden.id, action: 'eased' }], people: [],
  }, ctx);
  await recordDealOutcomes(store, 'quiet-deal', matched(['quiet1']), { as: 'expelled', country: 'PL' }, ctx);
}

/** The text of an element's cells, tags removed. */
function cells(rowHtml: string): string[] {
  return [...rowHtml.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
}

function section(page: string, id: string): string {
  const start = page.indexOf(`<section aria-labelledby="${id}">`);
  assert.ok(start >= 0, `section ${id} is on the page`);
  return page.slice(start, page.indexOf('</section>', start));
}

function rowsOf(part: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(part);
  return body ? [...body[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => cells(m[1]!)) : [];
}

describeBothBackends('public releases pages', (backend) => {
  it('list public deals with counts and concessions; hide non-public deals and unconsented people', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const list = await app.inject({ method: 'GET', url: '/releases?lang=en' });
    assert.equal(list.statusCode, 200);
    const page = list.body;
    const summary = /<caption>All negotiated releases[\s\S]*?<\/table>/.exec(page)![0];
    const rows = rowsOf(summary);
    assert.equal(rows.length, 1, 'only the public deal is listed');
    assert.deepEqual(rows[0], ['September 11, 2025', 'United States', '4', '3', 'Lithuania: 2, Ukraine: 1', '4']);
    assert.ok(page.includes('href="/releases/sept-2025?lang=en"'));
    assert.ok(page.includes('national airline') && />lifted</.test(page), 'the concession is shown');
    assert.ok(page.includes('forced expulsion') && page.includes('passports withheld'), 'conditions are translated');
    assert.ok(page.includes('Special envoy'));
    for (const marker of [HIDDEN_DEAL, HIDDEN_MEASURE, 'quiet-deal', NOCONSENT, INTERNAL, QUIET_REARREST, QUIET_HELD]) assert.ok(!page.includes(marker), `${marker} is not on /releases`);

    const rearrests = section(page, 'rearrests');
    // The refused expulsion counts too: custody ended on the deal day and started again two days later.
    assert.deepEqual(rowsOf(rearrests).map((row) => row[0]).sort(), ['Mikola Statkevich', 'Siarhei Again'], 'only re-arrests shown by public events are named');
    assert.ok(rearrests.includes('4 people who had been released were later detained again'));
    assert.ok(rearrests.includes('and 2 people who are not named publicly'));

    assert.equal((await app.inject({ method: 'GET', url: '/releases/quiet-deal?lang=en' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/releases/no-such-deal?lang=en' })).statusCode, 404);
    const hidden = await app.inject({ method: 'GET', url: '/releases/quiet-deal?lang=en' });
    assert.ok(!hidden.body.includes(HIDDEN_DEAL));
    await app.close();
  });

  it('name the freed and the still held only when published, counting everyone else', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const response = await app.inject({ method: 'GET', url: '/releases/sept-2025?lang=en' });
    assert.equal(response.statusCode, 200);
    const page = response.body;
    for (const marker of [NOCONSENT, INTERNAL, QUIET_HELD]) assert.ok(!page.includes(marker), `${marker} is not on the deal page`);

    const freed = section(page, 'freed');
    assert.ok(freed.includes('4 people freed'));
    assert.deepEqual(rowsOf(freed).sort(), [['Ihar Losik', 'Lithuania'], ['Maksim Znak', 'not known publicly']]);
    assert.ok(freed.includes('href="/prisoners/pub1?lang=en"'));
    assert.ok(freed.includes('and 2 people who are not named publicly'));

    const held = section(page, 'held');
    assert.ok(held.includes('4 people asked for are still held'));
    assert.deepEqual(rowsOf(held).map((row) => row.slice(0, 2)).sort(), [
      ['Ales Bialiatski', 'asked for, not released'],
      ['Mikola Statkevich', 'refused expulsion, taken back to prison'],
    ]);
    // nc2 (no consent) and hid1 (published, but only an internal event says they are held).
    assert.ok(held.includes('and 2 people who are not named publicly'));
    await app.close();
  });

  it('render in Belarusian, Russian and English with the right plural forms', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const expected = {
      be: ['3 чалавекі (Літва: 2, Украіна: 1)', '1 чалавек'],
      ru: ['3 человека (Литва: 2, Украина: 1)', '1 человек'],
      en: ['3 people (Lithuania: 2, Ukraine: 1)', '1 person'],
    };
    for (const [lang, texts] of Object.entries(expected)) {
      for (const url of [`/releases?lang=${lang}`, `/releases/sept-2025?lang=${lang}`]) {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 200, url);
        assert.ok(response.body.includes(`<html lang="${lang}">`), url);
        for (const text of texts) assert.ok(response.body.includes(text), `${url} has "${text}"`);
        for (const marker of [NOCONSENT, INTERNAL, HIDDEN_DEAL]) assert.ok(!response.body.includes(marker), `${url} hides ${marker}`);
      }
    }
    await app.close();
  });
});
