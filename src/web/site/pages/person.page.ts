/** The page of one published person: who they are, charges, sentence, where to write, and their public timeline. */
import { z } from 'zod';
import { publicEventsOf, type PublicEventView } from '../../../features/public/public-person.service.js';
import type { PublicPerson, PublicRegistry } from '../../../features/public/public-registry.service.js';
import { nameFor } from '../../../features/public/public-names.js';
import { html, safeUrl, type Html } from '../html.js';
import { countryName, formatDate, messages, say, type Lang } from '../i18n.js';
import { link, translator, type PageContext } from '../layout.js';
import { EVENT_LABELS, FACILITY_TYPE_LABELS, REASON_LABELS, REGIME_LABELS, STATUS_LABELS, label } from '../labels.js';
import { regionLabel } from '../regions.js';
import { problemPage, sitePage } from '../site.js';
import { letterCounts, type LetterCounts } from '../../../features/casework/letters.service.js';
import { howToWrite, letterCountsLine } from './person-letters.js';

export const personText = messages('person', {
  en: {
    also: 'Also written as', facts: 'Facts', status: 'Status', since: 'since {date}', born: 'Born', region: 'Region', occupation: 'Occupation',
    recognized: 'Recognised as a political prisoner', charges: 'Charges', articles: 'Art. {list} of the Criminal Code', sentence: 'Sentence',
    held_at: 'Held at', expelled_to: 'Expelled to', about: 'About', timeline: 'What happened', sources: 'Sources', source: 'source',
    years: { one: '{n} year', other: '{n} years' }, months: { one: '{n} month', other: '{n} months' },
    write: 'Write a letter', write_intro: 'Letters and postcards support political prisoners: they show that they are not forgotten.',
    address: 'Address', recipient: 'Addressee', deal: 'Released in the negotiated release of {date}', organization: 'by {name}', back: 'Back to the list',
    place_unknown: 'not known publicly',
  },
  be: {
    also: 'Іншыя напісанні', facts: 'Звесткі', status: 'Статус', since: 'з {date}', born: 'Нарадзіўся(-лася)', region: 'Рэгіён', occupation: 'Занятак',
    recognized: 'Прызнаны(-ая) палітвязнем', charges: 'Абвінавачванне', articles: 'арт. {list} Крымінальнага кодэкса', sentence: 'Прысуд',
    held_at: 'Месца ўтрымання', expelled_to: 'Высланы(-ая) ў', about: 'Пра чалавека', timeline: 'Што адбывалася', sources: 'Крыніцы', source: 'крыніца',
    years: { one: '{n} год', few: '{n} гады', many: '{n} гадоў', other: '{n} года' }, months: { one: '{n} месяц', few: '{n} месяцы', many: '{n} месяцаў', other: '{n} месяца' },
    write: 'Напісаць ліст', write_intro: 'Лісты і паштоўкі падтрымліваюць палітвязняў: яны паказваюць, што пра іх не забыліся.',
    address: 'Адрас', recipient: 'Адрасат', deal: 'Вызвалены(-ая) праз перамовы {date}', organization: 'прызнанне: {name}', back: 'Назад да спісу',
    place_unknown: 'публічна невядома',
  },
  ru: {
    also: 'Другие написания', facts: 'Сведения', status: 'Статус', since: 'с {date}', born: 'Родился(-ась)', region: 'Регион', occupation: 'Род занятий',
    recognized: 'Признан(-а) политзаключённым', charges: 'Обвинение', articles: 'ст. {list} Уголовного кодекса', sentence: 'Приговор',
    held_at: 'Место содержания', expelled_to: 'Выслан(-а) в', about: 'О человеке', timeline: 'Что происходило', sources: 'Источники', source: 'источник',
    years: { one: '{n} год', few: '{n} года', many: '{n} лет', other: '{n} года' }, months: { one: '{n} месяц', few: '{n} месяца', many: '{n} месяцев', other: '{n} месяца' },
    write: 'Написать письмо', write_intro: 'Письма и открытки поддерживают политзаключённых: они показывают, что о них не забыли.',
    address: 'Адрес', recipient: 'Адресат', deal: 'Освобождён(-а) по договорённости {date}', organization: 'признание: {name}', back: 'Назад к списку',
    place_unknown: 'публично неизвестно',
  },
});

type T = (key: keyof typeof personText.texts.en, params?: Record<string, string | number>) => string;

export function termText(lang: Lang, months: number): string {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const parts = [];
  if (years) parts.push(say(lang, personText, 'years', { n: years }));
  if (rest || !years) parts.push(say(lang, personText, 'months', { n: rest }));
  return parts.join(' ');
}

function fact(term: string, value: Html | string | null | undefined): Html {
  return value ? html`<dt>${term}</dt><dd>${value}</dd>` : html``;
}

function facts(ctx: PageContext, registry: PublicRegistry, person: PublicPerson, t: T): Html {
  const date = (d: string) => formatDate(ctx.lang, d);
  const facility = person.facility_id !== null ? registry.facilities.get(person.facility_id) : undefined;
  const held = person.status === 'held';
  return html`<dl class="facts">
${fact(t('status'), person.status ? `${label(STATUS_LABELS, ctx.lang, person.status)}${person.status_since ? ` (${t('since', { date: date(person.status_since) })})` : ''}` : null)}
${fact(t('born'), person.birth_date ? date(person.birth_date) : null)}
${fact(t('region'), person.region ? regionLabel(ctx.lang, person.region) : null)}
${fact(t('occupation'), person.occupation)}
${fact(t('recognized'), person.recognized_on ? date(person.recognized_on) : null)}
${fact(t('charges'), person.articles.length ? t('articles', { list: person.articles.join(', ') }) : null)}
${fact(t('sentence'), person.term_months !== null ? [termText(ctx.lang, person.term_months), person.regime ? label(REGIME_LABELS, ctx.lang, person.regime) : ''].filter(Boolean).join(', ') : null)}
${held ? fact(t('held_at'), facility ? `${facility.name} (${label(FACILITY_TYPE_LABELS, ctx.lang, facility.type)})` : t('place_unknown')) : ''}
${fact(t('expelled_to'), person.expelled_to ? countryName(ctx.lang, person.expelled_to) : null)}
</dl>`;
}

