/**
 * Sources in the workspace: find (words of the title, URL or citation, or a whole SHA-256), read (the
 * file's fingerprint, type and size, who added it and when, which records cite it, the download), add
 * a web page or a citation, upload a file, correct a source (version-checked; what intake recorded
 * about a file never changes), and the sources a person's record cites.
 *
 * Uploads are read as a stream of parts: the `_csrf` part comes first and is checked before anything
 * else is read; the file is handed to the file intake (source-file.service.ts), which measures, types
 * by content and hashes it, and stores nothing when it refuses it.
 */
import type { Multipart } from '@fastify/multipart';
import { z } from 'zod';
import { maySee } from '../../../domain/policy.js';
import { errors, isVigilError, VigilError } from '../../../errors.js';
import type { Store } from '../../../store/connection.js';
import { historyOf } from '../../../store/history.repository.js';
import { personById, personsByIds, type PersonRecord } from '../../../store/person.repository.js';
import { eventsOfPerson } from '../../../store/event.repository.js';
import { storedFileInfo } from '../../../store/stored-file.repository.js';
import { uploadLimitBytes } from '../../../features/files/file-store.service.js';
import { ACCEPTED_TYPES } from '../../../features/files/file-type.js';
import { presentEvent } from '../../../features/events/event.presenter.js';
import { presentPerson } from '../../../features/persons/person.presenter.js';
import { presentLeveled } from '../../../features/records/record.presenter.js';
import { displayName } from '../../../features/search/search.service.js';
import { citedSourceIds, setCitations } from '../../../features/sources/citation.service.js';
import { storeSourceFile } from '../../../features/sources/source-file.service.js';
import { citationsOf, latestSources, searchSources, sourcesByIds } from '../../../features/sources/source-search.service.js';
import { createSource, editSource, findSource, sourcePage, type SourceData, type SourceRecord } from '../../../features/sources/source.service.js';
import { auditRestrictedRead } from '../../api/audit-reads.js';
import { SourceCreate } from '../../api/schemas.js';
import { html, safeUrl, type Child, type Html } from '../../site/html.js';
import { formatDate, formatNumber, messages, say, type Params } from '../../site/i18n.js';
import { EVENT_LABELS, label } from '../../site/labels.js';
import { adminLink, csrfField, field, select, t, textarea, type AdminContext } from '../admin-layout.js';
import { all, checkCsrf, one, type AdminInput, type AdminResult, type AdminRoute, type FormBody } from '../admin.js';
import { sourceLabel } from './events.page.js';
import { levelBadge, levelChoices } from './persons.page.js';
import {
  afterParam, checkReason, historyLink, editContext, ensureMayWrite, formPage, idParam, levelSelect, levelValue, mayWrite, pagerLink, partialDateValue, Problems, r,
  reasonInput, saveOrAgain, sentVersion, text, versionInput, versionLine,
} from './record-pages.js';

