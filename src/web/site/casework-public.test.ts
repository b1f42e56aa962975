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
import { logLetter } from '../../features/casework/letters.service.js';
import { MARK, seedCasework as seed, volunteer } from '../../features/casework/casework.fixture.js';

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
