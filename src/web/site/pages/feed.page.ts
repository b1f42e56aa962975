/**
 * For readers elsewhere: the Atom feed of changes (RFC 4287) and the counter partner websites frame.
 * The feed names only published people and only their public events; the counter is an aggregate.
 */
import { z } from 'zod';
import { firstDay } from '../../../domain/partial-date.js';
import { recentDeals, recentPersonChanges, type DealChange, type PersonChange } from '../../../features/public/changes.service.js';
import type { PublicPerson, PublicRegistry } from '../../../features/public/public-registry.service.js';
import { statsOn } from '../../../features/stats/stats.service.js';
import { escapeHtml, html } from '../html.js';
import { countryName, formatDate, formatNumber, messages, say } from '../i18n.js';
import { EVENT_LABELS, label, REASON_LABELS } from '../labels.js';
import { common, link, translator, type PageContext } from '../layout.js';
import { siteOrigin, sitePage } from '../site.js';
import { homeText } from './home.page.js';

export const feedText = messages('feed', {
  en: {
    feed_title: 'Vigil: political prisoners in Belarus — what changed',
    feed_subtitle: 'Recognitions, releases and expulsions of political prisoners in Belarus, and negotiated releases, from public records.',
    person_title: '{name} — {event}',
    person_summary: '{event}: {date}', reason: 'grounds: {reason}', country: 'country of expulsion: {country}',
    deal_title: 'Negotiated release, {date}',
    deal_summary: 'Released: {released}; expelled: {expelled}', destinations: 'destinations: {countries}', facilitator: 'facilitated by: {facilitator}',
    embed_title: 'Counter for your website',
    embed_intro: 'Partner websites can show how many political prisoners are held in Belarus today. The number updates by itself: it is computed every day from documented events, counts everyone and shows no personal details.',
    embed_code: 'Code to paste',
    embed_how: 'Paste this code into your page where the counter should appear. For another language, set lang= to be (Belarusian), ru (Russian) or en (English).',
    embed_preview: 'Preview', embed_open: 'Open the counter on its own page',
    counter_frame: 'Political prisoners in Belarus: counter', counter_as_of: 'As of {date}', counter_demo: 'Fictional demonstration data',
  },
  be: {
    feed_title: 'Vigil: палітвязні ў Беларусі — што змянілася',
    feed_subtitle: 'Прызнанні, вызваленні і высылкі палітвязняў у Беларусі і вызваленні праз перамовы — з публічных звестак.',
    person_title: '{name} — {event}',
    person_summary: '{event}: {date}', reason: 'падстава: {reason}', country: 'краіна высылкі: {country}',
    deal_title: 'Вызваленне праз перамовы, {date}',
    deal_summary: 'Вызвалена: {released}; выслана: {expelled}', destinations: 'краіны: {countries}', facilitator: 'пасярэднік: {facilitator}',
    embed_title: 'Лічыльнік для вашага сайта',
    embed_intro: 'Сайты-партнёры могуць паказваць, колькі палітвязняў сёння за кратамі ў Беларусі. Лічба абнаўляецца сама: яна штодня вылічаецца з задакументаваных падзей, улічвае ўсіх і не паказвае асабістых звестак.',
    embed_code: 'Код для ўстаўкі',
    embed_how: 'Устаўце гэты код у тое месца старонкі, дзе павінен быць лічыльнік. Для іншай мовы пастаўце lang=be (беларуская), ru (руская) або en (англійская).',
    embed_preview: 'Як гэта выглядае', embed_open: 'Адкрыць лічыльнік на асобнай старонцы',
    counter_frame: 'Палітвязні ў Беларусі: лічыльнік', counter_as_of: 'На {date}', counter_demo: 'Выдуманыя дэманстрацыйныя даныя',
  },
  ru: {
    feed_title: 'Vigil: политзаключённые в Беларуси — что изменилось',
    feed_subtitle: 'Признания, освобождения и высылки политзаключённых в Беларуси и освобождения по договорённостям — из публичных сведений.',
    person_title: '{name} — {event}',
    person_summary: '{event}: {date}', reason: 'основание: {reason}', country: 'страна высылки: {country}',
    deal_title: 'Освобождение по договорённости, {date}',
    deal_summary: 'Освобождено: {released}; выслано: {expelled}', destinations: 'страны: {countries}', facilitator: 'посредник: {facilitator}',
    embed_title: 'Счётчик для вашего сайта',
    embed_intro: 'Сайты-партнёры могут показывать, сколько политзаключённых сегодня за решёткой в Беларуси. Число обновляется само: оно ежедневно вычисляется из задокументированных событий, учитывает всех и не показывает личных сведений.',
    embed_code: 'Код для вставки',
    embed_how: 'Вставьте этот код в то место страницы, где должен быть счётчик. Для другого языка поставьте lang=be (белорусский), ru (русский) или en (английский).',
    embed_preview: 'Как это выглядит', embed_open: 'Открыть счётчик на отдельной странице',
    counter_frame: 'Политзаключённые в Беларуси: счётчик', counter_as_of: 'На {date}', counter_demo: 'Вымышленные демонстрационные данные',
  },
});

