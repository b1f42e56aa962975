/**
 * Events in the workspace: record what happened to a person (the type is chosen first, then a form with
 * the fields that type has), read an event with its sources and level, and correct it (version-checked).
 * Dates may be partial. Facilities are named as the CSV contract names them: a known one is offered
 * while typing, a new name adds a facility. Sources: cite existing ones and/or add a web page inline.
 */
import { z } from 'zod';
import { isEventType } from '../../../domain/custody.js';
import { EVENT_TYPES, FIELDS_BY_TYPE, isCountryCode, REGIMES, RELEASE_REASONS, type EventType } from '../../../domain/event-types.js';
import { maySee } from '../../../domain/policy.js';
import { errors } from '../../../errors.js';
import type { Store } from '../../../store/connection.js';
import { eventsOfPerson, type EventRecord } from '../../../store/event.repository.js';
import { personById, type PersonRecord } from '../../../store/person.repository.js';
import { createEvent, updateEvent, type AlongWith, type EventInput } from '../../../features/events/event.service.js';
import { presentEvent } from '../../../features/events/event.presenter.js';
import { facilityPage } from '../../../features/facilities/facility.service.js';
import { presentPerson } from '../../../features/persons/person.presenter.js';
import { displayName } from '../../../features/search/search.service.js';
import { citedSourceIds, setCitationsIn } from '../../../features/sources/citation.service.js';
import { latestSources, sourcesByIds } from '../../../features/sources/source-search.service.js';
import type { SourceRecord } from '../../../features/sources/source.service.js';
import { auditRestrictedRead } from '../../api/audit-reads.js';
import { EventCreate } from '../../api/schemas.js';
import { html, safeUrl, type Child, type Html } from '../../site/html.js';
import { countryName, formatDate, messages, say, type Params } from '../../site/i18n.js';
import { EVENT_LABELS, label, REASON_LABELS, REGIME_LABELS } from '../../site/labels.js';
import { adminLink, csrfField, field, select, textarea, type AdminContext } from '../admin-layout.js';
import { all, one, type AdminInput, type AdminResult, type AdminRoute, type FormBody } from '../admin.js';
import { levelBadge } from './persons.page.js';
import {
  articlesValue, checkReason, choiceValue, historyLink, levelValue, editContext, ensureMayWrite, formPage, idParam, levelSelect, mayWrite, partialDateValue, Problems, r, reasonInput,
  saveOrAgain, sentVersion, termFields, termInputs, termText, termValue, text, versionInput, versionLine,
} from './record-pages.js';

