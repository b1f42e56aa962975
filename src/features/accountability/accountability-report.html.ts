/**
 * The accountability report as a printable document for UN and OSCE submissions: one standalone HTML
 * file (print CSS, no scripts, no external requests), escaped by construction with the site's `html`
 * tag. It states when it was made, from what, for whom and at which confidentiality, and cites the
 * sources of every item.
 */
import { createHash } from 'node:crypto';
import { VIOLATION_TYPES } from '../../domain/casework.js';
import { Html, html, safeUrl } from '../../web/site/html.js';
import type { AccountabilityReport, ReportGroup, ReportItem, ReportSource } from './accountability.service.js';

const TITLES = { official: 'by official', court: 'by court', facility: 'by place of detention' } as const;
const GROUP_WORD = { official: 'Official', court: 'Court', facility: 'Place of detention' } as const;

export const REPORT_CSS = `
@page { size: A4; margin: 18mm 16mm; }
body { font: 10.5pt/1.45 Georgia, 'Times New Roman', serif; color: #000; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 18pt; margin: 0 0 .3rem; } h2 { font-size: 13.5pt; margin: 1.6rem 0 .3rem; border-bottom: 1px solid #000; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; } thead { display: table-header-group; }
th, td { border: 1px solid #777; padding: .2rem .35rem; vertical-align: top; text-align: left; } th { background: #eee; }
td.num, th.num { text-align: right; } tr, .item { break-inside: avoid; }
.notice { border: 2px solid #000; padding: .4rem .6rem; font-weight: bold; margin: .6rem 0; }
.meta dt { font-weight: bold; float: left; clear: left; width: 9rem; } .meta dd { margin: 0 0 .2rem 9.5rem; }
.sources { margin: .2rem 0 0; padding-left: 1.2rem; font-size: 9.5pt; } .muted { color: #444; }
a { color: #000; } @media print { a[href]::after { content: " <" attr(href) ">"; font-size: 8.5pt; word-break: break-all; } h2 { break-after: avoid; } }
`.trim();

/** For the Content-Security-Policy of the route that serves the document: only this style may apply. */
export const REPORT_CSS_HASH = `sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}`;

function source(s: ReportSource): Html {
  const href = safeUrl(s.url);
  const title = s.title ?? s.citation ?? s.url ?? 'source';
  return html`<li>${href ? html`<a href="${href}">${title}</a>` : title}${s.citation && s.title ? html`. ${s.citation}` : ''}${s.published_date ? ` (${s.published_date})` : ''}</li>`;
}

function item(i: ReportItem): Html {
  const officials = i.officials.map((o) => `${o.name} (${o.role.replaceAll('_', ' ')})`).join('; ');
  return html`<tr class="item"><td>${i.date ?? 'date not known'}</td><td>${i.person.name}<br><span class="muted">${i.person.external_id}</span></td>
<td>${i.summary}${i.role ? html`<br><span class="muted">Role: ${i.role.replaceAll('_', ' ')}</span>` : ''}${officials ? html`<br><span class="muted">Officials: ${officials}</span>` : ''}${i.description ? html`<br>${i.description}` : ''}
${i.sources.length ? html`<ol class="sources">${i.sources.map(source)}</ol>` : html`<br><span class="muted">No source recorded.</span>`}</td><td>${i.confidentiality}</td></tr>`;
}

function details(group: ReportGroup): Html {
  const rows = Object.entries(group.details).filter(([, value]) => value);
  return rows.length ? html`<p class="muted">${rows.map(([key, value], n) => html`${n ? ' · ' : ''}${key.replaceAll('_', ' ')}: ${value}`)}</p>` : html``;
}

