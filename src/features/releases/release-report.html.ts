/**
 * The release reports as one standalone, printable HTML document (for a meeting, an embassy, a file):
 * released by deal and destination, still held among those asked for, re-arrested after release, and
 * the facts of each deal with the sanctions traded for it. Server-rendered, no scripts, escaped by
 * construction (web/site/html.ts), its one stylesheet inline so the saved file stands alone; the
 * document carries the confidentiality marking of what it holds. English only for now.
 */
import { createHash } from 'node:crypto';
import type { Viewer } from '../../domain/policy.js';
import type { Store } from '../../store/connection.js';
import { html, Html, join } from '../../web/site/html.js';
import { holdsDemoData } from '../demo/demo.service.js';
import { findDeal } from './deal.service.js';
import { buildReleaseReport, type DealSummary, type ReleaseReport, type ReportOptions, type RestrictedRead } from './reports.service.js';

export interface DealFacts {
  slug: string;
  envoy: string | null;
  counterpart: string | null;
  destinations: string[];
  conditions: string[];
  summary: string | null;
  concessions: { issuer: string; target: string; action: string; imposed_on: string | null; eased_on: string | null; lifted_on: string | null; reimposed_on: string | null }[];
}

export interface ReportDocument {
  report: ReleaseReport;
  facts: DealFacts[];
  /** When and by whom it was made: printed on the document. */
  generatedAt: string;
  generatedBy: string;
  fictional: boolean;
  /** The document shows restricted values. */
  restricted: boolean;
}

const CSS = `
@page{size:A4;margin:18mm 15mm}
*{box-sizing:border-box}
body{font:10.5pt/1.4 "Noto Serif",Georgia,"Times New Roman",serif;color:#111;max-width:60rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:18pt;margin:.2rem 0}
h2{font-size:13pt;margin:1.4rem 0 .4rem;border-bottom:1.5pt solid #111;padding-bottom:.1rem}
h3{font-size:11pt;margin:1rem 0 .3rem}
.marking{font:700 9pt/1.3 system-ui,sans-serif;letter-spacing:.04em;text-transform:uppercase;border:1.5pt solid #111;padding:.25rem .5rem;margin:0 0 .6rem}
.marking.restricted{background:#111;color:#fff}
.meta,.note,.fictional{font-size:9pt;color:#333;margin:.2rem 0}
.fictional{font-weight:700;border:1pt dashed #111;padding:.2rem .4rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0 .6rem;font-size:9.5pt}
th,td{border:.5pt solid #777;padding:.2rem .35rem;text-align:left;vertical-align:top}
th{background:#eee}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tfoot td{font-weight:700}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0}
dt{font-weight:700}
dd{margin:0}
section,table,dl{page-break-inside:avoid;break-inside:avoid}
h2,h3{page-break-after:avoid;break-after:avoid}
footer{margin-top:1.5rem;border-top:.5pt solid #777;padding-top:.4rem;font-size:8.5pt;color:#333}
@media print{body{margin:0;max-width:none;padding:0}}
`;