export const eventText = messages('admin-events', {
  en: {
    add_title: 'Add an event: {name}', edit_title: 'Correct the event: {name}', choose: 'What happened?', type: 'Type of event', continue: 'Continue',
    or_pick: 'Or pick one:', change_type: 'Choose another type', date: 'Date', date_required: 'the date is needed (as much of it as is known)',
    facility: 'Facility', facility_hint: 'Start typing to choose a known facility; a name not yet known adds a new facility (fill in its details under Facilities).',
    release_reason: 'Reason for the release', country: 'Country', country_other: 'Another country: its two-letter code', country_hint: 'ISO 3166 code such as LT, PL, UA',
    other: 'another country…', organization: 'Organisation', organization_hint: 'who recognised the person, or withdrew the recognition (e.g. Viasna)',
    sources: 'Sources', sources_hint: 'Tick the sources this event is known from.', cite_ids: 'Cite other sources by number', cite_ids_hint: 'numbers from the Sources list, e.g. 12, 40',
    new_url: 'Add a web page as a new source', new_url_hint: 'https://…; it becomes a source at the level of this event (an address already known is reused)',
    no_sources: 'No sources cited.', person: 'Person', details: 'What happened', level: 'Level', download: 'download the file', back: 'Back to the person',
    not_type: '"{value}" is not a type of event', not_country: '"{value}" is not an ISO 3166 two-letter country code', country_required: 'choose the country the person was expelled to',
    not_source: 'there is no source #{id}', not_source_number: '"{value}" is not a source number', not_url: '"{value}" is not a web address starting with http:// or https://',
  },
  be: {
    add_title: 'Дадаць падзею: {name}', edit_title: 'Выправіць падзею: {name}', choose: 'Што адбылося?', type: 'Тып падзеі', continue: 'Далей',
    or_pick: 'Або выберыце:', change_type: 'Выбраць іншы тып', date: 'Дата', date_required: 'патрэбная дата (наколькі вядома)',
    facility: 'Установа', facility_hint: 'Пачніце пісаць, каб выбраць вядомую ўстанову; новая назва дадае новую ўстанову (звесткі пра яе — у раздзеле «Установы»).',
    release_reason: 'Падстава вызвалення', country: 'Краіна', country_other: 'Іншая краіна: двухлітарны код', country_hint: 'код ISO 3166, напр. LT, PL, UA',
    other: 'іншая краіна…', organization: 'Арганізацыя', organization_hint: 'хто прызнаў чалавека або зняў прызнанне (напр. Вясна)',
    sources: 'Крыніцы', sources_hint: 'Адзначце крыніцы, з якіх вядомая гэтая падзея.', cite_ids: 'Спаслацца на іншыя крыніцы па нумары', cite_ids_hint: 'нумары са спіса крыніц, напр. 12, 40',
    new_url: 'Дадаць вэб-старонку як новую крыніцу', new_url_hint: 'https://…; крыніца атрымае ўзровень гэтай падзеі (вядомы адрас выкарыстоўваецца паўторна)',
    no_sources: 'Крыніц няма.', person: 'Чалавек', details: 'Што адбылося', level: 'Узровень', download: 'спампаваць файл', back: 'Назад да чалавека',
    not_type: '«{value}» — не тып падзеі', not_country: '«{value}» — не двухлітарны код краіны ISO 3166', country_required: 'выберыце краіну, куды чалавека выслалі',
    not_source: 'крыніцы №{id} няма', not_source_number: '«{value}» — не нумар крыніцы', not_url: '«{value}» — не вэб-адрас, які пачынаецца з http:// або https://',
  },
  ru: {
    add_title: 'Добавить событие: {name}', edit_title: 'Исправить событие: {name}', choose: 'Что произошло?', type: 'Тип события', continue: 'Далее',
    or_pick: 'Или выберите:', change_type: 'Выбрать другой тип', date: 'Дата', date_required: 'нужна дата (насколько известна)',
    facility: 'Учреждение', facility_hint: 'Начните печатать, чтобы выбрать известное учреждение; новое название добавляет новое учреждение (сведения о нём — в разделе «Учреждения»).',
    release_reason: 'Основание освобождения', country: 'Страна', country_other: 'Другая страна: двухбуквенный код', country_hint: 'код ISO 3166, напр. LT, PL, UA',
    other: 'другая страна…', organization: 'Организация', organization_hint: 'кто признал человека или снял признание (напр. Вясна)',
    sources: 'Источники', sources_hint: 'Отметьте источники, из которых известно это событие.', cite_ids: 'Сослаться на другие источники по номеру', cite_ids_hint: 'номера из списка источников, напр. 12, 40',
    new_url: 'Добавить веб-страницу как новый источник', new_url_hint: 'https://…; источник получит уровень этого события (известный адрес используется повторно)',
    no_sources: 'Источников нет.', person: 'Человек', details: 'Что произошло', level: 'Уровень', download: 'скачать файл', back: 'Назад к человеку',
    not_type: '«{value}» — не тип события', not_country: '«{value}» — не двухбуквенный код страны ISO 3166', country_required: 'выберите страну, куда человека выслали',
    not_source: 'источника №{id} нет', not_source_number: '«{value}» — не номер источника', not_url: '«{value}» — не веб-адрес, начинающийся с http:// или https://',
  },
});

type Key = keyof typeof eventText.texts.en;
const e = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, eventText, key, params);

/** Where people are expelled to most often; any other code can be typed. */
export const COMMON_COUNTRIES = ['LT', 'PL', 'UA', 'LV', 'DE', 'US', 'GE', 'CZ', 'EE', 'GB'] as const;

const SOURCE_CHOICES = 15;

// ------------------------------------------------------------------ loading, as the member may see it

function personName(ctx: AdminContext, person: PersonRecord): string {
  const view = presentPerson(ctx.member, person).view;
  return view && view.names.length > 0 ? displayName(view.names) : person.external_id;
}

async function visiblePerson(input: AdminInput): Promise<PersonRecord> {
  const id = idParam(input, 'person');
  const person = await personById(input.store.db, id);
  if (!person || !presentPerson(input.ctx.member, person).view) throw errors.notFound(`person ${id}`);
  return person;
}

interface LoadedEvent {
  event: EventRecord;
  person: PersonRecord;
  restricted: string[];
}

