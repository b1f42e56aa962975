import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describeBothBackends } from '../../test-support/stores.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { runCli } from '../../test-support/cli.js';
import { buildApp } from '../../web/app.js';
import { createPerson } from '../persons/person.service.js';
import { createEvent } from '../events/event.service.js';
import { auditEntries } from '../audit/audit.service.js';
import { createDeal } from './deal.service.js';
import { createSanction } from './sanction.service.js';
import { recordConfirmedOutcomes } from './record-outcomes.service.js';
import { renderReleaseReport, type ReportDocument } from './release-report.html.js';
import type { Store } from '../../store/connection.js';

const HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';

function document(overrides: Partial<ReportDocument> = {}): ReportDocument {
  return {
    report: {
      date: '2025-12-31', deal: null,
      deals: [{
        slug: 'sept-2025', date: '2025-09-11', facilitator: HOSTILE, confidentiality: 'internal', released: 2, expelled: 50, destinations: { LT: 49, UA: 1 },
        asked_for: 60, asked_not_released: 7, refused_expulsion: 1, still_held: [{ external_id: 'x1', name: HOSTILE, outcome: 'refused_expulsion' }], still_held_not_shown: 3,
      }],
      rearrested: [{ person: { external_id: 'x2', name: 'Ігар Лосік' }, released_on: '2025-09-11', detained_again_on: '2025-11-02', deal: 'sept-2025' }],
      rearrested_not_shown: 0,
    },
    facts: [{ slug: 'sept-2025', envoy: 'John Coale', counterpart: null, destinations: ['LT', 'UA'], conditions: ['forced_expulsion'], summary: HOSTILE, concessions: [{ issuer: 'US', target: 'Belavia', action: 'eased', imposed_on: '2021-08-09', eased_on: '2025-09-11', lifted_on: null, reimposed_on: null }] }],
    generatedAt: '2025-12-31 10:00 UTC', generatedBy: 'editor@example.org', fictional: false, restricted: false,
    ...overrides,
  };
}

it('renders the three reports as a standalone document with no script and every value escaped', () => {
  const page = renderReleaseReport(document());
  assert.match(page, /^<!doctype html>/);
  assert.ok(!/<script/i.test(page), 'no script element, not even from the data');
  assert.ok(!/<img/i.test(page) && !/onerror=alert/.test(page.replaceAll('onerror=alert(2)&gt;', '')), 'a value cannot become markup');
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'), 'it is shown as text');
  for (const heading of ['1. Released by deal and destination', '2. Still held among those asked for', '3. Re-arrested after release']) assert.ok(page.includes(heading), heading);
  assert.match(page, /49 to Lithuania \(LT\); 1 to Ukraine \(UA\)/);
  assert.match(page, /and 3 people still held are not named here/);
  assert.match(page, /<td>US<\/td><td>Belavia<\/td><td>eased<\/td><td>imposed 2021-08-09, eased 2025-09-11<\/td>/);
  assert.match(page, /@media print/);
  assert.match(page, /Internal — for the team only/);
  assert.ok(!page.includes('FICTIONAL'));
  const marked = renderReleaseReport(document({ restricted: true, fictional: true }));
  assert.match(marked, /class="marking restricted">Restricted/);
  assert.match(marked, /FICTIONAL demo dataset/);
});