export const sourceText = messages('admin-sources', {
  en: {
    sources: 'Sources', find: 'Find a source (words of the title, web address or citation, or a whole SHA-256)', none: 'No sources found.',
    new_source: 'Add a web page or a citation', upload: 'Upload a file', edit_title: 'Correct the source: {title}', kind: 'Kind', kinds_url: 'web page', kinds_citation: 'citation', kinds_file: 'stored file',
    url: 'Web address', title: 'Title', citation: 'Citation', citation_hint: 'a newspaper, court document, letter…, as it should be cited',
    sha256: 'SHA-256', sha256_hint: 'only for a file held elsewhere, if its fingerprint is known (64 hexadecimal digits)', media_type: 'Type (told by the content)', size: 'Size',
    published_date: 'Published', reliability: 'Reliability', reliability_hint: 'e.g. high, medium, low', file: 'File',
    file_hint: 'At most {mb} MB. PDF, images (JPEG, PNG, WebP, GIF), audio, video, plain text, DOCX/ODT/XLSX. The type is told by the content, not by the name.',
    no_file: 'choose the file to upload', added: 'Added by {actor} on {at}', stored: 'File first stored by {actor} on {at}', download: 'Download the file',
    cited_by: 'Cited by', not_cited: 'No record cites this source yet.', cites_none: 'The record cites no source yet.', other_records: { one: '{n} other record (case, violation, …)', other: '{n} other records (cases, violations, …)' },
    same_file: 'The same file in other sources', for_person: 'The new source will be cited by {name}.', bytes: '{n} bytes',
    person_sources: 'Sources: {name}', person_cites: 'Sources the record cites', event_sources: 'Sources cited by the events', attach: 'Cite sources',
    attach_hint: 'Tick sources to cite, give their numbers, or add a web page.', cite_ids: 'Source numbers', cite_ids_hint: 'from the Sources list, e.g. 12, 40',
    new_url: 'Add a web page as a new source', new_level: 'Level of a new web page source', remove: 'Remove', why: 'why:', back: 'Back to the person',
    url_required: 'a web page source needs its address', citation_required: 'a citation needs its text or a title', not_url: '"{value}" is not a web address starting with http:// or https://',
    not_sha256: 'a SHA-256 is 64 hexadecimal digits', not_source: 'there is no source #{id}', not_source_number: '"{value}" is not a source number', nothing: 'choose a source to cite or give a web address',
    csrf_first: 'the form’s _csrf field must come before the file; reload the page and send it again',
  },
  be: {
    sources: 'Крыніцы', find: 'Знайсці крыніцу (словы назвы, вэб-адраса або цытаты, ці ўвесь SHA-256)', none: 'Крыніц не знойдзена.',
    new_source: 'Дадаць вэб-старонку або цытату', upload: 'Загрузіць файл', edit_title: 'Выправіць крыніцу: {title}', kind: 'Від', kinds_url: 'вэб-старонка', kinds_citation: 'цытата', kinds_file: 'захаваны файл',
    url: 'Вэб-адрас', title: 'Назва', citation: 'Цытата', citation_hint: 'газета, судовы дакумент, ліст…, як яе трэба цытаваць',
    sha256: 'SHA-256', sha256_hint: 'толькі для файла, які захоўваецца ў іншым месцы, калі вядомы яго адбітак (64 шаснаццатковыя лічбы)', media_type: 'Тып (паводле зместу)', size: 'Памер',
    published_date: 'Апублікавана', reliability: 'Надзейнасць', reliability_hint: 'напр. high, medium, low', file: 'Файл',
    file_hint: 'Не больш за {mb} МБ. PDF, выявы (JPEG, PNG, WebP, GIF), аўдыя, відэа, просты тэкст, DOCX/ODT/XLSX. Тып вызначаецца паводле зместу, не назвы.',
    no_file: 'выберыце файл для загрузкі', added: 'Дадаў(-ла) {actor} {at}', stored: 'Файл упершыню захаваў(-ла) {actor} {at}', download: 'Спампаваць файл',
    cited_by: 'Спасылаюцца', not_cited: 'На гэтую крыніцу яшчэ ніхто не спасылаецца.', cites_none: 'Запіс яшчэ не спасылаецца ні на якую крыніцу.', other_records: { one: '{n} іншы запіс (справа, парушэнне, …)', few: '{n} іншыя запісы (справы, парушэнні, …)', many: '{n} іншых запісаў (справы, парушэнні, …)', other: '{n} іншага запісу (справы, парушэнні, …)' },
    same_file: 'Той самы файл у іншых крыніцах', for_person: 'На новую крыніцу будзе спасылацца {name}.', bytes: '{n} байт',
    person_sources: 'Крыніцы: {name}', person_cites: 'Крыніцы запісу', event_sources: 'Крыніцы падзей', attach: 'Спаслацца на крыніцы',
    attach_hint: 'Адзначце крыніцы, дайце іх нумары або дадайце вэб-старонку.', cite_ids: 'Нумары крыніц', cite_ids_hint: 'са спіса крыніц, напр. 12, 40',
    new_url: 'Дадаць вэб-старонку як новую крыніцу', new_level: 'Узровень новай вэб-крыніцы', remove: 'Прыбраць', why: 'чаму:', back: 'Назад да чалавека',
    url_required: 'вэб-крыніцы патрэбны адрас', citation_required: 'цытаце патрэбны тэкст або назва', not_url: '«{value}» — не вэб-адрас, які пачынаецца з http:// або https://',
    not_sha256: 'SHA-256 — гэта 64 шаснаццатковыя лічбы', not_source: 'крыніцы №{id} няма', not_source_number: '«{value}» — не нумар крыніцы', nothing: 'выберыце крыніцу або дайце вэб-адрас',
    csrf_first: 'поле _csrf мусіць ісці перад файлам; перазагрузіце старонку і адпраўце зноў',
  },
  ru: {
    sources: 'Источники', find: 'Найти источник (слова названия, веб-адреса или цитаты, или весь SHA-256)', none: 'Источников не найдено.',
    new_source: 'Добавить веб-страницу или цитату', upload: 'Загрузить файл', edit_title: 'Исправить источник: {title}', kind: 'Вид', kinds_url: 'веб-страница', kinds_citation: 'цитата', kinds_file: 'сохранённый файл',
    url: 'Веб-адрес', title: 'Название', citation: 'Цитата', citation_hint: 'газета, судебный документ, письмо…, как её нужно цитировать',
    sha256: 'SHA-256', sha256_hint: 'только для файла, хранящегося в другом месте, если известен его отпечаток (64 шестнадцатеричные цифры)', media_type: 'Тип (по содержимому)', size: 'Размер',
    published_date: 'Опубликовано', reliability: 'Надёжность', reliability_hint: 'напр. high, medium, low', file: 'Файл',
    file_hint: 'Не больше {mb} МБ. PDF, изображения (JPEG, PNG, WebP, GIF), аудио, видео, простой текст, DOCX/ODT/XLSX. Тип определяется по содержимому, не по названию.',
    no_file: 'выберите файл для загрузки', added: 'Добавил(а) {actor} {at}', stored: 'Файл впервые сохранил(а) {actor} {at}', download: 'Скачать файл',
    cited_by: 'Ссылаются', not_cited: 'На этот источник ещё никто не ссылается.', cites_none: 'Запись пока не ссылается ни на один источник.', other_records: { one: '{n} другая запись (дело, нарушение, …)', few: '{n} другие записи (дела, нарушения, …)', many: '{n} других записей (дела, нарушения, …)', other: '{n} другой записи (дела, нарушения, …)' },
    same_file: 'Тот же файл в других источниках', for_person: 'На новый источник будет ссылаться {name}.', bytes: '{n} байт',
    person_sources: 'Источники: {name}', person_cites: 'Источники записи', event_sources: 'Источники событий', attach: 'Сослаться на источники',
    attach_hint: 'Отметьте источники, укажите их номера или добавьте веб-страницу.', cite_ids: 'Номера источников', cite_ids_hint: 'из списка источников, напр. 12, 40',
    new_url: 'Добавить веб-страницу как новый источник', new_level: 'Уровень нового веб-источника', remove: 'Убрать', why: 'почему:', back: 'Назад к человеку',
    url_required: 'веб-источнику нужен адрес', citation_required: 'цитате нужен текст или название', not_url: '«{value}» — не веб-адрес, начинающийся с http:// или https://',
    not_sha256: 'SHA-256 — это 64 шестнадцатеричные цифры', not_source: 'источника №{id} нет', not_source_number: '«{value}» — не номер источника', nothing: 'выберите источник или укажите веб-адрес',
    csrf_first: 'поле _csrf должно идти перед файлом; перезагрузите страницу и отправьте снова',
  },
});

