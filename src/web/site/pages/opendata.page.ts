/**
 * Open data: the documentation page (/opendata, in the site's three languages) and the three
 * downloads. The downloads depend only on the data and the day, so they carry an ETag made of the data
 * stamp and the day: a client revalidates with If-None-Match and gets 304 while nothing changed.
 * The field tables on the page are made from the same field lists that make the files.
 */
import compress from '@fastify/compress';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { FACILITY_TYPES, GENDERS, REGIMES } from '../../../domain/event-types.js';
import {
  csvStream, EVENT_CSV_COLUMNS, eventCsvRows, OPEN_DATA_FORMAT, OPEN_DATA_LICENCE, PERSON_CSV_COLUMNS, PERSON_JSON_FIELDS, personCsvRows,
  personsJsonChunks, WRAPPER_FIELDS, type FieldSpec, type FieldType,
} from '../../../features/opendata/opendata.service.js';
import { PUBLIC_STATUSES, publicRegistry, type PublicRegistry } from '../../../features/public/public-registry.service.js';
import { statsOn } from '../../../features/stats/stats.service.js';
import type { Store } from '../../../store/connection.js';
import type { App } from '../../api/app-types.js';
import { html, type Html } from '../html.js';
import { formatDate, type Lang } from '../i18n.js';
import { translator, type PageContext } from '../layout.js';
import { EVENT_LABELS, label, REASON_LABELS, REGIME_LABELS, STATUS_LABELS } from '../labels.js';
import { siteOrigin, sitePage, type SitePage } from '../site.js';
import { openDataText } from './opendata.text.js';

type Key = keyof typeof openDataText.texts.en;

// ---------------------------------------------------------------------------------------------------
// The downloads

interface Download {
  path: string;
  file: string;
  type: string;
  summary: string;
  body(store: Store, registry: PublicRegistry, request: FastifyRequest): Promise<Readable>;
}

const CSV = 'text/csv; charset=utf-8; header=present';

/** A failure after the first byte can only end the response; a client going away is not one. */
const logFailure = (request: FastifyRequest) => (error: Error) => {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') request.log.error({ err: error }, 'open data download failed mid-stream');
};

export const DOWNLOADS: readonly Download[] = [
  {
    path: '/opendata/persons.json', file: 'persons.json', type: 'application/json; charset=utf-8',
    summary: 'Published people (Popolo-style JSON) with the aggregate counts for today',
    async body(store, registry) {
      const totals = await statsOn(store, registry.today);
      return Readable.from(personsJsonChunks({ registry, origin: siteOrigin() }, totals, new Date().toISOString()));
    },
  },
  {
    path: '/opendata/persons.csv', file: 'vigil-persons.csv', type: CSV,
    summary: 'Published people, one row each (RFC 4180 CSV)',
    async body(_store, registry, request) {
      return csvStream(PERSON_CSV_COLUMNS, personCsvRows({ registry, origin: siteOrigin() }), logFailure(request));
    },
  },
  {
    path: '/opendata/events.csv', file: 'vigil-events.csv', type: CSV,
    summary: 'Public events of published people, with place, deal and source (RFC 4180 CSV)',
    async body(store, registry, request) {
      return csvStream(EVENT_CSV_COLUMNS, eventCsvRows(store, registry), logFailure(request));
    },
  },
];

/** The downloads change when the data does or the day turns (statuses are as of today). */
export const downloadTag = (registry: Pick<PublicRegistry, 'stamp' | 'today'>) => `W/"opendata-${OPEN_DATA_FORMAT}-${registry.stamp}-${registry.today}"`;

/** If-None-Match holds a list of tags (or *); comparison is weak, as RFC 9110 asks for GET. */
function stillFresh(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  const bare = (value: string) => value.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim() === '*' || bare(candidate) === bare(tag));
}