/** The event if the member may see it and its person; 404 otherwise, so its existence is not given away. */
async function visibleEvent(input: AdminInput): Promise<LoadedEvent> {
  const id = idParam(input, 'event');
  const row = await input.store.db.selectFrom('event').select('person_id').where('id', '=', id).executeTakeFirst();
  const person = row ? await personById(input.store.db, row.person_id) : undefined;
  const event = person ? (await eventsOfPerson(input.store.db, person.id)).find((one) => one.id === id) : undefined;
  if (!person || !event || !presentPerson(input.ctx.member, person).view) throw errors.notFound(`event ${id}`);
  const shown = presentEvent(input.ctx.member, event, person.publish);
  if (!shown.view) throw errors.notFound(`event ${id}`);
  return { event, person, restricted: shown.restricted };
}

const visibleSource = (ctx: AdminContext) => (source: SourceRecord) => maySee(ctx.member, { level: source.confidentiality, consent: true });

export function sourceLabel(source: SourceRecord): string {
  const what = source.title ?? source.url ?? source.citation ?? (source.sha256 ? `SHA-256 ${source.sha256.slice(0, 12)}…` : source.kind);
  return `#${source.id} ${what}`;
}

/** Sources offered as checkboxes: those cited now, those cited for this person elsewhere, the newest. */
async function sourceChoices(store: Store, ctx: AdminContext, personId: number, cited: readonly number[]): Promise<SourceRecord[]> {
  const events = await eventsOfPerson(store.db, personId);
  const related = [...cited, ...events.flatMap((event) => event.sources.map((source) => source.id)), ...(await citedSourceIds(store.db, { entity: 'person', id: personId }))];
  const byId = new Map<number, SourceRecord>();
  for (const source of [...(await sourcesByIds(store.db, related)), ...(await latestSources(store, SOURCE_CHOICES))]) byId.set(source.id, source);
  return [...byId.values()].filter(visibleSource(ctx)).sort((a, b) => b.id - a.id);
}

// ------------------------------------------------------------------ the form

function typeOf(values: FormBody): EventType | null {
  const type = one(values, 'type');
  return isEventType(type) ? type : null;
}

/** The form values of a stored event (only sources the member may see are ticked; the others stay cited). */
function valuesOf(event: EventRecord, visibleCited: readonly number[]): FormBody {
  const common = COMMON_COUNTRIES as readonly string[];
  const country = event.country ?? '';
  return {
    type: event.type, date: event.date, facility: event.facility ?? '', articles: event.articles.join('; '), ...termFields(event.term_months),
    regime: event.regime ?? '', release_reason: event.reason ?? '', country: country === '' || common.includes(country) ? country : 'other',
    country_other: country !== '' && !common.includes(country) ? country : '', organization: event.organization ?? '', note: event.note ?? '',
    confidentiality: event.confidentiality, source_ids: visibleCited.map(String), cite_ids: '', source_url: '', reason: '', version: String(event.version),
  };
}

/** The fields the type has, its notable one first (the order of FIELDS_BY_TYPE). */
function typeFields(ctx: AdminContext, type: EventType, values: FormBody, facilities: readonly string[]): Html[] {
  const blank = [['', r(ctx, 'none')] as const];
  const countries = [...blank, ...COMMON_COUNTRIES.map((code) => [code, `${countryName(ctx.lang, code)} (${code})`] as const), ['other', e(ctx, 'other')] as const];
  const inputs: Record<string, () => Html> = {
    facility: () => html`${field({ name: 'facility', label: e(ctx, 'facility'), value: one(values, 'facility'), hint: e(ctx, 'facility_hint'), attrs: html` list="facility-names" autocomplete="off"` })}
<datalist id="facility-names">${facilities.map((name) => html`<option value="${name}">`)}</datalist>`,
    articles: () => field({ name: 'articles', label: r(ctx, 'articles'), value: one(values, 'articles'), hint: r(ctx, 'articles_hint') }),
    term_months: () => termInputs(ctx, values),
    regime: () => select({ name: 'regime', label: r(ctx, 'regime'), value: one(values, 'regime'), choices: [...blank, ...REGIMES.map((code) => [code, label(REGIME_LABELS, ctx.lang, code)] as const)] }),
    reason: () => select({ name: 'release_reason', label: e(ctx, 'release_reason'), value: one(values, 'release_reason'), choices: [...blank, ...RELEASE_REASONS.map((code) => [code, label(REASON_LABELS, ctx.lang, code)] as const)] }),
    country: () => html`<div class="grid">${select({ name: 'country', label: e(ctx, 'country'), value: one(values, 'country'), choices: countries })}
${field({ name: 'country_other', label: e(ctx, 'country_other'), value: one(values, 'country_other'), hint: e(ctx, 'country_hint'), attrs: html` maxlength="2" autocomplete="off"` })}</div>`,
    organization: () => field({ name: 'organization', label: e(ctx, 'organization'), value: one(values, 'organization'), hint: e(ctx, 'organization_hint') }),
  };
  return FIELDS_BY_TYPE[type].flatMap((name) => (inputs[name] ? [inputs[name]()] : []));
}