type Key = keyof typeof sourceText.texts.en;
const s = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, sourceText, key, params);

const PAGE = 50;
const RELIABILITY = ['high', 'medium', 'low'] as const;
const WEB_ADDRESS = z.url({ protocol: /^https?$/ }).max(2000);

const visibleTo = (ctx: AdminContext) => (source: SourceRecord) => maySee(ctx.member, { level: source.confidentiality, consent: true });

function personName(ctx: AdminContext, person: PersonRecord): string {
  const view = presentPerson(ctx.member, person).view;
  return view && view.names.length > 0 ? displayName(view.names) : person.external_id;
}

/** A person the member may see, by internal id (the `person` of a form or query); null when none is asked for. */
async function personParam(input: AdminInput, raw: string): Promise<PersonRecord | null> {
  if (raw === '') return null;
  const person = /^\d{1,15}$/.test(raw) ? await personById(input.store.db, Number(raw)) : undefined;
  if (!person || !presentPerson(input.ctx.member, person).view) throw errors.notFound(`person ${raw}`);
  return person;
}

async function visibleSource(input: AdminInput): Promise<SourceRecord> {
  const id = idParam(input, 'source');
  const source = await findSource(input.store, id);
  if (!presentLeveled(input.ctx.member, source, 'source').view) throw errors.notFound(`source ${id}`);
  return source;
}

function kindLabel(ctx: AdminContext, kind: string): string {
  return kind === 'url' || kind === 'citation' || kind === 'file' ? s(ctx, `kinds_${kind}`) : kind;
}

function sizeText(ctx: AdminContext, bytes: number | null): string {
  if (bytes === null) return '';
  const mb = bytes / 1024 / 1024;
  const human = mb >= 1 ? `${formatNumber(ctx.lang, Math.round(mb * 10) / 10)} MB` : `${formatNumber(ctx.lang, Math.ceil(bytes / 1024))} KB`;
  return `${human} (${s(ctx, 'bytes', { n: bytes })})`;
}

const when = (at: string) => at.slice(0, 16).replace('T', ' ');

// ------------------------------------------------------------------ list

async function listPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const q = ctx.query.q?.trim().slice(0, 300) ?? '';
  const found = await searchSources(store, q, { after: afterParam(ctx), limit: PAGE });
  const shown = found.filter(visibleTo(ctx));
  await auditRestrictedRead(store, request, 'source', shown.filter((one) => one.confidentiality === 'restricted').map((one) => ({ id: one.id, fields: ['source'] })));
  return {
    title: s(ctx, 'sources'),
    main: html`<h1>${s(ctx, 'sources')}</h1>
${mayWrite(ctx) ? html`<p class="actions"><a class="button" href="${adminLink(ctx, '/admin/sources/upload')}">${s(ctx, 'upload')}</a> <a class="button secondary" href="${adminLink(ctx, '/admin/sources/new')}">${s(ctx, 'new_source')}</a></p>` : ''}
<form method="get" action="/admin/sources" class="filters" role="search">
<input type="hidden" name="lang" value="${ctx.lang}">
<div><label for="q">${s(ctx, 'find')}</label><input id="q" name="q" type="search" value="${q}"></div>
<div><button type="submit">${t(ctx, 'search')}</button></div>
</form>
${shown.length === 0 ? html`<p>${s(ctx, 'none')}</p>` : html`<div class="table-wrap"><table><thead><tr><th>${s(ctx, 'title')}</th><th>${s(ctx, 'kind')}</th><th>${s(ctx, 'published_date')}</th><th>${s(ctx, 'sha256')}</th><th>${r(ctx, 'level')}</th></tr></thead><tbody>
${shown.map((source) => html`<tr><td><a href="${adminLink(ctx, `/admin/sources/${source.id}`)}">${sourceLabel(source)}</a></td><td>${kindLabel(ctx, source.kind)}</td>
<td>${formatDate(ctx.lang, source.published_date)}</td><td>${source.sha256 ? html`<code class="hash">${source.sha256.slice(0, 16)}…</code>` : ''}</td><td>${levelBadge(ctx, source.confidentiality)}</td></tr>`)}
</tbody></table></div>`}
${pagerLink(ctx, '/admin/sources', found.length === PAGE ? found.at(-1)!.id : null, { q })}`,
  };
}