async function seed(store: Store): Promise<void> {
  const ctx = { actor: 'test', reason: 'test' };
  const names = (family: string) => [{ family, given: 'Ігар', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'internal' as const }];
  const base = { birth_date: null, gender: 'male', region: null, occupation: null, tags: [], biography: {}, publish: false, confidentiality: 'internal' as const, field_levels: {} };
  const freed = await createPerson(store, { ...base, external_id: 'p1', names: names('Лосік') }, ctx);
  const held = await createPerson(store, { ...base, external_id: 'p2', names: names('Знак') }, ctx);
  for (const person of [freed, held]) await createEvent(store, person.id, { type: 'detained', date: '2021-01-01', confidentiality: 'internal' }, ctx);
  const belavia = await createSanction(store, { issuer: 'US', target: 'Belavia', description: null, imposed_on: '2021-08-09', eased_on: '2025-09-11', lifted_on: null, reimposed_on: null }, ctx);
  const deal = { date: '2025-09-11', facilitator: 'United States', envoy: 'John Coale', counterpart: null, destinations: ['LT'], conditions: ['forced_expulsion' as const], summary: null };
  await createDeal(store, { ...deal, slug: 'open-deal', confidentiality: 'internal', concessions: [{ measure_id: belavia.id, action: 'eased' }], people: [{ person: 'p2', outcome: 'asked_not_released', note: null }] }, ctx);
  await createDeal(store, { ...deal, slug: 'secret-deal', confidentiality: 'restricted', concessions: [], people: [] }, ctx);
  await recordConfirmedOutcomes(store, 'open-deal', [{ line: 1, person: 'p1' }], { as: 'expelled', country: 'LT' }, ctx);
}

describeBothBackends('printable release report', (backend) => {
  it('is served to members as HTML with a CSP that allows its own stylesheet only, for all deals or one', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const researcher = await memberWithToken(app, store, 'r@example.org', 'researcher');
    const response = await app.inject({ method: 'GET', url: '/api/v1/reports/releases.html?on=2025-12-31', headers: researcher });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(response.headers['content-type'] as string, /^text\/html; charset=utf-8/);
    assert.equal(response.headers['cache-control'], 'no-store');
    const css = /<style>([\s\S]*?)<\/style>/.exec(response.body)![1]!;
    const csp = response.headers['content-security-policy'] as string;
    assert.ok(csp.includes(`style-src 'sha256-${createHash('sha256').update(css).digest('base64')}'`), csp);
    assert.match(csp, /default-src 'none'/);
    assert.ok(!/<script/i.test(response.body));
    assert.match(response.body, /<td>open-deal<\/td><td>2025-09-11<\/td><td>United States<\/td>\s*<td class="num">0<\/td><td class="num">1<\/td><td>1 to Lithuania \(LT\)<\/td>/);
    assert.match(response.body, /<td>Ігар Лосік<\/td>|<td>Ігар Знак<\/td>/);
    assert.match(response.body, /<td>Ігар Знак<\/td><td>p2<\/td><td>asked for, not released<\/td>/);
    assert.ok(!response.body.includes('secret-deal'), 'a researcher never sees the restricted deal');

    const one = await app.inject({ method: 'GET', url: '/api/v1/reports/releases.html?on=2025-12-31&deal=open-deal', headers: researcher });
    assert.match(one.body, /<title>Negotiated releases — deal open-deal, as of 2025-12-31<\/title>/);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/reports/releases.html?deal=secret-deal', headers: researcher })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/reports/releases.html' })).statusCode, 401);
    await app.close();
  });

  it('is written by the CLI with --format html, and the restricted deal it shows is audited', async () => {
    const store = await backend.fresh();
    await seed(store);
    const result = await runCli(['deals', 'report', '--format', 'html', '--on', '2025-12-31'], { database: backend.lastLocation.database });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^<!doctype html>/);
    assert.ok(result.stdout.includes('secret-deal (restricted)'), 'the operator sees every deal');
    assert.match(result.stdout, /class="marking restricted"/);
    assert.match(result.stdout, /prepared .* by test:cli/);
    const reads = await auditEntries(store.db, { limit: 20, action: 'read_restricted' });
    assert.deepEqual(reads.map((e) => [e.entity, e.actor, e.detail.via]), [['deal', 'test:cli', 'cli']]);
    const wrong = await runCli(['deals', 'report', '--format', 'pdf'], { database: backend.lastLocation.database });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /^vigil: unknown format "pdf"; use text, json or html\n$/);
    await store.close();
  });
});