const PERSON_ENTRIES = 50;
const DEAL_ENTRIES = 10;

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text for XML: the five predefined entities (which every feed reader decodes), and without the
 * control characters XML 1.0 forbids, so one stray character in the data cannot break the whole feed.
 */
export function xmlText(value: string): string {
  return value.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').replace(/[&<>"']/g, (char) => XML_ENTITIES[char]!);
}

const stamp = (date: string) => `${firstDay(date)}T00:00:00Z`;

interface Entry {
  id: string;
  title: string;
  link: string;
  date: string;
  summary: string;
}

function personEntry(ctx: PageContext, registry: PublicRegistry, people: Map<number, PublicPerson>, change: PersonChange, tag: string): Entry | null {
  const person = people.get(change.person_id);
  if (!person) return null;
  const t = translator(ctx, feedText);
  const name = registry.names(ctx.lang).get(person.id)?.text ?? person.external_id;
  const event = label(EVENT_LABELS, ctx.lang, change.type);
  const details = [t('person_summary', { event, date: formatDate(ctx.lang, change.date) })];
  if (change.type === 'released' && change.reason) details.push(t('reason', { reason: label(REASON_LABELS, ctx.lang, change.reason) }));
  if (change.type === 'expelled' && change.country) details.push(t('country', { country: countryName(ctx.lang, change.country) }));
  return {
    id: `${tag}:${ctx.lang}:prisoner:${encodeURIComponent(person.external_id)}:${change.type}:${change.date}`,
    title: t('person_title', { name, event }),
    link: link(ctx, `/prisoners/${encodeURIComponent(person.external_id)}`),
    date: change.date,
    summary: details.join('; '),
  };
}

function dealEntry(ctx: PageContext, deal: DealChange, tag: string): Entry {
  const t = translator(ctx, feedText);
  const details = [t('deal_summary', { released: deal.released, expelled: deal.expelled })];
  if (deal.destinations.length) details.push(t('destinations', { countries: deal.destinations.map((code) => countryName(ctx.lang, code)).join(', ') }));
  if (deal.facilitator) details.push(t('facilitator', { facilitator: deal.facilitator }));
  return {
    id: `${tag}:${ctx.lang}:deal:${encodeURIComponent(deal.slug)}`,
    title: t('deal_title', { date: formatDate(ctx.lang, deal.date) }),
    link: link(ctx, `/releases/${encodeURIComponent(deal.slug)}`),
    date: deal.date,
    summary: details.join('; '),
  };
}