// ------------------------------------------------------------------ read

async function citedByBlock(input: AdminInput, source: SourceRecord): Promise<Child> {
  const { ctx, store } = input;
  const citations = await citationsOf(store.db, source.id);
  const personIds = [...citations.events.map((one) => one.person_id), ...citations.links.filter((one) => one.entity === 'person').map((one) => one.entity_id)];
  const people = new Map((await personsByIds(store.db, personIds)).filter((person) => presentPerson(ctx.member, person).view).map((person) => [person.id, person]));
  const events = citations.events.filter((one) => {
    const person = people.get(one.person_id);
    return person && maySee(ctx.member, { level: one.confidentiality, consent: person.publish });
  });
  const linkedPeople = citations.links.filter((one) => one.entity === 'person' && people.has(one.entity_id));
  const others = citations.links.filter((one) => one.entity !== 'person').length;
  if (events.length === 0 && linkedPeople.length === 0 && others === 0) return html`<p>${s(ctx, 'not_cited')}</p>`;
  return html`<ul>
${linkedPeople.map((one) => html`<li><a href="${adminLink(ctx, `/admin/persons/${one.entity_id}`)}">${personName(ctx, people.get(one.entity_id)!)}</a></li>`)}
${events.map((one) => html`<li><a href="${adminLink(ctx, `/admin/events/${one.event_id}`)}">${label(EVENT_LABELS, ctx.lang, one.type)}, ${formatDate(ctx.lang, one.date)}</a> — ${personName(ctx, people.get(one.person_id)!)}</li>`)}
${others > 0 ? html`<li>${s(ctx, 'other_records', { n: others })}</li>` : ''}
</ul>`;
}

function sourceFacts(ctx: AdminContext, source: SourceRecord): Child {
  const row = (title: string, value: Child) => (value === null || value === '' ? '' : html`<dt>${title}</dt><dd>${value}</dd>`);
  const link = safeUrl(source.url);
  return html`<dl class="facts">
${row(s(ctx, 'kind'), kindLabel(ctx, source.kind))}
${row(s(ctx, 'url'), source.url ? (link ? html`<a href="${link}" rel="noopener noreferrer nofollow">${source.url}</a>` : source.url) : null)}
${row(s(ctx, 'title'), source.title)}
${row(s(ctx, 'citation'), source.citation)}
${row(s(ctx, 'sha256'), source.sha256 ? html`<code class="hash" id="sha256">${source.sha256}</code>` : null)}
${row(s(ctx, 'media_type'), source.media_type ? `${ACCEPTED_TYPES[source.media_type]?.label ?? source.media_type} (${source.media_type})` : null)}
${row(s(ctx, 'size'), sizeText(ctx, source.size_bytes))}
${row(s(ctx, 'published_date'), source.published_date ? formatDate(ctx.lang, source.published_date) : null)}
${row(s(ctx, 'reliability'), source.reliability)}
${row(r(ctx, 'level'), levelBadge(ctx, source.confidentiality))}
</dl>`;
}

async function provenance(store: Store, ctx: AdminContext, source: SourceRecord): Promise<Html> {
  const created = (await historyOf(store.db, 'source', source.id)).find((entry) => entry.action === 'create');
  const file = source.kind === 'file' && source.sha256 ? await storedFileInfo(store.db, source.sha256) : undefined;
  return html`${created ? html`<p>${s(ctx, 'added', { actor: created.actor, at: when(created.at) })}${created.reason ? html` — <q>${created.reason}</q>` : ''}</p>` : ''}
${file ? html`<p>${s(ctx, 'stored', { actor: file.stored_by, at: when(file.stored_at) })}</p>` : ''}`;
}

async function sourcePageHandler(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const source = await visibleSource(input);
  if (source.confidentiality === 'restricted') await auditRestrictedRead(store, request, 'source', [{ id: source.id, fields: ['source'] }]);
  const same = source.sha256 ? (await sourcePage(store, { after: 0, limit: 50 }, { sha256: source.sha256 })).filter((other) => other.id !== source.id).filter(visibleTo(ctx)) : [];
  const title = sourceLabel(source);
  return {
    title,
    main: html`<h1>${title}</h1>
${versionLine(ctx, source)}
<p class="actions">${source.kind === 'file' ? html`<a class="button" href="/api/v1/sources/${source.id}/file">${s(ctx, 'download')}</a>` : ''}
${mayWrite(ctx) ? html`<a class="button secondary" href="${adminLink(ctx, `/admin/sources/${source.id}/edit`)}">${r(ctx, 'edit')}</a>` : ''} ${historyLink(ctx, 'source', source.id)}</p>
${sourceFacts(ctx, source)}
${await provenance(store, ctx, source)}
<h2>${s(ctx, 'cited_by')}</h2>
${await citedByBlock(input, source)}
${same.length > 0 ? html`<h2>${s(ctx, 'same_file')}</h2><ul>${same.map((other) => html`<li><a href="${adminLink(ctx, `/admin/sources/${other.id}`)}">${sourceLabel(other)}</a></li>`)}</ul>` : ''}`,
  };
}

// ------------------------------------------------------------------ web page and citation sources

function valuesOf(source: SourceRecord): FormBody {
  return {
    kind: source.kind, url: source.url ?? '', title: source.title ?? '', citation: source.citation ?? '', sha256: source.sha256 ?? '', published_date: source.published_date ?? '',
    reliability: source.reliability ?? '', confidentiality: source.confidentiality, reason: '', version: String(source.version),
  };
}

