/**
 * Officials, violations and the accountability reports through the API: links and references checked,
 * what each role sees of them, and the reports per official, court and facility as JSON, CSV (formulas
 * defused) and a printable HTML document (escaped, no scripts), with the restricted reads audited.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { describeBothBackends } from '../../test-support/stores.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { auditEntries } from '../../features/audit/audit.service.js';
import type { Role } from '../../domain/policy.js';
import type { Store } from '../../store/connection.js';
import { buildApp } from '../app.js';
import type { App } from './app-types.js';

type Headers = { authorization: string };
const COLONY = 'Penal colony 3 Vitebsk';
const HIDDEN = 'RESTRICTEDDETAIL';
const FORMULA = '=HYPERLINK("http://evil.example","x")';

async function call(app: App, method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers, payload?: object) {
  return app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}

async function created(app: App, url: string, headers: Headers, payload: object): Promise<{ id: number; version: number }> {
  const response = await call(app, 'POST', url, headers, payload);
  assert.equal(response.statusCode, 201, `${url}: ${response.body}`);
  return response.json();
}

interface World {
  who: Record<Role, Headers>;
  ids: Record<'caseA' | 'caseB' | 'caseC' | 'publicSource' | 'secretSource' | 'judge' | 'head' | 'prosecutor' | 'v1' | 'v2' | 'v3', number>;
}

/** Two courts, one colony, three people (one restricted), three officials (one restricted), three violations. */
async function world(app: App, store: Store): Promise<World> {
  const who = {} as Record<Role, Headers>;
  for (const role of ['admin', 'editor', 'researcher', 'volunteer'] as const) who[role] = await memberWithToken(app, store, `${role}@example.org`, role);
  const ed = who.editor;
  for (const [external_id, confidentiality] of [['p1', 'internal'], ['p2', 'internal'], ['secret', 'restricted']]) {
    await created(app, '/api/v1/persons', ed, { external_id, confidentiality, names: [{ family: `Family${external_id}`, given: 'Ivan', lang: 'en' }] });
  }
  await created(app, '/api/v1/facilities', ed, { name: COLONY, type: 'penal_colony', region: 'Vitebsk Region' });
  const caseA = (await created(app, '/api/v1/cases', ed, { person: 'p1', case_number: '1-1/2021', articles: ['342'], court: 'Minsk City Court', verdict_date: '2021-05', term_months: 60 })).id;
  const caseB = (await created(app, '/api/v1/cases', ed, { person: 'p2', case_number: '1-2/2021', articles: ['361-1'], court: 'Minsk City Court', verdict_date: '2021-09', term_months: 36 })).id;
  const caseC = (await created(app, '/api/v1/cases', ed, { person: 'p2', case_number: '1-3/2022', articles: ['130'], court: 'Homiel Regional Court', verdict_date: '2022-02', term_months: 24 })).id;
  const publicSource = (await created(app, '/api/v1/sources', ed, { kind: 'url', url: 'https://spring96.org/en/news/1', title: 'Viasna report', confidentiality: 'public' })).id;
  const secretSource = (await created(app, '/api/v1/sources', ed, { kind: 'citation', citation: `${HIDDEN} witness interview`, confidentiality: 'restricted' })).id;
  const judge = (await created(app, '/api/v1/officials', ed, {
    name: 'Судья Петров Пётр', role: 'judge', institution: 'Minsk City Court', institution_kind: 'court',
    links: [{ entity: 'case', entity_id: caseA, role: 'judge' }, { entity: 'case', entity_id: caseB, role: 'judge' }],
  })).id;
  const head = (await created(app, '/api/v1/officials', ed, { name: 'Начальник Сидоров', role: 'facility_head', facility: COLONY })).id;
  const prosecutor = (await created(app, '/api/v1/officials', ed, { name: `${HIDDEN} Prosecutor`, role: 'prosecutor', confidentiality: 'restricted', links: [{ entity: 'case', entity_id: caseA, role: 'prosecutor' }] })).id;
  const v1 = (await created(app, '/api/v1/violations', ed, {
    person: 'p1', type: 'ill_treatment', date: '2021-07', facility: COLONY, official_ids: [head], source_ids: [publicSource, secretSource],
    description: `${FORMULA} <script>alert(1)</script>`, confidentiality: 'internal',
  })).id;
  const v2 = (await created(app, '/api/v1/violations', ed, { person: 'p2', type: 'denial_of_medical_care', date: '2022-01', facility: COLONY, case_id: caseB, official_ids: [head], description: `${HIDDEN} insulin withheld` })).id;
  const v3 = (await created(app, '/api/v1/violations', ed, { person: 'secret', type: 'incommunicado', date: '2022-03', end_date: '2022-09', facility: COLONY, official_ids: [head] })).id;
  return { who, ids: { caseA, caseB, caseC, publicSource, secretSource, judge, head, prosecutor, v1, v2, v3 } };
}

