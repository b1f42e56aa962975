/**
 * The JSON API against hostile requests (property tests with fast-check). Arbitrary JSON, and valid
 * bodies with one field spoilt (any JSON value, markup, SQL, paths, NUL characters, huge strings,
 * unknown keys), sent with an editor's token to the create and update endpoints of persons, events,
 * facilities, sources and release deals; arbitrary query strings to the list endpoints. The server
 * never answers 500; every error is `{error: {id, message}}`; a refused request changes nothing.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeBothBackends } from '../../test-support/stores.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { tableCounts, writeMarks } from '../../test-support/store-state.js';
import type { Store } from '../../store/connection.js';
import { buildApp } from '../app.js';
import type { App } from './app-types.js';

type Body = Record<string, unknown>;
type Headers = { authorization: string };

const HOSTILE = [
  "'; DROP TABLE person; --", '" OR 1=1 --', '../../etc/passwd', '..\\..\\windows\\win.ini', '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', "=cmd|' /C calc'!A0", 'a\u0000b', '\u0000', '\uFEFF', '\u202E',
  '%00', '%s%s%s', '{{7*7}}', '${7*7}', '__proto__', 'constructor', '9'.repeat(400), 'x'.repeat(30_000),
];

/** Any JSON value, or a string meant to hurt. */
const hostileValue = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 50 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, 0, 1.5, 2 ** 53, -(2 ** 31), 1e308, [], {}, null, true, '2021-02-30', '2021-13', '99999-01-01') },
);

/** An update or create endpoint and a valid body for it; `paths` are the places a fault can go. */
interface Target {
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  /** A valid body (reading the current version of the record for updates). */
  body(app: App, headers: Headers, n: number): Promise<Body>;
  paths: string[];
}

async function versionOf(app: App, headers: Headers, url: string): Promise<number> {
  const response = await app.inject({ url, headers });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json().version as number;
}

function targets(ids: { event: number; facility: number; source: number; deal: number }): Target[] {
  const update = (url: string, fields: Body, paths: string[], method: 'PATCH' | 'PUT' = 'PATCH', read = url): Target => ({
    method, url, paths: ['version', 'change_reason', ...paths],
    body: async (app, headers) => ({ version: await versionOf(app, headers, read), change_reason: 'property test', ...fields }),
  });
  return [
    {
      method: 'POST', url: '/api/v1/persons',
      paths: ['external_id', 'names', 'names.0', 'names.0.family', 'names.0.lang', 'names.0.confidentiality', 'birth_date', 'gender', 'region', 'occupation', 'tags', 'tags.0', 'biography', 'biography.en', 'publish', 'confidentiality', 'field_levels', 'field_levels.region', 'change_reason', 'unknown_key'],
      body: async (_app, _headers, n) => ({ external_id: `fz-${n}`, names: [{ family: 'Іваноў', given: 'Іван', lang: 'be' }], region: 'Minsk', tags: ['t'], biography: { en: 'b' }, change_reason: 'property test' }),
    },
    update('/api/v1/persons/p1', { region: 'Minsk', names: [{ family: 'Лосік', given: 'Ігар' }] }, ['region', 'occupation', 'names', 'names.0.family', 'publish', 'field_levels', 'birth_date', 'unknown_key']),
    {
      method: 'POST', url: '/api/v1/events',
      paths: ['person', 'type', 'date', 'facility', 'articles', 'articles.0', 'term_months', 'regime', 'reason', 'country', 'organization', 'note', 'confidentiality', 'source_urls', 'source_urls.0', 'change_reason', 'unknown_key'],
      body: async () => ({ person: 'p1', type: 'sentenced', date: '2021-05-01', articles: ['342'], term_months: 24, regime: 'general', source_urls: ['https://example.org/s'], change_reason: 'property test' }),
    },
    update(`/api/v1/events/${ids.event}`, { changes: { note: 'n', organization: 'Viasna' } }, ['changes', 'changes.type', 'changes.date', 'changes.note', 'changes.facility', 'changes.articles', 'changes.country', 'changes.organization', 'changes.term_months']),
    {
      method: 'POST', url: '/api/v1/facilities',
      paths: ['name', 'type', 'address', 'region', 'lat', 'lon', 'change_reason', 'unknown_key'],
      body: async (_app, _headers, n) => ({ name: `Fuzz colony ${n}`, type: 'penal_colony', address: 'Street 1', lat: 52.1, lon: 27.5, change_reason: 'property test' }),
    },
    update(`/api/v1/facilities/${ids.facility}`, { address: 'Street 2' }, ['name', 'type', 'address', 'region', 'lat', 'lon']),
    {
      method: 'POST', url: '/api/v1/sources',
      paths: ['kind', 'url', 'title', 'citation', 'sha256', 'media_type', 'size_bytes', 'published_date', 'reliability', 'confidentiality', 'change_reason', 'unknown_key'],
      body: async (_app, _headers, n) => ({ kind: 'url', url: `https://example.org/fuzz/${n}`, title: 'T', published_date: '2021-08', change_reason: 'property test' }),
    },
    update(`/api/v1/sources/${ids.source}`, { title: 'T2' }, ['kind', 'url', 'title', 'sha256', 'size_bytes', 'published_date', 'confidentiality']),
    {
      method: 'POST', url: '/api/v1/deals',
      paths: ['slug', 'date', 'facilitator', 'envoy', 'destinations', 'destinations.0', 'conditions', 'conditions.0', 'summary', 'confidentiality', 'people', 'people.0.person', 'people.0.outcome', 'concessions', 'concessions.0.measure_id', 'change_reason', 'unknown_key'],
      body: async (_app, _headers, n) => ({ slug: `fuzz-${n}`, date: '2025-09', destinations: ['LT'], conditions: ['forced_expulsion'], people: [{ person: 'p1', outcome: 'released' }], change_reason: 'property test' }),
    },
    update(`/api/v1/deals/${ids.deal}`, { summary: 'S' }, ['slug', 'date', 'destinations', 'conditions', 'summary', 'confidentiality']),
    update(`/api/v1/deals/${ids.deal}/people`, { people: [{ person: 'p1', outcome: 'released' }] }, ['people', 'people.0', 'people.0.person', 'people.0.outcome', 'people.0.note'], 'PUT', `/api/v1/deals/${ids.deal}`),
  ];
}