function reliabilityInput(ctx: AdminContext, values: FormBody): Html {
  return html`${field({ name: 'reliability', label: s(ctx, 'reliability'), value: one(values, 'reliability'), hint: s(ctx, 'reliability_hint'), attrs: html` list="reliability-values"` })}
<datalist id="reliability-values">${RELIABILITY.map((value) => html`<option value="${value}">`)}</datalist>`;
}

interface SourceFormOptions {
  values: FormBody;
  action: string;
  cancel: string;
  title: string;
  /** The source being corrected; null when a new one is added. */
  source: SourceRecord | null;
  person: PersonRecord | null;
  problems?: string[];
  conflict?: string;
}

function sourceFormPage(ctx: AdminContext, options: SourceFormOptions): AdminResult {
  const { values, source } = options;
  const kind = source?.kind ?? (one(values, 'kind') || 'url');
  const kindField = source
    ? html`<p><strong>${s(ctx, 'kind')}:</strong> ${kindLabel(ctx, source.kind)}</p>`
    : select({ name: 'kind', label: s(ctx, 'kind'), value: kind, choices: [['url', s(ctx, 'kinds_url')], ['citation', s(ctx, 'kinds_citation')]] });
  return formPage(ctx, {
    title: options.title, problems: options.problems, conflict: options.conflict, action: options.action, cancel: options.cancel,
    intro: options.person ? html`<p>${s(ctx, 'for_person', { name: personName(ctx, options.person) })}</p>` : null,
    body: html`${csrfField(ctx)}${source ? versionInput(values) : ''}${options.person ? html`<input type="hidden" name="person" value="${options.person.id}">` : ''}
${kindField}
${source?.kind === 'file' ? '' : field({ name: 'url', label: s(ctx, 'url'), value: one(values, 'url'), type: 'url' })}
${field({ name: 'title', label: s(ctx, 'title'), value: one(values, 'title') })}
${source?.kind === 'file' ? '' : textarea({ name: 'citation', label: s(ctx, 'citation'), value: one(values, 'citation') })}
${source?.kind === 'file' ? '' : field({ name: 'sha256', label: s(ctx, 'sha256'), value: one(values, 'sha256'), hint: s(ctx, 'sha256_hint'), attrs: html` autocomplete="off" spellcheck="false"` })}
<div class="grid">
${field({ name: 'published_date', label: s(ctx, 'published_date'), value: one(values, 'published_date'), hint: r(ctx, 'date_hint') })}
${reliabilityInput(ctx, values)}
</div>
${levelSelect(ctx, values)}
${reasonInput(ctx, values)}`,
  });
}

function apiLabels(ctx: AdminContext): Record<string, string> {
  return {
    kind: s(ctx, 'kind'), url: s(ctx, 'url'), title: s(ctx, 'title'), citation: s(ctx, 'citation'), sha256: s(ctx, 'sha256'), published_date: s(ctx, 'published_date'),
    reliability: s(ctx, 'reliability'), confidentiality: r(ctx, 'level'),
  };
}

/** The source a form describes; a stored file keeps what intake recorded. */
function readSourceForm(ctx: AdminContext, values: FormBody, source: SourceRecord | null): { data: SourceData; problems: string[] } {
  const problems = new Problems();
  const kind = source?.kind ?? (one(values, 'kind') === 'citation' ? 'citation' : 'url');
  const fixed = source?.kind === 'file';
  const sha256 = fixed ? source.sha256 : text(values, 'sha256')?.toLowerCase() ?? null;
  const data: SourceData = {
    kind, url: fixed ? source.url : text(values, 'url'), title: text(values, 'title'), citation: fixed ? source.citation : text(values, 'citation'), sha256,
    media_type: source?.media_type ?? null, size_bytes: source?.size_bytes ?? null,
    published_date: partialDateValue(ctx, values, 'published_date', s(ctx, 'published_date'), problems), reliability: text(values, 'reliability'),
    confidentiality: levelValue(ctx, values, problems),
  };
  if (kind === 'url' && data.url === null) problems.add(s(ctx, 'url'), s(ctx, 'url_required'));
  if (data.url !== null && !fixed && !WEB_ADDRESS.safeParse(data.url).success) problems.add(s(ctx, 'url'), s(ctx, 'not_url', { value: data.url }));
  if (kind === 'citation' && data.citation === null && data.title === null) problems.add(s(ctx, 'citation'), s(ctx, 'citation_required'));
  if (sha256 !== null && !fixed && !/^[0-9a-f]{64}$/.test(sha256)) problems.add(s(ctx, 'sha256'), s(ctx, 'not_sha256'));
  checkReason(ctx, values, problems);
  if (problems.list.length === 0 && !fixed) {
    const parsed = SourceCreate.safeParse({ ...data, change_reason: '' });
    if (!parsed.success) problems.addIssues(parsed.error, apiLabels(ctx));
  }
  return { data, problems: problems.list };
}

