/**
 * Casework, letters, health flags, officials and violations on the public side: a marker stored in
 * every one of their details must never reach a public page, the public API, the feed or open data;
 * the public sees only counts — letters per published person on their page (with how to write), and
 * health and risk counts over everyone held on the home page.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { buildApp } from '../app.js';
import type { Store } from '../../store/connection.js';
import { createPerson } from '../../features/persons/person.service.js';
import { createEvent } from '../../features/events/event.service.js';
import { createFacility } from '../../features/facilities/facility.service.js';
import { createAid, createAssistanceCase, createFollowUp } from '../../features/casework/assistance.service.js';
import { logLetter } from '../../features/casework/letters.service.js';
import { createHealthFlag } from '../../features/casework/health.service.js';
import { createOfficial } from '../../features/accountability/officials.service.js';
import { createViolation } from '../../features/accountability/violations.service.js';
import { createSource } from '../../features/sources/source.service.js';
import type { HealthFlagKind } from '../../domain/casework.js';

const MARK = 'CASEWORKMARKER';
const ctx = { actor: 'test:editor', reason: 'test data' };
const volunteer = { actor: `${MARK}-volunteer@example.org`, reason: 'letter' };
const COLONY = 'Penal colony 15 Mahilioŭ';

async function held(store: Store, external_id: string, birth_date: string | null, publish: boolean, released = false): Promise<number> {
  const person = await createPerson(store, {
    external_id, birth_date, gender: 'unknown', region: null, occupation: null, tags: [], biography: {}, field_levels: {}, publish, confidentiality: 'public',
    names: [{ family: `Прозвішча${external_id}`, given: 'Імя', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }],
  }, ctx);
  await createEvent(store, person.id, { type: 'detained', date: '2021-05-01', facility: COLONY, confidentiality: 'public' }, ctx);
  await createEvent(store, person.id, { type: 'recognized', date: '2021-06-01', organization: 'Viasna', confidentiality: 'public' }, ctx);
  if (released) await createEvent(store, person.id, { type: 'released', date: '2023-01-10', reason: 'pardon', confidentiality: 'public' }, ctx);
  return person.id;
}

async function flag(store: Store, personId: number, kind: HealthFlagKind, confidentiality: 'internal' | 'restricted', resolved_on: string | null = null): Promise<void> {
  await createHealthFlag(store, { person_id: personId, kind, detail: `${MARK} ${kind} detail`, noted_on: '2022', resolved_on, confidentiality }, ctx);
}

async function seed(store: Store) {
  await createFacility(store, { name: COLONY, type: 'penal_colony', address: '212013, г. Могилёв, ул. Крупской, 99а', region: 'Mahilioŭ Region', lat: 53.9, lon: 30.3 }, ctx);
  const open = await held(store, 'open', '1950-04-01', true);
  const sick = await held(store, 'sick', '1990', true);
  const hidden = await held(store, 'hidden', '1940', false);
  const freed = await held(store, 'freed', null, true, true);
  await flag(store, open, 'disability', 'internal', '2023-01');
  await flag(store, sick, 'serious_illness', 'restricted');
  await flag(store, sick, 'disability', 'internal');
  await flag(store, hidden, 'serious_illness', 'restricted');
  await flag(store, freed, 'serious_illness', 'restricted');

  const assistance = await createAssistanceCase(store, {
    person_id: open, status: 'open', needs: ['legal', 'medical'], summary: `${MARK} summary`, opened_on: '2024', confidentiality: 'restricted',
    family_contacts: [{ name: `${MARK} mother`, relation: 'mother', phone: '+375 29 000', email: null, address: `${MARK} street`, note: null }],
  }, ctx);
  await createAid(store, { case_id: assistance.id, date: '2024-05', kind: 'legal', amount: 200, currency: 'EUR', description: `${MARK} lawyer` }, ctx);
  await createFollowUp(store, { case_id: assistance.id, due: '2024-06-01', action: `${MARK} call`, assignee: `${MARK} assignee`, done_on: null }, ctx);
  for (const [direction, date] of [['sent', '2024-01-05'], ['sent', '2024-02'], ['reply', '2024-03-01']] as const) {
    await logLetter(store, { person_id: open, direction, date, note: `${MARK} letter note` }, volunteer);
  }
  await logLetter(store, { person_id: hidden, direction: 'sent', date: '2024-01-05', note: null }, volunteer);

  const source = await createSource(store, { kind: 'url', url: `https://example.org/${MARK}-witness`, title: `${MARK} witness`, citation: null, sha256: null, media_type: null, size_bytes: null, published_date: null, reliability: null, confidentiality: 'restricted' }, ctx);
  const facility = await store.db.selectFrom('facility').select('id').where('name', '=', COLONY).executeTakeFirstOrThrow();
  const official = await createOfficial(store, { name: `${MARK} Head`, name_latin: null, role: 'facility_head', institution: null, institution_kind: 'facility', facility_id: facility.id, note: `${MARK} note`, confidentiality: 'internal', links: [] }, ctx);
  for (const confidentiality of ['restricted', 'internal', 'public'] as const) {
    await createViolation(store, {
      person_id: open, type: 'ill_treatment', date: '2023-05', end_date: null, facility_id: facility.id, case_id: null, event_id: null,
      description: `${MARK} ${confidentiality} description`, confidentiality, official_ids: [official.id], source_ids: [source.id],
    }, ctx);
  }
}

describeBothBackends('casework on the public side', (backend) => {
  it('never shows a casework, letter, health, official or violation detail on a public page, API, feed or open data file', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const urls = ['/healthz', '/api/v1/stats', '/api/v1/openapi.json', '/api/v1/public/persons?limit=100', `/api/v1/public/persons?q=${MARK}`,
      '/opendata/persons.json', '/opendata/persons.csv', '/opendata/events.csv'];
    for (const lang of ['be', 'ru', 'en']) {
      for (const path of ['/', '/prisoners', '/prisoners?status=all', '/prisoners/open', '/prisoners/sick', '/prisoners/hidden', '/prisoners/freed',
        '/releases', '/regions', '/feed.atom', '/embed', '/embed/counter', '/opendata']) {
        urls.push(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      }
    }
    for (const url of urls) {
      const response = await app.inject({ method: 'GET', url });
      assert.ok(response.statusCode < 500, `${url}: ${response.statusCode}`);
      assert.ok(!response.body.toLowerCase().includes(MARK.toLowerCase()), `${url} leaks a casework detail`);
    }
    // Site search echoes the visitor's own words; what it finds must not show the marker.
    const results = (await app.inject({ url: `/prisoners?lang=en&q=${MARK}` })).body.match(/<tbody>[\s\S]*<\/tbody>/)?.[0] ?? '';
    assert.ok(!results.includes(MARK), 'searching for a casework detail finds nothing that shows it');
    for (const url of ['/api/v1/casework/cases', '/api/v1/letters', '/api/v1/health-flags', '/api/v1/violations', '/api/v1/officials', '/api/v1/casework/reminders', '/api/v1/reports/accountability?by=official']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 401, `${url} without signing in`);
      assert.ok(!response.body.includes(MARK));
    }
    await app.close();
  });

  it('shows how to write and the letter counts on a held person’s page, in each language', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const page = async (id: string, lang: string) => {
      const response = await app.inject({ url: `/prisoners/${id}?lang=${lang}` });
      assert.equal(response.statusCode, 200);
      return response.body;
    };
    const en = await page('open', 'en');
    assert.match(en, /<p class="letter-counts">Letters logged by volunteers: 2 letters sent, 1 reply received\.<\/p>/);
    assert.match(en, /<li>Write in Russian: the prison censor reads every letter/);
    assert.match(en, /<li>Do not write about politics, the case or the trial/);
    assert.ok(en.includes('212013, г. Могилёв, ул. Крупской, 99а'), 'the address for letters');
    assert.match(await page('open', 'ru'), /Письма, отмеченные волонтёрами: отправлено 2 письма, получен 1 ответ\./);
    assert.match(await page('open', 'be'), /Лісты, якія адзначылі валанцёры: адпраўлена 2 лісты, атрыманы 1 адказ\./);
    assert.match(await page('sick', 'en'), /0 letters sent, 0 replies received/);
    assert.doesNotMatch(await page('freed', 'en'), /letter-counts|How to write/, 'nothing about writing for someone no longer held');

    // Logging a letter shows on the page at once (the page cache follows the change log).
    const openId = (await store.db.selectFrom('person').select('id').where('external_id', '=', 'open').executeTakeFirstOrThrow()).id;
    await logLetter(store, { person_id: openId, direction: 'reply', date: '2024-04-01', note: null }, volunteer);
    assert.match(await page('open', 'en'), /2 letters sent, 2 replies received/);
    await app.close();
  });

  it('counts health and risk flags among everyone held today on the home page, naming no one', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const figures = (body: string) => {
      const section = /<section aria-labelledby="risk">([\s\S]*?)<\/section>/.exec(body)?.[1];
      assert.ok(section, 'the health and age section');
      assert.doesNotMatch(section, /href=/, 'no links to people');
      return [...section.matchAll(/<li><strong>(\d+)<\/strong> ([^<]+)<\/li>/g)].map(([, n, label]) => `${label}: ${n}`);
    };
    // open: 60+ (its disability flag was resolved); sick: illness and disability; hidden (no consent): illness and 60+; freed: released.
    assert.deepEqual(figures((await app.inject({ url: '/?lang=en' })).body), ['seriously ill: 2', 'living with a disability: 1', 'aged 60 or older: 2']);
    assert.deepEqual(figures((await app.inject({ url: '/?lang=ru' })).body), ['тяжело больны: 2', 'с инвалидностью: 1', 'в возрасте 60 лет и старше: 2']);
    await app.close();
  });
});