function atom(ctx: PageContext, entries: readonly Entry[], origin: string, tag: string): string {
  const t = translator(ctx, feedText);
  // Entries come newest first.
  const updated = stamp(entries[0]?.date ?? ctx.today);
  const body = entries.map((entry) => `<entry>
<id>${xmlText(entry.id)}</id>
<title type="text">${xmlText(entry.title)}</title>
<link rel="alternate" type="text/html" href="${xmlText(origin + entry.link)}"/>
<published>${stamp(entry.date)}</published>
<updated>${stamp(entry.date)}</updated>
<summary type="text">${xmlText(entry.summary)}</summary>
</entry>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${ctx.lang}">
<id>${xmlText(`${tag}:${ctx.lang}:feed`)}</id>
<title type="text">${xmlText(t('feed_title'))}</title>
<subtitle type="text">${xmlText(t('feed_subtitle'))}</subtitle>
<updated>${updated}</updated>
<link rel="self" type="application/atom+xml" href="${xmlText(origin + link(ctx, '/feed.atom'))}"/>
<link rel="alternate" type="text/html" href="${xmlText(origin + link(ctx, '/'))}"/>
<author><name>${xmlText(say(ctx.lang, common, 'site'))}</name><uri>${xmlText(origin + '/')}</uri></author>
${body.join('\n')}
</feed>
`;
}

const feedPage = sitePage({
  path: '/feed.atom',
  query: z.object({}),
  async render({ ctx, registry, store }) {
    const origin = siteOrigin();
    // A tag URI (RFC 4151) minted under the site's host: stable ids that reveal no database numbers.
    const tag = `tag:${new URL(origin).hostname},2020:vigil`;
    // People the public list shows (their public events make them political prisoners at some time).
    const listed = new Map(registry.people.filter((person) => person.status !== null).map((person) => [person.id, person]));
    const [changes, deals] = await Promise.all([
      recentPersonChanges(store, ctx.today, PERSON_ENTRIES, (id) => listed.has(id)),
      recentDeals(store, ctx.today, DEAL_ENTRIES),
    ]);
    const entries = [
      ...changes.flatMap((change) => personEntry(ctx, registry, listed, change, tag) ?? []),
      ...deals.map((deal) => dealEntry(ctx, deal, tag)),
    ].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)); // canonical partial dates sort as text
    return { status: 200, type: 'application/atom+xml; charset=utf-8', body: atom(ctx, entries, origin, tag) };
  },
});

function snippet(ctx: PageContext): string {
  const t = translator(ctx, feedText);
  return `<iframe src="${siteOrigin()}${link(ctx, '/embed/counter')}" title="${escapeHtml(t('counter_frame'))}" width="320" height="180" loading="lazy"></iframe>`;
}

const embedPage = sitePage({
  path: '/embed',
  query: z.object({}),
  async render({ ctx }) {
    const t = translator(ctx, feedText);
    return {
      title: t('embed_title'),
      description: t('embed_intro'),
      main: html`
<h1>${t('embed_title')}</h1>
<p>${t('embed_intro')}</p>
<h2>${t('embed_code')}</h2>
<p>${t('embed_how')}</p>
<pre class="code"><code>${snippet(ctx)}</code></pre>
<h2>${t('embed_preview')}</h2>
<iframe class="embed-preview" src="${link(ctx, '/embed/counter')}" title="${t('counter_frame')}" width="320" height="180"></iframe>
<p><a href="${link(ctx, '/embed/counter')}">${t('embed_open')}</a></p>`,
    };
  },
});

function counterDocument(ctx: PageContext, n: number): string {
  const lang = ctx.lang;
  const count = say(lang, homeText, 'count', { n });
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${formatNumber(lang, n)} ${count}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body class="embed">
<p class="embed-count"><a href="${link(ctx, '/')}" target="_blank" rel="noopener"><strong class="count"><data value="${n}">${formatNumber(lang, n)}</data></strong> ${count}</a></p>
<p class="muted">${say(lang, feedText, 'counter_as_of', { date: formatDate(lang, ctx.today) })} · ${say(lang, common, 'site')}</p>
${ctx.demo ? html`<p class="muted">${say(lang, feedText, 'counter_demo')}</p>` : ''}
</body>
</html>
`.value;
}

const counterPage = sitePage({
  path: '/embed/counter',
  query: z.object({}),
  async render({ ctx, store }) {
    const counts = await statsOn(store, ctx.today);
    return { status: 200, type: 'text/html; charset=utf-8', body: counterDocument(ctx, counts.political_prisoners), frameable: true };
  },
});

export const feedPages = [feedPage, embedPage, counterPage];