/** After a new source: cite it from the person's record when the form came from there. */
async function citeFromPerson(input: AdminInput, person: PersonRecord | null, sourceId: number): Promise<string> {
  const { ctx, store } = input;
  if (!person) return adminLink(ctx, `/admin/sources/${sourceId}`, { done: 'created' });
  const cited = await citedSourceIds(store.db, { entity: 'person', id: person.id });
  await setCitations(store, { entity: 'person', id: person.id }, { sourceIds: [...cited, sourceId] }, editContext(input));
  return adminLink(ctx, `/admin/sources/${sourceId}`, { done: 'created' });
}

async function newSourcePage(input: AdminInput): Promise<AdminResult> {
  const { ctx } = input;
  ensureMayWrite(ctx);
  const person = await personParam(input, ctx.query.person ?? '');
  return sourceFormPage(ctx, {
    values: { kind: 'url', confidentiality: 'internal' }, action: adminLink(ctx, '/admin/sources/new'), title: s(ctx, 'new_source'), source: null, person,
    cancel: person ? adminLink(ctx, `/admin/persons/${person.id}/sources`) : adminLink(ctx, '/admin/sources'),
  });
}

async function submitNewSource(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const person = await personParam(input, one(body, 'person'));
  const again = (extra: { problems?: string[]; conflict?: string }) => sourceFormPage(ctx, {
    values: body, action: adminLink(ctx, '/admin/sources/new'), title: s(ctx, 'new_source'), source: null, person,
    cancel: person ? adminLink(ctx, `/admin/persons/${person.id}/sources`) : adminLink(ctx, '/admin/sources'), ...extra,
  });
  const { data, problems } = readSourceForm(ctx, body, null);
  if (problems.length > 0) return again({ problems });
  return saveOrAgain(ctx, async () => {
    const created = await createSource(store, data, editContext(input));
    return { redirect: await citeFromPerson(input, person, created.id) };
  }, again);
}

async function editSourcePage(input: AdminInput): Promise<AdminResult> {
  const { ctx } = input;
  ensureMayWrite(ctx);
  const source = await visibleSource(input);
  return sourceFormPage(ctx, {
    values: valuesOf(source), action: adminLink(ctx, `/admin/sources/${source.id}/edit`), cancel: adminLink(ctx, `/admin/sources/${source.id}`),
    title: s(ctx, 'edit_title', { title: sourceLabel(source) }), source, person: null,
  });
}

async function submitSourceEdit(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const source = await visibleSource(input);
  const again = (extra: { problems?: string[]; conflict?: string }) => sourceFormPage(ctx, {
    values: body, action: adminLink(ctx, `/admin/sources/${source.id}/edit`), cancel: adminLink(ctx, `/admin/sources/${source.id}`),
    title: s(ctx, 'edit_title', { title: sourceLabel(source) }), source, person: null, ...extra,
  });
  const { data, problems } = readSourceForm(ctx, body, source);
  if (problems.length > 0) return again({ problems });
  return saveOrAgain(ctx, async () => {
    await editSource(store, source.id, sentVersion(body), data, editContext(input));
    return { redirect: adminLink(ctx, `/admin/sources/${source.id}`, { done: 'saved' }) };
  }, again);
}

// ------------------------------------------------------------------ upload

function uploadFormPage(ctx: AdminContext, options: { values: FormBody; person: PersonRecord | null; problems?: string[]; status?: number }): AdminResult {
  const { values, person } = options;
  const mb = Math.round(uploadLimitBytes() / 1024 / 1024);
  return formPage(ctx, {
    title: s(ctx, 'upload'), problems: options.problems, action: adminLink(ctx, '/admin/sources/upload'), multipart: true, status: options.status,
    cancel: person ? adminLink(ctx, `/admin/persons/${person.id}/sources`) : adminLink(ctx, '/admin/sources'),
    intro: person ? html`<p>${s(ctx, 'for_person', { name: personName(ctx, person) })}</p>` : null,
    // _csrf first: it is checked before the file is read.
    body: html`${csrfField(ctx)}${person ? html`<input type="hidden" name="person" value="${person.id}">` : ''}
${field({ name: 'title', label: s(ctx, 'title'), value: one(values, 'title') })}
<div class="grid">
${field({ name: 'published_date', label: s(ctx, 'published_date'), value: one(values, 'published_date'), hint: r(ctx, 'date_hint') })}
${reliabilityInput(ctx, values)}
</div>
${levelSelect(ctx, values)}
${reasonInput(ctx, values)}
${field({ name: 'file', label: s(ctx, 'file'), type: 'file', required: true, hint: s(ctx, 'file_hint', { mb }) })}`,
  });
}

interface UploadForm {
  values: Record<string, string>;
  file: { content: Buffer; fileName: string } | null;
}

/** The parts of the upload form; the `_csrf` part must come first and is checked before anything else is read. */
async function readUploadParts(input: AdminInput): Promise<UploadForm> {
  const { ctx, request } = input;
  const limit = uploadLimitBytes();
  const values: Record<string, string> = {};
  let file: UploadForm['file'] = null;
  let checked = false;
  // Busboy stops one byte past the limit, so the intake sees the excess and refuses the file.
  const options = { limits: { fileSize: limit + 1, files: 1, fields: 20, fieldSize: 100_000, parts: 25 }, throwFileSizeLimit: false };
  const parts = request.parts(options);
  for await (const part of parts as AsyncIterable<Multipart>) {
    if (!checked) {
      if (part.type !== 'field' || part.fieldname !== '_csrf') {
        if (part.type === 'file') part.file.resume();
        throw new VigilError('csrf_failed', s(ctx, 'csrf_first'), 403);
      }
      checkCsrf(request, String(part.value));
      checked = true;
      continue;
    }
    if (part.type === 'file') {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      // A browser sends an empty part without a name when no file was chosen.
      if (part.filename || chunks.length > 0) file = { content: Buffer.concat(chunks), fileName: part.filename };
      continue;
    }
    values[part.fieldname] = String(part.value);
  }
  if (!checked) checkCsrf(request, '');
  return { values, file };
}