describeBothBackends('accountability API', (backend) => {
  it('checks what violations and officials refer to, and shows each role only what it may see', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { who, ids } = await world(app, store);
    const refused: [string, object, RegExp][] = [
      ['/api/v1/violations', { person: 'p1', type: 'ill_treatment', case_id: ids.caseB }, /another person's case/],
      ['/api/v1/violations', { person: 'p1', type: 'ill_treatment', date: '2022-05', end_date: '2022-01' }, /end_date/],
      ['/api/v1/violations', { person: 'p1', type: 'ill_treatment', official_ids: [999] }, /no official 999/],
      ['/api/v1/violations', { person: 'p1', type: 'ill_treatment', facility: 'Nowhere' }, /no facility named "Nowhere"/],
      ['/api/v1/violations', { person: 'p1', type: 'beating' }, /type/],
      ['/api/v1/officials', { name: 'X', role: 'judge', links: [{ entity: 'case', entity_id: 999, role: 'judge' }] }, /no case 999/],
      ['/api/v1/officials', { name: 'X', role: 'judge', links: [{ entity: 'case', entity_id: ids.caseA, role: 'judge' }, { entity: 'case', entity_id: ids.caseA, role: 'prosecutor' }] }, /linked twice/],
    ];
    for (const [url, payload, message] of refused) {
      const response = await call(app, 'POST', url, who.editor, payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      assert.match(response.json().error.message, message);
    }
    assert.equal((await call(app, 'POST', '/api/v1/violations', who.researcher, { person: 'p1', type: 'other' })).statusCode, 403);

    const v1 = await call(app, 'GET', `/api/v1/violations/${ids.v1}`, who.researcher);
    assert.equal(v1.statusCode, 200, v1.body);
    assert.deepEqual(v1.json().sources.map((s: { id: number }) => s.id), [ids.publicSource], 'a restricted source is not shown to a researcher');
    assert.deepEqual([v1.json().facility, v1.json().officials.map((o: { id: number }) => o.id)], [COLONY, [ids.head]]);
    assert.equal((await call(app, 'GET', `/api/v1/violations/${ids.v2}`, who.researcher)).statusCode, 404, 'violations are restricted by default');
    assert.equal((await call(app, 'GET', `/api/v1/violations/${ids.v3}`, who.researcher)).statusCode, 404);
    assert.equal((await call(app, 'GET', `/api/v1/officials/${ids.prosecutor}`, who.volunteer)).statusCode, 404);
    const editorView = await call(app, 'GET', `/api/v1/violations/${ids.v1}`, who.editor);
    assert.deepEqual(editorView.json().sources.map((s: { id: number }) => s.id), [ids.publicSource, ids.secretSource]);
    const read = (await auditEntries(store.db, { limit: 5, action: 'read_restricted' }))[0]!;
    assert.deepEqual([read.entity, read.entity_id, read.detail.fields], ['violation', String(ids.v1), ['sources']]);

    const judge = await call(app, 'GET', `/api/v1/officials/${ids.judge}`, who.volunteer);
    assert.deepEqual(judge.json().links.map((l: { entity_id: number; role: string }) => [l.entity_id, l.role]), [[ids.caseA, 'judge'], [ids.caseB, 'judge']]);
    const head = (await call(app, 'GET', `/api/v1/officials/${ids.head}`, who.volunteer)).json();
    assert.deepEqual([head.facility, head.institution_kind], [COLONY, 'facility']);
    const stale = await call(app, 'PATCH', `/api/v1/officials/${ids.judge}`, who.editor, { version: 1, change_reason: 'court papers', links: [] });
    assert.equal(stale.statusCode, 200, stale.body);
    assert.equal((await call(app, 'PATCH', `/api/v1/officials/${ids.judge}`, who.editor, { version: 1, change_reason: 'again', links: [] })).statusCode, 409);
    const history = (await call(app, 'GET', `/api/v1/officials/${ids.judge}/history`, who.editor)).json().items;
    assert.deepEqual(history.map((h: { after: { links: unknown[] } }) => h.after.links.length), [2, 0], 'the links are part of every version');
    await app.close();
  });

  it('reports per official, court and facility from what the viewer may see, and audits restricted reads and the export', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { who, ids } = await world(app, store);
    const report = async (by: string, headers: Headers) => {
      const response = await call(app, 'GET', `/api/v1/reports/accountability?by=${by}`, headers);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as { groups: { key: string; name: string; officials: { name: string; role: string }[]; counts: Record<string, number>; items: { kind: string; id: number }[] }[] };
    };
    const group = (r: Awaited<ReturnType<typeof report>>, key: string) => r.groups.find((g) => g.key === key)!;

    const byOfficial = await report('official', who.editor);
    assert.deepEqual(byOfficial.groups.map((g) => g.key), [`official:${ids.head}`, `official:${ids.judge}`, `official:${ids.prosecutor}`], 'most violations first, then most items');
    assert.deepEqual(group(byOfficial, `official:${ids.judge}`).counts, { cases: 2, events: 0, violations: 0, persons: 2, term_months: 96, ill_treatment: 0, incommunicado: 0, denial_of_medical_care: 0, forced_labour: 0, other: 0 });
    assert.deepEqual(group(byOfficial, `official:${ids.head}`).items.map((i) => i.id), [ids.v1, ids.v2, ids.v3], 'in date order');

    const byCourt = await report('court', who.editor);
    const minsk = group(byCourt, 'court:Minsk City Court');
    assert.deepEqual([minsk.counts.cases, minsk.counts.violations, minsk.counts.denial_of_medical_care, minsk.counts.term_months, minsk.counts.persons], [2, 1, 1, 96, 2]);
    assert.deepEqual(minsk.officials.map((o) => `${o.name}|${o.role}`).sort(), ['Судья Петров Пётр|judge', `${HIDDEN} Prosecutor|prosecutor`, 'Начальник Сидоров|facility_head'].sort());
    assert.equal(group(byCourt, 'court:Homiel Regional Court').counts.term_months, 24);

    const byFacility = await report('facility', who.editor);
    assert.deepEqual(byFacility.groups.map((g) => [g.name, g.counts.violations, g.counts.ill_treatment, g.counts.incommunicado, g.counts.persons]), [[COLONY, 3, 1, 1, 3]]);

    const reads = await auditEntries(store.db, { limit: 200, action: 'read_restricted' });
    const readKeys = new Set(reads.filter((r) => r.actor === 'editor@example.org').map((r) => `${r.entity}:${r.entity_id}`));
    for (const key of [`violation:${ids.v2}`, `violation:${ids.v3}`, `official:${ids.prosecutor}`, `source:${ids.secretSource}`]) assert.ok(readKeys.has(key), `${key} read is audited`);
    const exports = await auditEntries(store.db, { limit: 10, action: 'export' });
    assert.deepEqual(exports.map((e) => e.detail.by), ['facility', 'court', 'official']);

    // A researcher's report leaves out what they may not see, and says nothing restricted.
    const researcher = await call(app, 'GET', '/api/v1/reports/accountability?by=facility', who.researcher);
    assert.deepEqual(researcher.json().groups.map((g: { counts: Record<string, number> }) => [g.counts.violations, g.counts.persons]), [[1, 1]]);
    assert.ok(!researcher.body.includes(HIDDEN));
    const researcherCourt = await call(app, 'GET', '/api/v1/reports/accountability?by=official', who.researcher);
    assert.ok(!researcherCourt.body.includes(HIDDEN), 'the restricted prosecutor is not named');
    assert.equal((await call(app, 'GET', '/api/v1/reports/accountability?by=official', who.volunteer)).statusCode, 403, 'a report is an export');
    assert.equal((await call(app, 'GET', '/api/v1/reports/accountability?by=judge', who.editor)).statusCode, 400);
    assert.equal((await call(app, 'GET', '/api/v1/reports/accountability?by=official&from=2021', who.editor)).statusCode, 400);
    const period = await report('court&from=2022-01-01', who.editor);
    assert.deepEqual(period.groups.map((g) => g.name), ['Homiel Regional Court'], 'a period keeps only what is dated in it');
    await app.close();
  });

  it('exports the report as CSV with formulas defused and as a printable HTML document', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { who, ids } = await world(app, store);
    const csv = await call(app, 'GET', '/api/v1/reports/accountability?by=facility&format=csv&rows=items', who.editor);
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => [r.item_kind, r.item_id, r.violation_type]), [['violation', String(ids.v1), 'ill_treatment'], ['violation', String(ids.v2), 'denial_of_medical_care'], ['violation', String(ids.v3), 'incommunicado']]);
    assert.ok(rows[0]!.description!.startsWith(`'${FORMULA}`), `formula defused: ${rows[0]!.description}`);
    assert.match(rows[0]!.sources!, /Viasna report https:\/\/spring96\.org\/en\/news\/1/);
    const groups = parse((await call(app, 'GET', '/api/v1/reports/accountability?by=court&format=csv', who.editor)).body, { columns: true }) as Record<string, string>[];
    assert.deepEqual(groups.map((g) => [g.name, g.cases, g.violations, g.term_months_total]), [['Minsk City Court', '2', '1', '96'], ['Homiel Regional Court', '1', '0', '24']]);

    const doc = await call(app, 'GET', '/api/v1/reports/accountability?by=official&format=html', who.editor);
    assert.equal(doc.statusCode, 200);
    assert.match(String(doc.headers['content-type']), /^text\/html/);
    const body = doc.body;
    assert.doesNotMatch(body, /<script/i, 'no scripts, and stored markup is escaped');
    assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(body, /<h1>Accountability report by official<\/h1>/);
    assert.match(body, new RegExp(`<dt>Date</dt><dd>${new Date().toISOString().slice(0, 10)}`));
    assert.match(body, /Generated by<\/dt><dd>Vigil, from its registry/);
    assert.match(body, /up to the level “restricted”/);
    assert.match(body, /<p class="notice">RESTRICTED:/);
    assert.ok(body.includes('<a href="https://spring96.org/en/news/1">Viasna report</a>'), 'sources cited');
    assert.match(body, /@media print/);
    const csp = String(doc.headers['content-security-policy']);
    const style = /<style>([\s\S]*?)<\/style>/.exec(body)![1]!;
    const { createHash } = await import('node:crypto');
    assert.ok(csp.includes(`'sha256-${createHash('sha256').update(style).digest('base64')}'`), 'the CSP allows exactly the document\u2019s style');
    assert.match(csp, /default-src 'none'/);

    const researcherDoc = (await call(app, 'GET', '/api/v1/reports/accountability?by=facility&format=html', who.researcher)).body;
    assert.ok(!researcherDoc.includes(HIDDEN) && !researcherDoc.includes('RESTRICTED:'));
    assert.match(researcherDoc, /<p class="notice">INTERNAL:/);
    assert.match(researcherDoc, /up to the level “internal”/);
    await app.close();
  });
});
