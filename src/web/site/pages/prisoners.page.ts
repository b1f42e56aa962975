/**
 * The list of political prisoners (filters and search by any spelling) and the page of each published
 * person. Everything shown comes from the public registry (policy applied there) and the person's
 * public events.
 */
import { z } from 'zod';
import { GENDERS } from '../../../domain/event-types.js';
import { searchPeople } from '../../../features/search/search.service.js';
import { PUBLIC_STATUSES, type PublicPerson, type PublicRegistry } from '../../../features/public/public-registry.service.js';
import { html, type Html } from '../html.js';
import { formatDate, formatNumber, messages } from '../i18n.js';
import { link, translator, type PageContext } from '../layout.js';
import { GENDER_LABELS, STATUS_LABELS, label } from '../labels.js';
import { regionLabel } from '../regions.js';
import { sitePage } from '../site.js';
import { personPage } from './person.page.js';

export const listText = messages('prisoners', {
  en: {
    title: 'Political prisoners', filters: 'Filter the list', q: 'Name (any spelling)', region: 'Region', article: 'Article', gender: 'Gender', facility: 'Place of detention',
    status: 'Status', any: 'Any', all_statuses: 'All who were political prisoners', apply: 'Show', reset: 'Clear filters',
    found: { one: '{n} person', other: '{n} people' }, none: 'Nobody matches these filters.',
    search_note: 'Best matches for “{q}” first.', name: 'Name', since: 'since {date}', page: 'Page {page} of {pages}', previous: 'Previous page', next: 'Next page',
    articles_of: 'Art. {list}', unknown_place: 'not known publicly', results: 'Results',
    intro: 'People recognised as political prisoners whose families agreed to publication. The count on the home page includes everyone.',
  },
  be: {
    title: 'Палітвязні', filters: 'Фільтры спісу', q: 'Імя (у любым напісанні)', region: 'Рэгіён', article: 'Артыкул', gender: 'Пол', facility: 'Месца ўтрымання',
    status: 'Статус', any: 'Любы', all_statuses: 'Усе, хто быў палітвязнем', apply: 'Паказаць', reset: 'Скінуць фільтры',
    found: { one: '{n} чалавек', few: '{n} чалавекі', many: '{n} чалавек', other: '{n} чалавека' }, none: 'Пад гэтыя фільтры ніхто не падыходзіць.',
    search_note: 'Спачатку найлепшыя супадзенні з «{q}».', name: 'Імя', since: 'з {date}', page: 'Старонка {page} з {pages}', previous: 'Папярэдняя старонка', next: 'Наступная старонка',
    articles_of: 'арт. {list}', unknown_place: 'публічна невядома', results: 'Вынікі',
    intro: 'Людзі, прызнаныя палітвязнямі, чые сем’і згадзіліся на публікацыю. Лічба на галоўнай старонцы ўлічвае ўсіх.',
  },
  ru: {
    title: 'Политзаключённые', filters: 'Фильтры списка', q: 'Имя (в любом написании)', region: 'Регион', article: 'Статья', gender: 'Пол', facility: 'Место содержания',
    status: 'Статус', any: 'Любой', all_statuses: 'Все, кто был политзаключённым', apply: 'Показать', reset: 'Сбросить фильтры',
    found: { one: '{n} человек', few: '{n} человека', many: '{n} человек', other: '{n} человека' }, none: 'Под эти фильтры никто не подходит.',
    search_note: 'Сначала лучшие совпадения с «{q}».', name: 'Имя', since: 'с {date}', page: 'Страница {page} из {pages}', previous: 'Предыдущая страница', next: 'Следующая страница',
    articles_of: 'ст. {list}', unknown_place: 'публично неизвестно', results: 'Результаты',
    intro: 'Люди, признанные политзаключёнными, чьи семьи согласились на публикацию. Число на главной странице учитывает всех.',
  },
});

export const PAGE_SIZE = 50;
/** Name matches below this score are not shown to the public: they are guesses, not the person. */
export const PUBLIC_MATCH_FLOOR = 0.6;
const STATUS_CHOICES = [...PUBLIC_STATUSES, 'all'] as const;