function multipartProblem(error: unknown): VigilError | null {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'FST_FILES_LIMIT') return errors.validation('file: send one file per upload');
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return errors.validation('the form has too many fields');
  return null;
}

async function submitUpload(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  ensureMayWrite(ctx);
  let form: UploadForm;
  try {
    form = await readUploadParts(input);
  } catch (error) {
    const problem = multipartProblem(error);
    if (!problem) throw error;
    return uploadFormPage(ctx, { values: {}, person: null, problems: [problem.message] });
  }
  const values: FormBody = form.values;
  const person = await personParam(input, one(values, 'person'));
  const problems = new Problems();
  partialDateValue(ctx, values, 'published_date', s(ctx, 'published_date'), problems);
  const confidentiality = levelValue(ctx, values, problems);
  checkReason(ctx, values, problems);
  if (!form.file) problems.add(s(ctx, 'file'), s(ctx, 'no_file'));
  if (problems.list.length > 0 || !form.file) return uploadFormPage(ctx, { values, person, problems: problems.list });
  const context = { ...editContext({ ...input, body: values }), viewer: ctx.member };
  try {
    const stored = await storeSourceFile(store, {
      content: form.file.content, fileName: form.file.fileName, title: text(values, 'title'), published_date: text(values, 'published_date'),
      reliability: text(values, 'reliability'), confidentiality,
    }, context, { maxBytes: uploadLimitBytes() });
    return { redirect: await citeFromPerson({ ...input, body: values }, person, stored.source.id) };
  } catch (error) {
    if (isVigilError(error) && [400, 413, 415].includes(error.status)) {
      return uploadFormPage(ctx, { values, person, problems: [`${s(ctx, 'file')}: ${error.message}`], status: error.status });
    }
    throw error;
  }
}

async function uploadPage(input: AdminInput): Promise<AdminResult> {
  ensureMayWrite(input.ctx);
  const person = await personParam(input, input.ctx.query.person ?? '');
  return uploadFormPage(input.ctx, { values: { confidentiality: 'internal' }, person });
}

// ------------------------------------------------------------------ the sources a person's record cites

async function visiblePerson(input: AdminInput): Promise<PersonRecord> {
  return (await personParam(input, input.params.id ?? '-'))!;
}

function sourceLine(ctx: AdminContext, source: SourceRecord, remove: Child = null): Html {
  const link = safeUrl(source.url);
  return html`<li><a href="${adminLink(ctx, `/admin/sources/${source.id}`)}">${sourceLabel(source)}</a>${link ? html` — <a href="${link}" rel="noopener noreferrer nofollow">${source.url}</a>` : ''} ${levelBadge(ctx, source.confidentiality)} ${remove}</li>`;
}