function section(report: AccountabilityReport, group: ReportGroup, n: number): Html {
  const c = group.counts;
  const types = VIOLATION_TYPES.filter((type) => c[type] > 0).map((type) => `${type.replaceAll('_', ' ')}: ${c[type]}`).join(', ');
  return html`<section><h2 id="g${n}">${n}. ${group.name}</h2>${details(group)}
<p>${c.cases} case(s), ${c.events} event(s), ${c.violations} violation(s)${types ? ` (${types})` : ''}; ${c.persons} person(s) affected${c.term_months ? `; sentences totalling ${c.term_months} months` : ''}.</p>
${group.officials.length ? html`<p>Officials: ${group.officials.map((o) => `${o.name} (${o.role.replaceAll('_', ' ')})`).join('; ')}</p>` : ''}
${group.items.length ? html`<table><thead><tr><th scope="col">Date</th><th scope="col">Person</th><th scope="col">What is documented, with sources</th><th scope="col">Level</th></tr></thead>
<tbody>${group.items.map(item)}</tbody></table>` : html`<p class="muted">No ${report.by === 'official' ? 'case, event or violation' : 'item'} documented for this ${GROUP_WORD[report.by].toLowerCase()} in the scope of this report.</p>`}</section>`;
}

function summary(report: AccountabilityReport): Html {
  return html`<table><thead><tr><th scope="col">${GROUP_WORD[report.by]}</th><th scope="col" class="num">Cases</th><th scope="col" class="num">Events</th><th scope="col" class="num">Violations</th><th scope="col" class="num">Persons</th></tr></thead>
<tbody>${report.groups.map((g, i) => html`<tr><td><a href="#g${i + 1}">${g.name}</a></td><td class="num">${g.counts.cases}</td><td class="num">${g.counts.events}</td><td class="num">${g.counts.violations}</td><td class="num">${g.counts.persons}</td></tr>`)}</tbody></table>`;
}

function levelsShown(report: AccountabilityReport): Set<string> {
  return new Set(report.groups.flatMap((g) => g.items.map((i) => i.confidentiality)));
}

/** The whole document; the style sheet is constant text (never data), so it goes in as it is. */
export function accountabilityDocument(report: AccountabilityReport): string {
  const date = report.generated_at.slice(0, 10);
  const levels = levelsShown(report);
  const period = report.scope.from || report.scope.to ? `from ${report.scope.from ?? 'the earliest record'} to ${report.scope.to ?? date}` : 'all dates';
  const warning = levels.has('restricted')
    ? 'RESTRICTED: this document contains restricted information (health, witnesses, ill-treatment details). Share it only with the recipients it was prepared for; remove restricted items before any publication.'
    : levels.has('internal')
      ? 'INTERNAL: this document contains information not published by the registry. Check every item before sharing it beyond the team.'
      : null;
  const doc = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accountability report ${TITLES[report.by]}, ${date}</title><style>${new Html(REPORT_CSS)}</style></head>
<body><header><h1>Accountability report ${TITLES[report.by]}</h1>
<p>Violations and prosecutions of political prisoners in Belarus: who was involved, where, and on what evidence.</p>
${report.scope.demo ? html`<p class="notice">FICTIONAL DEMO DATA: the registry this report was generated from holds the fictional demo data set; nothing in it is real.</p>` : ''}
${warning ? html`<p class="notice">${warning}</p>` : ''}
<dl class="meta"><dt>Date</dt><dd>${date} (generated ${report.generated_at.slice(11, 16)} UTC)</dd>
<dt>Scope</dt><dd>${report.groups.length} ${GROUP_WORD[report.by].toLowerCase()}(s); ${period}; every record up to the level “${report.scope.clearance}” that the person who generated it may see.</dd>
<dt>Generated by</dt><dd>Vigil, from its registry of political prisoners (records with their full history), at the request of ${report.scope.viewer}.</dd>
<dt>Sources</dt><dd>Each item lists the sources the registry cites for it; an item without a recorded source says so. Dates may be partial (a year or a month) where only that is known.</dd></dl></header>
<main>${report.groups.length ? summary(report) : html`<p>No records in the scope of this report.</p>`}
${report.groups.map((group, i) => section(report, group, i + 1))}</main>
<footer><p class="muted">Generated by Vigil on ${report.generated_at}. The counts are computed from the records listed; they are not estimates.</p></footer>
</body></html>
`;
  return doc.value;
}