/** Sets the value at a dotted path ("names.0.family"), creating what is missing on the way. */
function setPath(body: Body, path: string, value: unknown): Body {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = /^\d+$/.test(keys[keys.indexOf(key) + 1] ?? '') ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
  return copy;
}

type Fault = { kind: 'set'; path: number; value: unknown } | { kind: 'drop'; path: number } | { kind: 'replace'; value: unknown } | { kind: 'raw'; text: string };

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.nat(), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), path: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace' as const), value: fc.jsonValue({ maxDepth: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), text: fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('{', '{"a":', '[1,2', 'null', '"\\u0000"', '{"__proto__":{"x":1}}', '{"names":[{"family":"a"}],"external_id":"dup","external_id":"dup2"}')) }) },
);

function spoil(body: Body, paths: string[], f: Fault): string {
  switch (f.kind) {
    case 'set':
      return JSON.stringify(setPath(body, paths[f.path % paths.length]!, f.value));
    case 'drop': {
      const copy = structuredClone(body);
      delete copy[paths[f.path % paths.length]!.split('.')[0]!];
      return JSON.stringify(copy);
    }
    case 'replace':
      return JSON.stringify(f.value);
    case 'raw':
      return f.text;
  }
}

/** An error answer is JSON with a stable id and a message, and no stack trace. */
function assertErrorBody(status: number, text: string, what: string): void {
  let parsed: { error?: { id?: unknown; message?: unknown } };
  try {
    parsed = JSON.parse(text);
  } catch {
    assert.fail(`${what}: ${status} is not JSON: ${text.slice(0, 200)}`);
  }
  assert.equal(typeof parsed.error?.id, 'string', `${what}: ${text.slice(0, 300)}`);
  assert.equal(typeof parsed.error?.message, 'string', `${what}: ${text.slice(0, 300)}`);
  assert.ok((parsed.error!.message as string).length > 0);
  assert.doesNotMatch(text, /\n\s+at |node_modules/, `${what}: no stack trace`);
}

async function state(store: Store) {
  return { counts: await tableCounts(store), marks: await writeMarks(store) };
}

async function seed(app: App, store: Store): Promise<{ editor: Headers; ids: { event: number; facility: number; source: number; deal: number } }> {
  const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
  const post = async (url: string, payload: Body) => {
    const response = await app.inject({ method: 'POST', url, headers: editor, payload });
    assert.equal(response.statusCode, 201, `${url}: ${response.body}`);
    return response.json().id as number;
  };
  await post('/api/v1/persons', { external_id: 'p1', names: [{ family: 'Лосік', given: 'Ігар' }], publish: true, confidentiality: 'public' });
  const event = await post('/api/v1/events', { person: 'p1', type: 'detained', date: '2020-06-25', facility: 'SIZO-1 Minsk' });
  const facility = await post('/api/v1/facilities', { name: 'Penal Colony No. 1', type: 'penal_colony' });
  const source = await post('/api/v1/sources', { kind: 'url', url: 'https://example.org/report' });
  const deal = await post('/api/v1/deals', { slug: 'seed-deal', date: '2025-06' });
  return { editor, ids: { event, facility, source, deal } };
}

describeBothBackends('JSON API under hostile input', (backend) => {
  it('never answers 500 to a spoilt create or update body; a refused one changes nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { editor, ids } = await seed(app, store);
    const all = targets(ids);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: all.length - 1 }), fault, async (which, f) => {
        const target = all[which]!;
        const payload = spoil(await target.body(app, editor, ++n), target.paths, f);
        const before = await state(store);
        const response = await app.inject({ method: target.method, url: target.url, headers: { ...editor, 'content-type': 'application/json' }, payload });
        const what = `${target.method} ${target.url} ${payload.slice(0, 200)}`;
        assert.ok(response.statusCode < 500, `${what} → ${response.statusCode} ${response.body.slice(0, 300)}`);
        if (response.statusCode >= 400) {
          assertErrorBody(response.statusCode, response.body, what);
          assert.deepEqual(await state(store), before, `${what} was refused (${response.statusCode}) but changed the store`);
        }
      }),
      { numRuns: 150 },
    );
    await app.close();
  });

  it('never answers 500 to arbitrary query strings on list and search endpoints', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { editor } = await seed(app, store);
    const endpoints: [string, string[]][] = [
      ['/api/v1/persons', ['q', 'region', 'gender', 'published', 'limit', 'after']],
      ['/api/v1/events', ['person', 'type', 'from', 'to', 'limit', 'after']],
      ['/api/v1/facilities', ['type', 'region', 'limit', 'after']],
      ['/api/v1/sources', ['kind', 'reliability', 'sha256', 'url', 'limit', 'after']],
      ['/api/v1/deals', ['from', 'to', 'facilitator', 'limit', 'after']],
      ['/api/v1/public/persons', ['q', 'limit']],
      ['/api/v1/stats', ['on', 'from']],
    ];
    const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...HOSTILE.filter((h) => h.length < 1000)), fc.integer().map(String));
    const query = fc.oneof(
      fc.tuple(fc.nat(), fc.array(fc.tuple(fc.nat(), value), { maxLength: 4 })).map(([e, pairs]) => {
        const [path, keys] = endpoints[e % endpoints.length]!;
        const params = new URLSearchParams(pairs.map(([k, v]): [string, string] => [keys[k % keys.length]!, v]));
        return `${path}?${params}`;
      }),
      // Hand-made query strings: bad percent escapes, repeated keys, arrays, no value at all.
      fc.tuple(fc.nat(), fc.constantFrom('%', '%zz', '%E0%A4%A', 'q=%00', 'region=%00', 'person=a%00b', 'limit=1&limit=2', 'limit[]=1', 'q', '&&&', 'q=%C0%AF', 'after=-1', 'on=2021-02-30', 'from=2021&to=1900'))
        .map(([e, raw]) => `${endpoints[e % endpoints.length]![0]}?${raw}`),
    );
    await fc.assert(
      fc.asyncProperty(query, async (url) => {
        const response = await app.inject({ method: 'GET', url, headers: editor });
        assert.ok(response.statusCode < 500, `GET ${url} → ${response.statusCode} ${response.body.slice(0, 300)}`);
        if (response.statusCode >= 400) assertErrorBody(response.statusCode, response.body, `GET ${url}`);
      }),
      { numRuns: 150 },
    );
    await app.close();
  });
});