async function personSourcesPage(input: AdminInput, extra: { problems?: string[] } = {}): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const person = await visiblePerson(input);
  const cited = (await sourcesByIds(store.db, await citedSourceIds(store.db, { entity: 'person', id: person.id }))).filter(visibleTo(ctx));
  const events = (await eventsOfPerson(store.db, person.id)).filter((event) => presentEvent(ctx.member, event, person.publish).view);
  const fromEvents = (await sourcesByIds(store.db, events.flatMap((event) => event.sources.map((source) => source.id)))).filter(visibleTo(ctx));
  const choices = (await latestSources(store, 15)).filter(visibleTo(ctx)).filter((source) => !cited.some((one) => one.id === source.id));
  await auditRestrictedRead(store, request, 'source', [...cited, ...fromEvents].filter((one) => one.confidentiality === 'restricted').map((one) => ({ id: one.id, fields: ['source'] })));
  const name = personName(ctx, person);
  const action = adminLink(ctx, `/admin/persons/${person.id}/sources`);
  const values = input.request.method === 'POST' ? input.body : {};
  const remove = (source: SourceRecord) => mayWrite(ctx)
    ? html`<form method="post" action="${action}" class="inline">${csrfField(ctx)}<input type="hidden" name="intent" value="remove"><input type="hidden" name="source_id" value="${source.id}"> <label for="f-why-${source.id}">${s(ctx, 'why')}</label> <input id="f-why-${source.id}" name="reason" required size="24"> <button type="submit" class="secondary">${s(ctx, 'remove')}</button></form>`
    : null;
  return {
    status: extra.problems && extra.problems.length > 0 ? 400 : 200,
    title: s(ctx, 'person_sources', { name }),
    main: html`<h1>${s(ctx, 'person_sources', { name })}</h1>
<p class="actions"><a class="button secondary" href="${adminLink(ctx, `/admin/persons/${person.id}`)}">${s(ctx, 'back')}</a>
${mayWrite(ctx) ? html`<a class="button secondary" href="${adminLink(ctx, '/admin/sources/upload', { person: person.id })}">${s(ctx, 'upload')}</a> <a class="button secondary" href="${adminLink(ctx, '/admin/sources/new', { person: person.id })}">${s(ctx, 'new_source')}</a>` : ''}</p>
<h2>${s(ctx, 'person_cites')}</h2>
${cited.length > 0 ? html`<ul>${cited.map((source) => sourceLine(ctx, source, remove(source)))}</ul>` : html`<p>${s(ctx, 'cites_none')}</p>`}
${fromEvents.length > 0 ? html`<h2>${s(ctx, 'event_sources')}</h2><ul>${fromEvents.map((source) => sourceLine(ctx, source))}</ul>` : ''}
${mayWrite(ctx) ? html`<h2>${s(ctx, 'attach')}</h2>
${extra.problems && extra.problems.length > 0 ? html`<div class="errors" role="alert"><ul>${extra.problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
<form method="post" action="${action}" class="record">${csrfField(ctx)}<input type="hidden" name="intent" value="attach">
<p class="hint">${s(ctx, 'attach_hint')}</p>
${choices.length > 0 ? html`<ul class="plain">${choices.map((source) => html`<li class="check"><input type="checkbox" id="f-source-${source.id}" name="source_ids" value="${source.id}"${all(values, 'source_ids').includes(String(source.id)) ? html` checked` : ''}> <label for="f-source-${source.id}">${sourceLabel(source)}</label> ${levelBadge(ctx, source.confidentiality)}</li>`)}</ul>` : ''}
${field({ name: 'cite_ids', label: s(ctx, 'cite_ids'), value: one(values, 'cite_ids'), hint: s(ctx, 'cite_ids_hint'), attrs: html` autocomplete="off"` })}
${field({ name: 'source_url', label: s(ctx, 'new_url'), value: one(values, 'source_url'), type: 'url' })}
${select({ name: 'confidentiality', label: s(ctx, 'new_level'), value: one(values, 'confidentiality') || 'internal', choices: levelChoices(ctx) })}
${reasonInput(ctx, values)}
<div class="actions"><button type="submit">${s(ctx, 'attach')}</button></div>
</form>` : ''}`,
  };
}

function sourceNumbers(ctx: AdminContext, values: FormBody, problems: Problems): number[] {
  const ids = all(values, 'source_ids').map(Number).filter((id) => Number.isInteger(id) && id > 0);
  for (const part of one(values, 'cite_ids').split(/[\s,;]+/).map((p) => p.replace(/^#/, '')).filter(Boolean)) {
    if (/^\d{1,12}$/.test(part)) ids.push(Number(part));
    else problems.add(s(ctx, 'cite_ids'), s(ctx, 'not_source_number', { value: part }));
  }
  return [...new Set(ids)];
}

async function submitPersonSources(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const person = await visiblePerson(input);
  const target = { entity: 'person' as const, id: person.id };
  const cited = await citedSourceIds(store.db, target);
  if (one(body, 'intent') === 'remove') {
    const id = Number(one(body, 'source_id'));
    const source = (await sourcesByIds(store.db, [id])).find(visibleTo(ctx));
    if (!source || !cited.includes(id)) throw errors.notFound(`source ${one(body, 'source_id')} of person ${person.id}`);
    await setCitations(store, target, { sourceIds: cited.filter((one) => one !== id) }, editContext(input));
    return { redirect: adminLink(ctx, `/admin/persons/${person.id}/sources`, { done: 'saved' }) };
  }
  const problems = new Problems();
  const ids = sourceNumbers(ctx, body, problems);
  const known = new Set((await sourcesByIds(store.db, ids)).filter(visibleTo(ctx)).map((source) => source.id));
  for (const id of ids) if (!known.has(id)) problems.add(s(ctx, 'cite_ids'), s(ctx, 'not_source', { id: String(id) }));
  const url = text(body, 'source_url');
  if (url !== null && !WEB_ADDRESS.safeParse(url).success) problems.add(s(ctx, 'new_url'), s(ctx, 'not_url', { value: url }));
  if (ids.length === 0 && url === null) problems.add(s(ctx, 'attach'), s(ctx, 'nothing'));
  const level = levelValue(ctx, body, problems);
  checkReason(ctx, body, problems);
  if (problems.list.length > 0) return personSourcesPage(input, { problems: problems.list });
  await setCitations(store, target, { sourceIds: [...cited, ...ids], urls: url ? [url] : [], level }, editContext(input));
  return { redirect: adminLink(ctx, `/admin/persons/${person.id}/sources`, { done: 'saved' }) };
}

export const sourceRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/sources', handler: listPage },
  { method: 'GET', path: '/admin/sources/new', handler: newSourcePage },
  { method: 'POST', path: '/admin/sources/new', handler: submitNewSource },
  { method: 'GET', path: '/admin/sources/upload', handler: uploadPage },
  { method: 'POST', path: '/admin/sources/upload', handler: submitUpload },
  { method: 'GET', path: '/admin/sources/:id', handler: sourcePageHandler },
  { method: 'GET', path: '/admin/sources/:id/edit', handler: editSourcePage },
  { method: 'POST', path: '/admin/sources/:id/edit', handler: submitSourceEdit },
  { method: 'GET', path: '/admin/persons/:id/sources', handler: (input) => personSourcesPage(input) },
  { method: 'POST', path: '/admin/persons/:id/sources', handler: submitPersonSources },
];