const ListQuery = z.object({
  q: z.string().trim().max(300, 'a name is at most 300 characters').optional(),
  region: z.string().max(200).optional(),
  article: z.string().max(50).optional(),
  gender: z.enum(GENDERS).or(z.literal('')).optional(),
  facility: z.string().regex(/^\d*$/, 'must be a facility number').optional(),
  status: z.enum(STATUS_CHOICES).or(z.literal('')).optional(),
  page: z.coerce.number().int('must be a whole number').min(1, 'starts at 1').max(100000).optional(),
});
type ListQuery = z.infer<typeof ListQuery>;

interface Filters {
  q: string;
  region: string;
  article: string;
  gender: string;
  facility: string;
  status: (typeof STATUS_CHOICES)[number];
}

function filtersOf(query: ListQuery): Filters {
  const q = query.q ?? '';
  // Someone looking for a name wants them whatever happened to them since; browsing starts with who is held.
  const status = query.status || (q ? 'all' : 'held');
  return { q, region: query.region ?? '', article: query.article ?? '', gender: query.gender ?? '', facility: query.facility ?? '', status };
}

function matches(person: PublicPerson, f: Filters): boolean {
  if (f.status !== 'all' && person.status !== f.status) return false;
  if (f.region && person.region !== f.region) return false;
  if (f.article && !person.articles.includes(f.article)) return false;
  if (f.gender && person.gender !== f.gender) return false;
  if (f.facility && String(person.facility_id) !== f.facility) return false;
  return true;
}

async function candidates(ctx: PageContext, registry: PublicRegistry, store: Parameters<typeof searchPeople>[0], f: Filters, waitMs: number): Promise<PublicPerson[]> {
  if (!f.q) return registry.ordered(ctx.lang);
  const hits = await searchPeople(store, f.q, { publicOnly: true, limit: 100, waitMs });
  return hits.filter((hit) => hit.score >= PUBLIC_MATCH_FLOOR).flatMap((hit) => registry.byId.get(hit.id) ?? []);
}

function select(name: string, caption: string, value: string, options: Options, anyText: string): Html {
  return html`<div><label for="f-${name}">${caption}</label><select id="f-${name}" name="${name}">
<option value="">${anyText}</option>${options.map(([code, text]) => html`<option value="${code}"${code === value ? html` selected` : ''}>${text}</option>`)}
</select></div>`;
}

type Options = readonly (readonly [string, string])[];
interface FilterOptions {
  regions: Options;
  articles: Options;
  facilities: Options;
}

/** The regions, articles and places the listed people have, per registry and language: worked out once, not per page. */
const filterOptionsCache = new WeakMap<PublicRegistry, Map<string, FilterOptions>>();

function filterOptions(ctx: PageContext, registry: PublicRegistry): FilterOptions {
  let byLang = filterOptionsCache.get(registry);
  if (!byLang) filterOptionsCache.set(registry, (byLang = new Map()));
  const known = byLang.get(ctx.lang);
  if (known) return known;
  const regionCodes = new Set<string>();
  const articleCodes = new Set<string>();
  const facilityIds = new Set<number>();
  for (const person of registry.ordered(ctx.lang)) {
    if (person.region) regionCodes.add(person.region);
    for (const article of person.articles) articleCodes.add(article);
    if (person.facility_id !== null) facilityIds.add(person.facility_id);
  }
  const collator = new Intl.Collator(ctx.lang);
  const regions = [...regionCodes].map((region) => [region, regionLabel(ctx.lang, region)] as const).sort((a, b) => collator.compare(a[1], b[1]));
  const articles = [...articleCodes].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((a) => [a, a] as const);
  const facilities = [...facilityIds].flatMap((id) => {
    const facility = registry.facilities.get(id);
    return facility ? [[String(id), facility.name] as const] : [];
  }).sort((a, b) => collator.compare(a[1], b[1]));
  const options = { regions, articles, facilities };
  byLang.set(ctx.lang, options);
  return options;
}

function filterForm(ctx: PageContext, registry: PublicRegistry, f: Filters, t: ReturnType<typeof translator<keyof typeof listText.texts.en>>): Html {
  const { regions, articles, facilities } = filterOptions(ctx, registry);
  const genders = GENDERS.map((g) => [g, label(GENDER_LABELS, ctx.lang, g)] as const);
  const statuses = STATUS_CHOICES.map((s) => [s, s === 'all' ? t('all_statuses') : label(STATUS_LABELS, ctx.lang, s)] as const);
  return html`<form class="filters" method="get" action="/prisoners" role="search" aria-label="${t('filters')}">
<input type="hidden" name="lang" value="${ctx.lang}">
<div><label for="f-q">${t('q')}</label><input id="f-q" name="q" type="search" value="${f.q}" autocomplete="off"></div>
${statusSelect(statuses, f, t)}
${select('region', t('region'), f.region, regions, t('any'))}
${select('article', t('article'), f.article, articles, t('any'))}
${select('gender', t('gender'), f.gender, genders, t('any'))}
${select('facility', t('facility'), f.facility, facilities, t('any'))}
<div><button type="submit">${t('apply')}</button> <a href="${link(ctx, '/prisoners')}">${t('reset')}</a></div>
</form>`;
}