function sourcesFieldset(ctx: AdminContext, values: FormBody, choices: readonly SourceRecord[]): Html {
  const ticked = new Set(all(values, 'source_ids'));
  return html`<fieldset><legend>${e(ctx, 'sources')}</legend><p class="hint">${e(ctx, 'sources_hint')}</p>
${choices.length > 0 ? html`<ul class="plain">${choices.map((source) => html`<li class="check"><input type="checkbox" id="f-source-${source.id}" name="source_ids" value="${source.id}"${ticked.has(String(source.id)) ? html` checked` : ''}> <label for="f-source-${source.id}">${sourceLabel(source)}</label> ${levelBadge(ctx, source.confidentiality)}</li>`)}</ul>` : ''}
${field({ name: 'cite_ids', label: e(ctx, 'cite_ids'), value: one(values, 'cite_ids'), hint: e(ctx, 'cite_ids_hint'), attrs: html` autocomplete="off"` })}
${field({ name: 'source_url', label: e(ctx, 'new_url'), value: one(values, 'source_url'), type: 'url', hint: e(ctx, 'new_url_hint') })}
</fieldset>`;
}

interface EventFormOptions {
  person: PersonRecord;
  type: EventType;
  values: FormBody;
  action: string;
  /** Where "choose another type" leads. */
  chooser: string;
  cancel: string;
  editing: boolean;
  problems?: string[];
  conflict?: string;
}

async function eventFormPage(input: AdminInput, options: EventFormOptions): Promise<AdminResult> {
  const { ctx, store } = input;
  const { values, type } = options;
  const facilities = (await facilityPage(store, { after: 0, limit: 2000 }, {})).map((facility) => facility.name).sort((a, b) => a.localeCompare(b));
  const cited = all(values, 'source_ids').map(Number).filter(Number.isInteger);
  const choices = await sourceChoices(store, ctx, options.person.id, cited);
  const name = personName(ctx, options.person);
  return formPage(ctx, {
    title: e(ctx, options.editing ? 'edit_title' : 'add_title', { name }),
    problems: options.problems,
    conflict: options.conflict,
    action: options.action,
    cancel: options.cancel,
    body: html`${csrfField(ctx)}<input type="hidden" name="type" value="${type}">${options.editing ? versionInput(values) : ''}
<p><strong>${e(ctx, 'type')}:</strong> ${label(EVENT_LABELS, ctx.lang, type)} — <a href="${options.chooser}">${e(ctx, 'change_type')}</a></p>
${field({ name: 'date', label: e(ctx, 'date'), value: one(values, 'date'), required: true, hint: r(ctx, 'date_hint'), attrs: html` autocomplete="off" pattern="\\d{4}(-\\d{2}(-\\d{2})?)?"` })}
${typeFields(ctx, type, values, facilities)}
${sourcesFieldset(ctx, values, choices)}
${levelSelect(ctx, values)}
${textarea({ name: 'note', label: r(ctx, 'note'), value: one(values, 'note') })}
${reasonInput(ctx, values)}`,
  });
}

// ------------------------------------------------------------------ reading a sent form

interface SentEvent {
  input: EventInput;
  sourceIds: number[];
  urls: string[];
}

/** The form's labels by the API's field names, for problems found by the API's rules. */
function apiLabels(ctx: AdminContext): Record<string, string> {
  return {
    type: e(ctx, 'type'), date: e(ctx, 'date'), facility: e(ctx, 'facility'), articles: r(ctx, 'articles'), term_months: r(ctx, 'term'), regime: r(ctx, 'regime'),
    reason: e(ctx, 'release_reason'), country: e(ctx, 'country'), organization: e(ctx, 'organization'), note: r(ctx, 'note'), confidentiality: r(ctx, 'level'),
  };
}