/**
 * Letters go through the censors in Russian court form: full name in Russian and year of birth. How
 * to write, and how many letters were logged, is shown for everyone held, with or without an address.
 */
function letter(ctx: PageContext, registry: PublicRegistry, person: PublicPerson, t: T, counts: LetterCounts): Html {
  if (person.status !== 'held') return html``;
  const facility = person.facility_id !== null ? registry.facilities.get(person.facility_id) : undefined;
  const recipient = nameFor('ru', person.names);
  const year = person.birth_date ? ` ${person.birth_date.slice(0, 4)}` : '';
  return html`<section aria-labelledby="write"><h2 id="write">${t('write')}</h2>
<p>${t('write_intro')}</p>
${howToWrite(ctx.lang, Boolean(facility?.address))}
${facility?.address ? html`<address class="address"><strong>${t('address')}:</strong>
${facility.address}
<strong>${t('recipient')}:</strong> <span lang="${recipient.lang ?? 'ru'}">${recipient.text}${year}</span></address>` : ''}
${letterCountsLine(ctx.lang, counts)}
</section>`;
}

function eventDetails(ctx: PageContext, event: PublicEventView, t: T): string {
  const parts: string[] = [];
  if (event.facility) parts.push(event.facility.name);
  if (event.articles.length) parts.push(t('articles', { list: event.articles.join(', ') }));
  if (event.term_months !== null) parts.push(termText(ctx.lang, event.term_months));
  if (event.regime) parts.push(label(REGIME_LABELS, ctx.lang, event.regime));
  if (event.reason) parts.push(label(REASON_LABELS, ctx.lang, event.reason));
  if (event.country) parts.push(countryName(ctx.lang, event.country));
  if (event.organization) parts.push(t('organization', { name: event.organization }));
  return parts.join(' · ');
}

function timeline(ctx: PageContext, events: readonly PublicEventView[], t: T): Html {
  if (events.length === 0) return html``;
  return html`<section aria-labelledby="timeline"><h2 id="timeline">${t('timeline')}</h2><ol class="timeline">
${events.map((event) => {
  const details = eventDetails(ctx, event, t);
  const sources = event.sources.flatMap((source, i) => {
    const href = safeUrl(source.url);
    return href ? [html`<a href="${href}" rel="nofollow noopener">${source.title ?? `${t('source')} ${i + 1}`}</a>`] : source.title ? [html`${source.title}`] : [];
  });
  return html`<li><time datetime="${event.date}">${formatDate(ctx.lang, event.date)}</time>
${label(EVENT_LABELS, ctx.lang, event.type)}${details ? html`: ${details}` : ''}
${event.deal ? html`<br><a href="${link(ctx, `/releases/${encodeURIComponent(event.deal.slug)}`)}">${t('deal', { date: formatDate(ctx.lang, event.deal.date) })}</a>` : ''}
${sources.length ? html`<br><span class="muted">${t('sources')}:</span> ${sources.map((s, i) => (i ? html`, ${s}` : s))}` : ''}</li>`;
})}
</ol></section>`;
}

export const personPage = sitePage({
  path: '/prisoners/:externalId',
  query: z.object({}),
  async render({ ctx, registry, store, params }) {
    const person = registry.byExternalId.get(params.externalId ?? '');
    if (!person) return problemPage(ctx, 404);
    const t = translator(ctx, personText);
    const shown = registry.names(ctx.lang).get(person.id)!;
    const others = person.names.map((name) => nameFor(name.lang === 'ru' ? 'ru' : name.script === 'Latn' ? 'en' : 'be', [name])).filter((n) => n.text && n.text !== shown.text);
    const bio = person.biography[ctx.lang] ? { text: person.biography[ctx.lang]!, lang: ctx.lang } : Object.entries(person.biography).map(([lang, text]) => ({ lang, text }))[0];
    const events = await publicEventsOf(store, person.id);
    const letters = (await letterCounts(store.db, [person.id])).get(person.id) ?? { sent: 0, replies: 0 };
    return {
      title: shown.text,
      description: person.status ? `${shown.text}: ${label(STATUS_LABELS, ctx.lang, person.status)}` : shown.text,
      main: html`<p><a href="${link(ctx, '/prisoners')}">${t('back')}</a></p>
<h1${shown.lang && shown.lang !== ctx.lang ? html` lang="${shown.lang}"` : ''}>${shown.text}</h1>
${others.length ? html`<p>${t('also')}: ${others.map((n, i) => html`${i ? ', ' : ''}<span${n.lang ? html` lang="${n.lang}"` : ''}>${n.text}</span>`)}</p>` : ''}
<h2 class="sr-only">${t('facts')}</h2>
${facts(ctx, registry, person, t)}
${bio ? html`<section aria-labelledby="about"><h2 id="about">${t('about')}</h2><p lang="${bio.lang}">${bio.text}</p></section>` : ''}
${letter(ctx, registry, person, t, letters)}
${timeline(ctx, events, t)}`,
    };
  },
});