async function serveDownload(store: Store, download: Download, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const registry = await publicRegistry(store);
  const tag = downloadTag(registry);
  reply
    .header('ETag', tag)
    .header('Cache-Control', 'public, max-age=300')
    // Open data: other sites' scripts may fetch it.
    .header('Access-Control-Allow-Origin', '*')
    .header('Cross-Origin-Resource-Policy', 'cross-origin');
  if (stillFresh(request.headers['if-none-match'], tag)) return reply.status(304).send();
  reply.header('Content-Type', download.type);
  if (download.type === CSV) reply.header('Content-Disposition', `attachment; filename="${download.file}"`);
  return reply.send(await download.body(store, registry, request));
}

const PartialDate = z.string().describe('YYYY, YYYY-MM or YYYY-MM-DD');

/** persons.json for the API description (the file itself is streamed, not checked against it). */
const PersonsDocument = z.object({
  schema: z.string(), generated: z.string(), as_of: z.string(),
  license: z.object({ id: z.string(), name: z.string(), url: z.string() }),
  totals: z.object({ date: z.string(), in_custody: z.number().int(), political_prisoners: z.number().int(), released_political_prisoners: z.number().int(), died_in_custody: z.number().int() }),
  count: z.number().int(),
  persons: z.array(z.object({
    id: z.string(), name: z.string(),
    other_names: z.array(z.object({ name: z.string(), family_name: z.string().optional(), given_name: z.string().optional(), patronymic_name: z.string().optional(), lang: z.string().optional(), script: z.string().optional(), note: z.string().optional() })),
    identifiers: z.array(z.object({ scheme: z.literal('vigil'), identifier: z.string() })),
    birth_date: PartialDate.nullable(), gender: z.enum(GENDERS).nullable(), region: z.string().nullable(),
    status: z.enum(PUBLIC_STATUSES).nullable(), status_since: PartialDate.nullable(), recognized_on: PartialDate.nullable(),
    articles: z.array(z.string()),
    facility: z.object({ name: z.string(), type: z.enum(FACILITY_TYPES), region: z.string().nullable() }).nullable(),
    expelled_to: z.string().describe('ISO 3166-1 alpha-2').nullable(), term_months: z.number().int().nullable(), regime: z.enum(REGIMES).nullable(), url: z.string(),
  })),
});

function openApiSchema(download: Download) {
  const media = download.type.split(';')[0]!;
  const body = media === 'application/json' ? PersonsDocument : z.string().describe('RFC 4180 CSV, UTF-8, header row');
  return {
    tags: ['public'],
    summary: download.summary,
    description: 'Documented field by field at /opendata (docs/OPENDATA.md). Send the ETag back in If-None-Match to get 304 while nothing changed.',
    security: [],
    response: {
      200: { description: download.summary, content: { [media]: { schema: body } } },
      304: z.null().describe('Not modified since the ETag sent in If-None-Match (no body)'),
    },
  };
}