function countryValue(ctx: AdminContext, values: FormBody, problems: Problems): string | null {
  const typed = text(values, 'country_other')?.toUpperCase() ?? null;
  const chosen = text(values, 'country');
  const code = typed ?? (chosen === 'other' ? null : chosen);
  if (code !== null && !isCountryCode(code)) problems.add(e(ctx, 'country'), e(ctx, 'not_country', { value: code }));
  return code;
}

function sourceNumbers(ctx: AdminContext, values: FormBody, problems: Problems): number[] {
  const ids = all(values, 'source_ids').map(Number).filter((id) => Number.isInteger(id) && id > 0);
  for (const part of one(values, 'cite_ids').split(/[\s,;]+/).map((p) => p.replace(/^#/, '')).filter(Boolean)) {
    if (/^\d{1,12}$/.test(part)) ids.push(Number(part));
    else problems.add(e(ctx, 'cite_ids'), e(ctx, 'not_source_number', { value: part }));
  }
  return [...new Set(ids)];
}

const WEB_ADDRESS = z.url({ protocol: /^https?$/ }).max(2000);

/** The event a form describes, or the problems that stop it (each naming its field). */
async function readEventForm(input: AdminInput, person: PersonRecord): Promise<{ sent: SentEvent; problems: string[] }> {
  const { ctx, body: values } = input;
  const problems = new Problems();
  const type = typeOf(values) ?? 'detained';
  if (!typeOf(values)) problems.add(e(ctx, 'type'), e(ctx, 'not_type', { value: one(values, 'type') }));
  const fields = FIELDS_BY_TYPE[type];
  const date = partialDateValue(ctx, values, 'date', e(ctx, 'date'), problems);
  if (date === null) problems.add(e(ctx, 'date'), e(ctx, 'date_required'));
  const event: EventInput = {
    type, date: date ?? '',
    facility: fields.includes('facility') ? text(values, 'facility') : null,
    articles: fields.includes('articles') ? articlesValue(ctx, values, 'articles', problems) : [],
    term_months: fields.includes('term_months') ? termValue(ctx, values, problems) : null,
    regime: fields.includes('regime') ? choiceValue(ctx, values, 'regime', REGIMES, r(ctx, 'regime'), problems) : null,
    reason: fields.includes('reason') ? choiceValue(ctx, values, 'release_reason', RELEASE_REASONS, e(ctx, 'release_reason'), problems) : null,
    country: fields.includes('country') ? countryValue(ctx, values, problems) : null,
    organization: fields.includes('organization') ? text(values, 'organization') : null,
    note: text(values, 'note'),
    confidentiality: levelValue(ctx, values, problems),
  };
  if (type === 'expelled' && event.country === null) problems.add(e(ctx, 'country'), e(ctx, 'country_required'));
  const sourceIds = sourceNumbers(ctx, values, problems);
  const url = text(values, 'source_url');
  if (url !== null && !WEB_ADDRESS.safeParse(url).success) problems.add(e(ctx, 'new_url'), e(ctx, 'not_url', { value: url }));
  const known = new Map((await sourcesByIds(input.store.db, sourceIds)).filter(visibleSource(ctx)).map((source) => [source.id, source]));
  for (const id of sourceIds) if (!known.has(id)) problems.add(e(ctx, 'sources'), e(ctx, 'not_source', { id: String(id) }));
  checkReason(ctx, values, problems);
  if (problems.list.length === 0) {
    // The API's rules as the last word (lengths and the like), so both accept the same events.
    const parsed = EventCreate.safeParse({ ...event, person: person.external_id, change_reason: '' });
    if (!parsed.success) problems.addIssues(parsed.error, apiLabels(ctx));
  }
  return { sent: { input: event, sourceIds, urls: url ? [url] : [] }, problems: problems.list };
}

// ------------------------------------------------------------------ pages

function typeChooser(ctx: AdminContext, person: PersonRecord, path: string, current: string | null): AdminResult {
  const title = e(ctx, current ? 'edit_title' : 'add_title', { name: personName(ctx, person) });
  return {
    title,
    main: html`<h1>${title}</h1>
<form method="get" action="${path}" class="record">
<input type="hidden" name="lang" value="${ctx.lang}">
${select({ name: 'type', label: e(ctx, 'choose'), value: current ?? 'detained', choices: EVENT_TYPES.map((type) => [type, label(EVENT_LABELS, ctx.lang, type)] as const) })}
<div class="actions"><button type="submit">${e(ctx, 'continue')}</button><a href="${adminLink(ctx, `/admin/persons/${person.id}`)}">${e(ctx, 'back')}</a></div>
</form>
<p>${e(ctx, 'or_pick')}</p>
<ul>${EVENT_TYPES.map((type) => html`<li><a href="${adminLink(ctx, path, { type })}">${label(EVENT_LABELS, ctx.lang, type)}</a></li>`)}</ul>`,
  };
}

async function newEventPage(input: AdminInput): Promise<AdminResult> {
  const { ctx } = input;
  ensureMayWrite(ctx);
  const person = await visiblePerson(input);
  const path = `/admin/persons/${person.id}/events/new`;
  const type = ctx.query.type && isEventType(ctx.query.type) ? ctx.query.type : null;
  if (!type) return typeChooser(ctx, person, path, null);
  return eventFormPage(input, {
    person, type, values: { type, confidentiality: 'internal' }, action: adminLink(ctx, path), chooser: adminLink(ctx, path),
    cancel: adminLink(ctx, `/admin/persons/${person.id}`), editing: false,
  });
}

async function submitNewEvent(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const person = await visiblePerson(input);
  const path = `/admin/persons/${person.id}/events/new`;
  const type = typeOf(body) ?? 'detained';
  const again = (extra: { problems?: string[]; conflict?: string }) => eventFormPage(input, {
    person, type, values: body, action: adminLink(ctx, path), chooser: adminLink(ctx, path), cancel: adminLink(ctx, `/admin/persons/${person.id}`), editing: false, ...extra,
  });
  const { sent, problems } = await readEventForm(input, person);
  if (problems.length > 0) return again({ problems });
  return saveOrAgain(ctx, async () => {
    const context = editContext(input);
    // The event and the sources it cites are saved together, or neither is.
    const cite = sent.sourceIds.length > 0 || sent.urls.length > 0
      ? (trx: Parameters<AlongWith>[0], id: number) => setCitationsIn(trx, { entity: 'event', id }, { sourceIds: sent.sourceIds, urls: sent.urls, level: sent.input.confidentiality ?? 'internal' }, context)
      : undefined;
    const event = await createEvent(store, person.id, sent.input, context, cite);
    return { redirect: adminLink(ctx, `/admin/events/${event.id}`, { done: 'created' }) };
  }, again);
}

async function editEventPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  ensureMayWrite(ctx);
  const { event, person } = await visibleEvent(input);
  const path = `/admin/events/${event.id}/edit`;
  const cited = (await sourcesByIds(store.db, await citedSourceIds(store.db, { entity: 'event', id: event.id }))).filter(visibleSource(ctx)).map((s) => s.id);
  const values = valuesOf(event, cited);
  const wanted = ctx.query.type;
  if (wanted === 'choose') return typeChooser(ctx, person, path, event.type);
  const type = wanted && isEventType(wanted) ? wanted : (event.type as EventType);
  values.type = type;
  return eventFormPage(input, { person, type, values, action: adminLink(ctx, path), chooser: adminLink(ctx, path, { type: 'choose' }), cancel: adminLink(ctx, `/admin/events/${event.id}`), editing: true });
}

async function submitEventEdit(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const { event, person } = await visibleEvent(input);
  const path = `/admin/events/${event.id}/edit`;
  const type = typeOf(body) ?? (event.type as EventType);
  const again = (extra: { problems?: string[]; conflict?: string }) => eventFormPage(input, {
    person, type, values: body, action: adminLink(ctx, path), chooser: adminLink(ctx, path, { type: 'choose' }), cancel: adminLink(ctx, `/admin/events/${event.id}`), editing: true, ...extra,
  });
  const { sent, problems } = await readEventForm(input, person);
  if (problems.length > 0) return again({ problems });
  // Sources the member may not see stay cited: the form could not show them.
  const cited = await sourcesByIds(store.db, await citedSourceIds(store.db, { entity: 'event', id: event.id }));
  const hidden = cited.filter((source) => !visibleSource(ctx)(source)).map((source) => source.id);
  return saveOrAgain(ctx, async () => {
    const context = editContext(input);
    await updateEvent(store, event.id, sentVersion(body), sent.input, context, (trx, id) =>
      setCitationsIn(trx, { entity: 'event', id }, { sourceIds: [...sent.sourceIds, ...hidden], urls: sent.urls, level: sent.input.confidentiality ?? 'internal' }, context));
    return { redirect: adminLink(ctx, `/admin/events/${event.id}`, { done: 'saved' }) };
  }, again);
}

function sourceItem(ctx: AdminContext, source: SourceRecord): Html {
  const link = safeUrl(source.url);
  return html`<li><a href="${adminLink(ctx, `/admin/sources/${source.id}`)}">${sourceLabel(source)}</a>
${link ? html` — <a href="${link}" rel="noopener noreferrer nofollow">${source.url}</a>` : ''}
${source.kind === 'file' ? html` — <a href="/api/v1/sources/${source.id}/file">${e(ctx, 'download')}</a>` : ''} ${levelBadge(ctx, source.confidentiality)}</li>`;
}

function eventFacts(ctx: AdminContext, event: EventRecord, person: PersonRecord, name: string): Child {
  const row = (title: string, value: Child) => (value === null || value === '' ? '' : html`<dt>${title}</dt><dd>${value}</dd>`);
  return html`<dl class="facts">
${row(e(ctx, 'person'), html`<a href="${adminLink(ctx, `/admin/persons/${person.id}`)}">${name}</a> <span class="muted">${person.external_id}</span>`)}
${row(e(ctx, 'type'), label(EVENT_LABELS, ctx.lang, event.type))}
${row(e(ctx, 'date'), html`${formatDate(ctx.lang, event.date)} <span class="muted">(${event.date})</span>`)}
${row(e(ctx, 'facility'), event.facility && event.facility_id ? html`<a href="${adminLink(ctx, `/admin/facilities/${event.facility_id}`)}">${event.facility}</a>` : null)}
${row(r(ctx, 'articles'), event.articles.join(', '))}
${row(r(ctx, 'term'), termText(ctx, event.term_months))}
${row(r(ctx, 'regime'), event.regime ? label(REGIME_LABELS, ctx.lang, event.regime) : null)}
${row(e(ctx, 'release_reason'), event.reason ? label(REASON_LABELS, ctx.lang, event.reason) : null)}
${row(e(ctx, 'country'), event.country ? `${countryName(ctx.lang, event.country)} (${event.country})` : null)}
${row(e(ctx, 'organization'), event.organization)}
${row(r(ctx, 'note'), event.note)}
${row(e(ctx, 'level'), levelBadge(ctx, event.confidentiality))}
</dl>`;
}

async function eventPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const { event, person, restricted } = await visibleEvent(input);
  await auditRestrictedRead(store, request, 'event', [{ id: event.id, fields: restricted }]);
  const sources = (await sourcesByIds(store.db, event.sources.map((source) => source.id))).filter(visibleSource(ctx));
  await auditRestrictedRead(store, request, 'source', sources.filter((source) => source.confidentiality === 'restricted').map((source) => ({ id: source.id, fields: ['source'] })));
  const name = personName(ctx, person);
  const title = `${label(EVENT_LABELS, ctx.lang, event.type)} — ${name}`;
  return {
    title,
    main: html`<h1>${title}</h1>
${versionLine(ctx, event)}
<p class="actions">${mayWrite(ctx) ? html`<a class="button" href="${adminLink(ctx, `/admin/events/${event.id}/edit`)}">${r(ctx, 'edit')}</a>` : ''}
${historyLink(ctx, 'event', event.id)}
<a class="button secondary" href="${adminLink(ctx, `/admin/persons/${person.id}`)}">${e(ctx, 'back')}</a></p>
<h2>${e(ctx, 'details')}</h2>
${eventFacts(ctx, event, person, name)}
<h2>${e(ctx, 'sources')}</h2>
${sources.length > 0 ? html`<ul>${sources.map((source) => sourceItem(ctx, source))}</ul>` : html`<p>${e(ctx, 'no_sources')}</p>`}`,
  };
}

export const eventRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/persons/:id/events/new', handler: newEventPage },
  { method: 'POST', path: '/admin/persons/:id/events/new', handler: submitNewEvent },
  { method: 'GET', path: '/admin/events/:id', handler: eventPage },
  { method: 'GET', path: '/admin/events/:id/edit', handler: editEventPage },
  { method: 'POST', path: '/admin/events/:id/edit', handler: submitEventEdit },
];