function statusSelect(statuses: readonly (readonly [string, string])[], f: Filters, t: (key: 'status') => string): Html {
  return html`<div><label for="f-status">${t('status')}</label><select id="f-status" name="status">
${statuses.map(([code, text]) => html`<option value="${code}"${code === f.status ? html` selected` : ''}>${text}</option>`)}
</select></div>`;
}

function personRow(ctx: PageContext, registry: PublicRegistry, person: PublicPerson, t: (key: keyof typeof listText.texts.en, params?: Record<string, string | number>) => string): Html {
  const shown = registry.names(ctx.lang).get(person.id)!;
  const facility = person.facility_id !== null ? registry.facilities.get(person.facility_id)?.name : null;
  const place = person.status === 'held' ? (facility ?? t('unknown_place')) : '';
  return html`<tr>
<th scope="row"><a href="${link(ctx, `/prisoners/${encodeURIComponent(person.external_id)}`)}"${shown.lang && shown.lang !== ctx.lang ? html` lang="${shown.lang}"` : ''}>${shown.text}</a></th>
<td>${person.region ? regionLabel(ctx.lang, person.region) : ''}</td>
<td>${person.articles.length ? t('articles_of', { list: person.articles.join(', ') }) : ''}</td>
<td>${place}</td>
<td class="status">${person.status ? label(STATUS_LABELS, ctx.lang, person.status) : ''}${person.status_since ? html`<br><span class="muted">${t('since', { date: formatDate(ctx.lang, person.status_since) })}</span>` : ''}</td>
</tr>`;
}

function pager(ctx: PageContext, f: Filters, page: number, pages: number, t: (key: keyof typeof listText.texts.en, params?: Record<string, string | number>) => string): Html {
  if (pages <= 1) return html``;
  const at = (n: number) => link(ctx, '/prisoners', { q: f.q, region: f.region, article: f.article, gender: f.gender, facility: f.facility, status: f.status, page: n });
  return html`<nav class="pager" aria-label="${t('page', { page, pages })}">
${page > 1 ? html`<a href="${at(page - 1)}" rel="prev">${t('previous')}</a>` : html`<span></span>`}
<span>${t('page', { page: formatNumber(ctx.lang, page), pages: formatNumber(ctx.lang, pages) })}</span>
${page < pages ? html`<a href="${at(page + 1)}" rel="next">${t('next')}</a>` : html`<span></span>`}
</nav>`;
}

export const listPage = sitePage({
  path: '/prisoners',
  query: ListQuery,
  async render({ ctx, registry, store, query, startWaitMs }) {
    const t = translator(ctx, listText);
    const f = filtersOf(query);
    const found = (await candidates(ctx, registry, store, f, startWaitMs)).filter((person) => matches(person, f));
    const pages = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
    const page = Math.min(query.page ?? 1, pages);
    const shown = found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    return {
      title: f.q ? `${t('title')}: ${f.q}` : t('title'),
      main: html`<h1>${t('title')}</h1>
<p>${t('intro')}</p>
${filterForm(ctx, registry, f, t)}
<h2 id="results">${t('results')}: ${t('found', { n: found.length })}</h2>
${f.q ? html`<p class="muted">${t('search_note', { q: f.q })}</p>` : ''}
${shown.length === 0 ? html`<p>${t('none')}</p>` : html`<div class="table-wrap"><table aria-describedby="results">
<thead><tr><th scope="col">${t('name')}</th><th scope="col">${t('region')}</th><th scope="col">${t('article')}</th><th scope="col">${t('facility')}</th><th scope="col">${t('status')}</th></tr></thead>
<tbody>${shown.map((person) => personRow(ctx, registry, person, t))}</tbody></table></div>`}
${pager(ctx, f, page, pages, t)}`,
    };
  },
});

export const prisonerPages = [listPage, personPage];