/** The three downloads, compressed (gzip or brotli) in a scope of their own; the site's pages have their own cache. */
export function openDataRoutes(app: App, store: Store): void {
  app.register(async (scope) => {
    await scope.register(compress, { encodings: ['br', 'gzip'], globalDecompression: false, threshold: 1024 });
    for (const download of DOWNLOADS) {
      scope.get(download.path, { schema: openApiSchema(download) }, (request, reply) => serveDownload(store, download, request, reply));
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// The documentation page

const VALUE_LABELS: Record<string, ((lang: Lang, code: string) => string) | undefined> = {
  status: (lang, code) => label(STATUS_LABELS, lang, code),
  type: (lang, code) => label(EVENT_LABELS, lang, code),
  regime: (lang, code) => label(REGIME_LABELS, lang, code),
  reason: (lang, code) => label(REASON_LABELS, lang, code),
};

function typeText(t: (key: Key, params?: Record<string, string>) => string, spec: FieldSpec, csv: boolean): string {
  const type = t(`type_${spec.type}` satisfies `type_${FieldType}`);
  return spec.nullable ? t(csv ? 'nullable_csv' : 'nullable_json', { type }) : type;
}

function valuesCell(ctx: PageContext, spec: FieldSpec): Html | string {
  if (spec.values) {
    const named = VALUE_LABELS[spec.name];
    return html`<ul class="codes">${spec.values.map((code) => html`<li><code>${code}</code>${named ? ` — ${named(ctx.lang, code)}` : ''}</li>`)}</ul>`;
  }
  if (spec.type === 'partial_date') return html`<code>YYYY</code>, <code>YYYY-MM</code>, <code>YYYY-MM-DD</code>`;
  if (spec.type === 'country') return 'ISO 3166-1 alpha-2';
  return '';
}

function fieldTable<N extends string>(ctx: PageContext, id: string, caption: string, specs: readonly FieldSpec<N>[], meaning: (name: N) => Key, csv: boolean): Html {
  const t = translator(ctx, openDataText);
  return html`<section aria-labelledby="${id}">
<h2 id="${id}">${caption}</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${t('th_field')}</th><th scope="col">${t('th_type')}</th><th scope="col">${t('th_meaning')}</th><th scope="col">${t('th_values')}</th><th scope="col">${t('th_popolo')}</th></tr></thead>
<tbody>${specs.map((spec) => html`<tr><th scope="row"><code>${spec.name}</code></th><td>${typeText(t, spec, csv)}</td><td>${t(meaning(spec.name))}</td><td>${valuesCell(ctx, spec)}</td><td>${spec.popolo ? html`<code>${spec.popolo}</code>` : '—'}</td></tr>`)}</tbody>
</table></div>
</section>`;
}

// Fields whose meaning differs between the JSON and the CSV have their own text for the CSV.
const CSV_MEANING: Partial<Record<string, Key>> = { other_names: 'p_other_names_csv', facility: 'p_facility_csv' };

export const openDataPage = sitePage({
  path: '/opendata',
  query: z.object({}),
  async render({ ctx, registry }) {
    const t = translator(ctx, openDataText);
    const downloads: [string, Key][] = [['/opendata/persons.json', 'dl_persons_json'], ['/opendata/persons.csv', 'dl_persons_csv'], ['/opendata/events.csv', 'dl_events_csv']];
    return {
      title: t('title'),
      description: t('description'),
      main: html`
<h1>${t('title')}</h1>
<p class="lead">${t('intro', { date: formatDate(ctx.lang, ctx.today) })}</p>
<p>${t('consent')} ${t('people', { n: registry.people.length })}</p>
<section aria-labelledby="downloads"><h2 id="downloads">${t('downloads')}</h2>
<ul class="downloads">${downloads.map(([path, key]) => html`<li><a href="${path}"><code>${path.split('/').pop()!}</code></a> — ${t(key)}</li>`)}</ul>
</section>
<section aria-labelledby="licence"><h2 id="licence">${t('licence_title')}</h2>
<p>${t('licence', { licence: OPEN_DATA_LICENCE.name })} <a href="${OPEN_DATA_LICENCE.url}" rel="license">${OPEN_DATA_LICENCE.url}</a></p>
</section>
<section aria-labelledby="format"><h2 id="format">${t('format_title')}</h2>
<p>${t('format_encoding')}</p><p>${t('format_lists')}</p><p>${t('format_dates')}</p><p>${t('format_http', { openapi: '/api/v1/openapi.json' })}</p><p>${t('popolo_note')}</p>
</section>
${fieldTable(ctx, 'envelope', t('envelope_title'), WRAPPER_FIELDS, (name) => `w_${name}` as const, false)}
${fieldTable(ctx, 'persons-json', t('persons_json_title'), PERSON_JSON_FIELDS, (name) => `p_${name}` as const, false)}
${fieldTable(ctx, 'persons-csv', t('persons_csv_title'), PERSON_CSV_COLUMNS, (name) => CSV_MEANING[name] ?? (`p_${name}` as const), true)}
${fieldTable(ctx, 'events-csv', t('events_csv_title'), EVENT_CSV_COLUMNS, (name) => `e_${name}` as const, true)}`,
    };
  },
});

export const openDataPages: SitePage<any>[] = [openDataPage];