/** The Content-Security-Policy the document needs when served: its inline stylesheet and nothing else. */
export const RELEASE_REPORT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const countries = new Intl.DisplayNames('en', { type: 'region' });
function country(code: string): string {
  if (code === 'unknown') return 'country not recorded';
  try {
    return `${countries.of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
}

const OUTCOME: Record<string, string> = { released: 'listed as released, yet held on this day', asked_not_released: 'asked for, not released', refused_expulsion: 'refused expulsion, taken back' };
const words = (code: string) => code.replaceAll('_', ' ');
const orDash = (markup: Html, dash = '—'): Html | string => (markup.value === '' ? dash : markup);
const notShown = (n: number, what: string) => (n > 0 ? html`<p class="note">and ${n} ${n === 1 ? 'person' : 'people'} ${what} not named here: your role may not see them or the events behind the line.</p>` : '');

function marking(doc: ReportDocument): Html {
  return doc.restricted
    ? html`<p class="marking restricted">Restricted — contains restricted information; do not copy or pass on. Every reading of it is in the audit trail.</p>`
    : html`<p class="marking">Internal — for the team only: names people who have not agreed to publication.</p>`;
}

function byDealTable(deals: readonly DealSummary[]): Html {
  const sum = (pick: (d: DealSummary) => number) => deals.reduce((total, d) => total + pick(d), 0);
  const rows = deals.map((d) => html`<tr><td>${d.slug}${d.confidentiality === 'restricted' ? ' (restricted)' : ''}</td><td>${d.date}</td><td>${d.facilitator ?? '—'}</td>
<td class="num">${d.released}</td><td class="num">${d.expelled}</td><td>${orDash(join(Object.entries(d.destinations).sort().map(([code, n]) => `${n} to ${country(code)}`), '; '))}</td>
<td class="num">${d.refused_expulsion}</td><td class="num">${d.asked_not_released}</td><td class="num">${d.still_held.length + d.still_held_not_shown}</td></tr>`);
  return html`<table><thead><tr><th>Deal</th><th>Date</th><th>Mediated by</th><th class="num">Released</th><th class="num">Expelled</th><th>Expelled to</th><th class="num">Refused expulsion</th><th class="num">Asked, not released</th><th class="num">Still held</th></tr></thead>
<tbody>${rows}</tbody>${deals.length > 1 ? html`<tfoot><tr><td colspan="3">All deals</td><td class="num">${sum((d) => d.released)}</td><td class="num">${sum((d) => d.expelled)}</td><td></td><td class="num">${sum((d) => d.refused_expulsion)}</td><td class="num">${sum((d) => d.asked_not_released)}</td><td class="num">${sum((d) => d.still_held.length + d.still_held_not_shown)}</td></tr></tfoot>` : ''}</table>`;
}

function stillHeld(deal: DealSummary): Html {
  const heading = html`<h3>${deal.slug} (${deal.date}): ${deal.still_held.length + deal.still_held_not_shown} of ${deal.asked_for} named still held</h3>`;
  if (deal.still_held.length === 0) return html`<section>${heading}${deal.still_held_not_shown ? notShown(deal.still_held_not_shown, 'still held are') : html`<p class="note">No one named in this deal is known to be held.</p>`}</section>`;
  const rows = deal.still_held.map((p) => html`<tr><td>${p.name}</td><td>${p.external_id}</td><td>${OUTCOME[p.outcome] ?? words(p.outcome)}</td></tr>`);
  return html`<section>${heading}<table><thead><tr><th>Name</th><th>Registry id</th><th>In the deal</th></tr></thead><tbody>${rows}</tbody></table>${notShown(deal.still_held_not_shown, 'still held are')}</section>`;
}

function rearrested(report: ReleaseReport): Html {
  if (report.rearrested.length === 0 && report.rearrested_not_shown === 0) return html`<p class="note">No one is known to have been detained again after release.</p>`;
  const rows = report.rearrested.map((r) => html`<tr><td>${r.person.name}</td><td>${r.person.external_id}</td><td>${r.released_on}</td><td>${r.deal ?? '—'}</td><td>${r.detained_again_on}</td></tr>`);
  return html`${rows.length ? html`<table><thead><tr><th>Name</th><th>Registry id</th><th>Released</th><th>Released by deal</th><th>Detained again</th></tr></thead><tbody>${rows}</tbody></table>` : ''}${notShown(report.rearrested_not_shown, 'detained again are')}`;
}

function dealFacts(summary: DealSummary, facts: DealFacts | undefined): Html {
  if (!facts) return html``;
  const dated = (c: DealFacts['concessions'][number]) =>
    join([c.imposed_on && `imposed ${c.imposed_on}`, c.eased_on && `eased ${c.eased_on}`, c.lifted_on && `lifted ${c.lifted_on}`, c.reimposed_on && `reimposed ${c.reimposed_on}`], ', ');
  const concessions = facts.concessions.length
    ? html`<table><thead><tr><th>Issuer</th><th>Measure</th><th>In return</th><th>Dates</th></tr></thead><tbody>${facts.concessions.map((c) => html`<tr><td>${c.issuer}</td><td>${c.target}</td><td>${c.action}</td><td>${dated(c)}</td></tr>`)}</tbody></table>`
    : html`<p class="note">No sanctions relief recorded for this deal.</p>`;
  return html`<section><h3>${summary.slug}</h3><dl>
<dt>Date</dt><dd>${summary.date}</dd><dt>Mediated by</dt><dd>${summary.facilitator ?? '—'}</dd><dt>Envoy</dt><dd>${facts.envoy ?? '—'}</dd><dt>Other party</dt><dd>${facts.counterpart ?? '—'}</dd>
<dt>Destinations</dt><dd>${orDash(join(facts.destinations.map(country), '; '))}</dd><dt>Conditions</dt><dd>${orDash(join(facts.conditions.map(words), '; '), 'none recorded')}</dd>
${facts.summary ? html`<dt>Summary</dt><dd>${facts.summary}</dd>` : ''}</dl>${concessions}</section>`;
}

/** The document itself: pure, from data already filtered for the viewer. */
export function renderReleaseReport(doc: ReportDocument): string {
  const { report } = doc;
  const scope = report.deal ? `deal ${report.deal}` : `all deals (${report.deals.length})`;
  const title = `Negotiated releases — ${scope}, as of ${report.date}`;
  const facts = new Map(doc.facts.map((f) => [f.slug, f]));
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">
<title>${title}</title><style>${new Html(CSS)}</style></head>
<body><header>${marking(doc)}${doc.fictional ? html`<p class="fictional">This store holds the FICTIONAL demo dataset: every person and deal in this report is made up.</p>` : ''}
<h1>Negotiated releases</h1><p class="meta">${scope} · status at the end of ${report.date} · prepared ${doc.generatedAt} by ${doc.generatedBy}</p></header>
<main>
<section><h2>1. Released by deal and destination</h2>${report.deals.length ? byDealTable(report.deals) : html`<p class="note">No deal to report.</p>`}</section>
<section><h2>2. Still held among those asked for</h2>${report.deals.map(stillHeld)}</section>
<section><h2>3. Re-arrested after release</h2>${report.deal ? html`<p class="note">People this deal freed who were later detained again.</p>` : ''}${rearrested(report)}</section>
<section><h2>The deals</h2>${report.deals.map((d) => dealFacts(d, facts.get(d.slug)))}</section>
</main>
<footer>Counts are computed from recorded events and include everyone in the deals shown; people are named only where your role may see them and the events behind the line. Generated by Vigil.</footer>
</body></html>
`;
  return body.toString();
}

async function factsOf(store: Store, report: ReleaseReport): Promise<DealFacts[]> {
  const rows = await store.db.selectFrom('release_deal').select(['id', 'slug']).where('slug', 'in', report.deals.length ? report.deals.map((d) => d.slug) : ['']).execute();
  const facts: DealFacts[] = [];
  for (const row of rows) {
    const deal = await findDeal(store, row.id);
    const ids = deal.concessions.map((c) => c.measure_id);
    const measures = ids.length ? await store.db.selectFrom('sanction_measure').selectAll().where('id', 'in', ids).orderBy('issuer').orderBy('target').execute() : [];
    const action = new Map(deal.concessions.map((c) => [c.measure_id, c.action]));
    facts.push({
      slug: deal.slug, envoy: deal.envoy, counterpart: deal.counterpart, destinations: deal.destinations, conditions: deal.conditions, summary: deal.summary,
      concessions: measures.map((m) => ({ issuer: m.issuer, target: m.target, action: action.get(m.id)!, imposed_on: m.imposed_on, eased_on: m.eased_on, lifted_on: m.lifted_on, reimposed_on: m.reimposed_on })),
    });
  }
  return facts;
}

/** The printable report for this viewer, and the restricted values it shows (for the caller to audit). */
export async function printableReleaseReport(store: Store, viewer: Extract<Viewer, { kind: 'member' }>, options: ReportOptions & { by?: string; now?: Date } = {}): Promise<{ html: string; reads: RestrictedRead[] }> {
  const now = options.now ?? new Date();
  const { report, reads } = await buildReleaseReport(store, viewer, options);
  const doc: ReportDocument = {
    report, facts: await factsOf(store, report), generatedAt: now.toISOString().slice(0, 16).replace('T', ' ') + ' UTC', generatedBy: options.by ?? viewer.email,
    fictional: await holdsDemoData(store), restricted: reads.length > 0,
  };
  return { html: renderReleaseReport(doc), reads };
}
