/**
 * Named attack strings — SQL injection, path traversal, markup and script injection, a javascript:
 * link — stored through the API in every text field of published people and of their public events,
 * sources and facilities; then read back through the API, `vigil export`, and the public site
 * (list, person pages, regions, releases, Atom feed, open data). Each comes back exactly as stored and
 * inert: escaped in HTML and XML, quoted in CSV, never a live tag, attribute or link; tables keep their
 * shape and links lead where they say. Oversized bodies are refused with 413 and change nothing.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { XMLValidator } from 'fast-xml-parser';
import { describeBothBackends } from '../test-support/stores.js';
import { memberWithToken } from '../test-support/accounts.js';
import { runCli } from '../test-support/cli.js';
import { tableCounts, writeMarks } from '../test-support/store-state.js';
import type { Store } from '../store/connection.js';
import { buildApp } from './app.js';
import type { App } from './api/app-types.js';

const PAYLOADS = [
  "'; DROP TABLE person; --",
  '" OR 1=1 --',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
] as const;

type Headers = { authorization: string };
type Json = Record<string, any>;

const decodeEntities = (text: string) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The text a reader sees: markup removed, entities decoded. */
const visibleText = (page: string) => decodeEntities(page.replace(/<[^>]*>/g, ''));

/** Every tag the page really has (escaped payloads have no "<", so these all come from the templates). */
const tags = (page: string) => [...page.matchAll(/<([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)].map((m) => ({ name: m[1]!.toLowerCase(), attributes: m[2]! }));

/** What makes markup live: script elements, event-handler attributes, script links, injected images. */
function assertInert(page: string, where: string): void {
  for (const tag of tags(page)) {
    assert.notEqual(tag.name, 'script', `${where}: a <script> element`);
    const attributes = [...tag.attributes.matchAll(/([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)].map((m) => ({ name: m[1]!.toLowerCase(), value: m[2] ?? m[3] ?? m[4] ?? '' }));
    for (const { name, value } of attributes) {
      assert.doesNotMatch(name, /^on/, `${where}: an event-handler attribute in <${tag.name}${tag.attributes}>`);
      if (!['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)) continue;
      const target = decodeEntities(value).trim();
      // The layout's empty icon (<link rel="icon" href="data:,">) is the one data: URL a page may have.
      if (tag.name === 'link' && target === 'data:,') continue;
      assert.doesNotMatch(target, /^(javascript|data|vbscript):/i, `${where}: a script link ${value}`);
    }
    if (tag.name === 'img') assert.doesNotMatch(tag.attributes, /src\s*=\s*"?x\b/, `${where}: the injected image`);
  }
  for (const payload of PAYLOADS.filter((p) => /[<>"]/.test(p))) assert.ok(!page.includes(payload), `${where}: ${payload} appears unescaped`);
  assert.doesNotMatch(page, /root:[^:]*:0:0:/, `${where}: the contents of /etc/passwd`);
}

/** Every table row has as many cells as the header row: no value broke out of its cell. */
function assertTablesIntact(page: string, where: string): void {
  for (const [table] of page.matchAll(/<table[\s\S]*?<\/table>/g)) {
    const rows = [...table.matchAll(/<tr[\s\S]*?<\/tr>/g)].map(([row]) => (row.match(/<t[hd][\s>]/g) ?? []).length);
    assert.ok(rows.length > 0, `${where}: a table without rows`);
    assert.ok(rows.every((cells) => cells === rows[0]), `${where}: rows with ${rows.join(', ')} cells`);
    assert.equal((table.match(/<tr[\s>]/g) ?? []).length, (table.match(/<\/tr>/g) ?? []).length, `${where}: unbalanced rows`);
  }
}

async function send(app: App, headers: Headers, method: 'POST' | 'PATCH', url: string, payload: Json): Promise<Json> {
  const response = await app.inject({ method, url, headers, payload });
  assert.ok(response.statusCode === 200 || response.statusCode === 201, `${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** One published person per payload, with the payload in every text field of the record and its public events, sources and facility. */
async function storePayloads(app: App, editor: Headers): Promise<void> {
  for (const [i, p] of PAYLOADS.entries()) {
    const facility = await send(app, editor, 'POST', '/api/v1/facilities', { name: p, type: 'penal_colony', address: p, region: p, lat: 53.9, lon: 27.56 });
    assert.equal(facility.name, p);
    const name = { family: p, given: p, patronymic: p, confidentiality: 'public' };
    await send(app, editor, 'POST', '/api/v1/persons', {
      external_id: p, names: [{ ...name, lang: 'be', script: 'Cyrl' }, { ...name, lang: 'ru', script: 'Cyrl' }, { full_name: p, script: 'Latn', confidentiality: 'public' }],
      birth_date: '1990', gender: 'male', region: p, occupation: p, tags: [p], biography: { be: p, ru: p, en: p }, publish: true, confidentiality: 'public', change_reason: p,
    });
    const url = `https://example.org/report/${i}?q=${encodeURIComponent(p)}`;
    const day = (d: number) => `2025-0${1 + i}-${String(d).padStart(2, '0')}`;
    await send(app, editor, 'POST', '/api/v1/events', { person: p, type: 'detained', date: day(1), facility: p, confidentiality: 'public', note: p, change_reason: p });
    const recognized = await send(app, editor, 'POST', '/api/v1/events', { person: p, type: 'recognized', date: day(5), organization: p, note: p, source_urls: [url], confidentiality: 'public', change_reason: p });
    await send(app, editor, 'POST', '/api/v1/events', { person: p, type: 'sentenced', date: day(20), articles: ['342'], term_months: 36, regime: 'general', confidentiality: 'public', change_reason: p });
    const source = recognized.sources[0];
    await send(app, editor, 'PATCH', `/api/v1/sources/${source.id}`, { version: 1, change_reason: p, title: p, citation: p, reliability: p.slice(0, 50), confidentiality: 'public' });
    // A cited file: its name and type from outside are kept as text, never used as paths.
    await send(app, editor, 'POST', '/api/v1/sources', { kind: 'citation', title: p, citation: p, media_type: p, sha256: 'a'.repeat(64), confidentiality: 'public', change_reason: p });
  }
}

async function checkApi(app: App, editor: Headers): Promise<void> {
  for (const p of PAYLOADS) {
    const person = (await app.inject({ url: `/api/v1/persons/${encodeURIComponent(p)}`, headers: editor })).json();
    assert.equal(person.external_id, p);
    for (const name of person.names) for (const part of [name.family, name.given, name.patronymic, name.full_name].filter(Boolean)) assert.equal(part, p);
    assert.deepEqual([person.region, person.occupation, person.tags, person.biography], [p, p, [p], { be: p, ru: p, en: p }]);
    const events = (await app.inject({ url: `/api/v1/persons/${encodeURIComponent(p)}/events`, headers: editor })).json().items as Json[];
    assert.deepEqual(events.map((e) => [e.type, e.facility, e.organization, e.note]), [['detained', p, null, p], ['recognized', null, p, p], ['sentenced', null, null, null]]);
    assert.equal(events[1]!.sources[0].title, p);
    const history = (await app.inject({ url: `/api/v1/persons/${encodeURIComponent(p)}/history`, headers: editor })).json().items as Json[];
    assert.equal(history[0]!.reason, p);
  }
  const facilities = (await app.inject({ url: '/api/v1/facilities?limit=200', headers: editor })).json().items as Json[];
  for (const p of PAYLOADS) assert.ok(facilities.some((f) => f.name === p && f.address === p && f.region === p), `facility ${p}`);
}

async function checkExport(location: { database: string; env: Record<string, string> }): Promise<void> {
  const exported = async (args: string[]) => {
    const result = await runCli(['export', ...args], location);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  const persons = parse(await exported(['persons']), { columns: true }) as Json[];
  for (const p of PAYLOADS) {
    const row = persons.find((r) => r.external_id === p);
    assert.ok(row, `export persons has ${p}`);
    assert.deepEqual([row.family_name_be, row.given_name_ru, row.region, row.occupation, row.tags], [p, p, p, p, p]);
  }
  const eventsCsv = await exported(['events']);
  // csv-parse refuses a record whose number of fields differs from the header's.
  const events = parse(eventsCsv, { columns: true }) as Json[];
  for (const p of PAYLOADS) {
    assert.ok(events.some((e) => e.person_external_id === p && e.type === 'detained' && e.facility === p && e.note === p));
    assert.ok(events.some((e) => e.person_external_id === p && e.type === 'recognized' && e.organization === p));
  }
  const facilities = JSON.parse(await exported(['facilities', '--format', 'json'])) as Json[];
  for (const p of PAYLOADS) assert.ok(facilities.some((f) => f.name === p && f.address === p));
}

async function page(app: App, url: string): Promise<string> {
  const response = await app.inject({ url });
  assert.equal(response.statusCode, 200, `${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
  return response.body;
}

async function checkSite(app: App): Promise<void> {
  const list = await page(app, '/prisoners?lang=en&status=all');
  assertInert(list, 'list');
  assertTablesIntact(list, 'list');
  // Every person is listed, and each row's link leads to that person's page.
  const links = [...list.matchAll(/href="(\/prisoners\/[^"]+)"/g)].map(([, href]) => decodeEntities(href!));
  for (const p of PAYLOADS) {
    const href = `/prisoners/${encodeURIComponent(p)}?lang=en`;
    assert.ok(links.includes(href), `the list links ${p} as ${href}`);
    const person = await page(app, href);
    assertInert(person, `page of ${p}`);
    assertTablesIntact(person, `page of ${p}`);
    const text = visibleText(person);
    // Shown as text wherever the page shows it: the name, occupation, biography, place, organisation, source title, address.
    assert.ok(text.split(p).length - 1 >= 5, `${p} is shown as text on its page (${text.split(p).length - 1} times)`);
    assert.match(person, /<title>[^<]*<\/title>/, 'the title holds the name as text');
  }
  for (const url of ['/regions?lang=en', '/releases?lang=en', '/?lang=en', '/prisoners?lang=en&q=%3Cscript%3Ealert(1)%3C%2Fscript%3E', `/prisoners?lang=en&region=${encodeURIComponent(PAYLOADS[4])}`]) {
    const body = await page(app, url);
    assertInert(body, url);
    assertTablesIntact(body, url);
  }

  const feed = await page(app, '/feed.atom');
  assert.equal(XMLValidator.validate(feed), true, 'the feed is well-formed XML');
  assertInert(feed, 'feed');
  for (const p of PAYLOADS) assert.ok(visibleText(feed).includes(p), `the feed names ${p}`);

  const persons = JSON.parse(await page(app, '/opendata/persons.json'));
  const people = (Array.isArray(persons) ? persons : persons.persons) as Json[];
  for (const p of PAYLOADS) {
    const person = people.find((entry) => entry.id === p);
    assert.ok(person, `persons.json has ${p}`);
    // Every name part is the payload itself (whole names join copies of it with spaces).
    const parts = person.other_names.flatMap((n: Json) => [n.name, n.family_name, n.given_name, n.patronymic_name]).filter((v: unknown) => typeof v === 'string');
    assert.ok(parts.length >= 3 && parts.every((v: string) => v.replaceAll(p, '').trim() === ''), JSON.stringify(person.other_names));
  }
  const eventsCsv = await page(app, '/opendata/events.csv');
  const events = parse(eventsCsv, { columns: true }) as Json[];
  for (const p of PAYLOADS) assert.ok(events.some((e) => e.person_id === p && Object.values(e).includes(p)), `events.csv has the events of ${p} verbatim`);
}

it('the checks of this file notice live markup, broken tables and leaked files', () => {
  const live = [
    '<p><script>alert(1)</script></p>', '<p><img src=x onerror=alert(1)></p>', '<a href="javascript:alert(1)">x</a>', '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>', '<div onmouseover="x()">x</div>', '<p title=""><img src=x onerror=alert(1)>">', '<pre>root:x:0:0:root:/root:/bin/bash</pre>',
  ];
  for (const page of live) assert.throws(() => assertInert(page, 'sample'), assert.AssertionError, page);
  assertInert('<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p><link rel="icon" href="data:,">', 'escaped sample');
  assert.throws(() => assertTablesIntact('<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>', 'sample'));
  assertTablesIntact('<table><thead><tr><th scope="col">a</th><th>b</th></tr></thead><tbody><tr><th scope="row">1</th><td>2</td></tr></tbody></table>', 'sample');
  assert.equal(visibleText('<p title="x">a &lt;b&gt; &amp;&quot;c&#39;</p>'), 'a <b> &"c\'');
});

describeBothBackends('hostile values stored and shown', (backend) => {
  it('come back verbatim through the API and vigil export, and inert on every public page', { timeout: 120_000 }, async () => {
    const store = await backend.fresh();
    const location = { database: backend.lastLocation.database, env: { ...backend.lastLocation.env } };
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    await storePayloads(app, editor);
    await checkApi(app, editor);
    await checkSite(app);
    await checkExport(location);
    // The injection strings were values, not SQL: every table is still there.
    assert.equal((await tableCounts(store)).person, PAYLOADS.length);
    await app.close();
  });

  it('refuses a javascript: source link, and never makes a live link of one stored before', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const before = await unchanged(store);
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)']) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: editor, payload: { kind: 'url', url } });
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.json().error.message, /^body\.url: /);
    }
    assert.deepEqual(await unchanged(store), before);
    // Data from elsewhere (an old import, a restored backup) may hold one; the page must still not link it.
    await send(app, editor, 'POST', '/api/v1/persons', { external_id: 'js', names: [{ family: 'Лосік', given: 'Ігар', lang: 'be', confidentiality: 'public' }], publish: true, confidentiality: 'public' });
    const event = await send(app, editor, 'POST', '/api/v1/events', { person: 'js', type: 'recognized', date: '2021-01-01', organization: 'Viasna', confidentiality: 'public' });
    const now = new Date().toISOString();
    for (const url of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==']) {
      const source = await store.db.insertInto('source').values({ kind: 'url', url, title: 'Legacy source', confidentiality: 'public', version: 1, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
      await store.db.insertInto('event_source').values({ event_id: event.id, source_id: source.id }).execute();
    }
    const person = await page(app, '/prisoners/js?lang=en');
    assert.equal(visibleText(person).split('Legacy source').length - 1, 3, 'each source is cited, as text');
    assertInert(person, 'page with stored javascript: sources');
    assert.doesNotMatch(person, /href="\s*javascript:/i);
    await app.close();
  });

  it('refuses bodies over 1 MB with 413 and a clear message, changing nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    await send(app, editor, 'POST', '/api/v1/persons', { external_id: 'p1', names: [{ family: 'Лосік' }] });
    const before = await unchanged(store);
    const big = 'x'.repeat(1024 * 1024 + 1);
    for (const [method, url, payload] of [
      ['POST', '/api/v1/persons', { external_id: 'big', names: [{ family: big }] }],
      ['PATCH', '/api/v1/persons/p1', { version: 1, change_reason: 'x', occupation: big }],
      ['POST', '/api/v1/events', { person: 'p1', type: 'detained', date: '2021-01-01', note: big }],
      ['POST', '/api/v1/sources', { kind: 'citation', citation: big }],
      ['POST', '/api/v1/auth/sign-in', { email: big, password: 'x', totp: '000000' }],
    ] as const) {
      const response = await app.inject({ method, url, headers: { ...editor, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
      assert.equal(response.statusCode, 413, `${method} ${url}: ${response.statusCode}`);
      assert.equal(response.json().error.id, 'body_too_large');
      assert.match(response.json().error.message, /too large.*1 MB/);
    }
    assert.deepEqual(await unchanged(store), before);
    await app.close();
  });

  it('refuses the NUL character anywhere in a request the same way on both backends', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    await send(app, editor, 'POST', '/api/v1/persons', { external_id: 'p1', names: [{ family: 'Лосік' }] });
    const before = await unchanged(store);
    for (const [method, url, payload] of [
      ['POST', '/api/v1/persons', { external_id: 'p2', names: [{ family: 'Ivan\u0000ou' }] }],
      ['PATCH', '/api/v1/persons/p1', { version: 1, change_reason: 'x', tags: ['a\u0000'] }],
      ['POST', '/api/v1/events', { person: 'p1', type: 'detained', date: '2021-01-01', facility: '\u0000' }],
      ['GET', '/api/v1/persons?region=%00', undefined],
      ['GET', '/api/v1/persons/p%00', undefined],
      ['GET', '/releases/x%00?lang=en', undefined],
    ] as const) {
      const response = await app.inject({ method, url, headers: editor, ...(payload ? { payload } : {}) });
      assert.equal(response.statusCode, 400, `${method} ${url}: ${response.body}`);
      assert.match(response.json().error.message, /U\+0000/);
    }
    assert.deepEqual(await unchanged(store), before);
    await app.close();
  });
});

async function unchanged(store: Store) {
  return { counts: await tableCounts(store), marks: await writeMarks(store) };
}
