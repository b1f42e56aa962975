/**
 * Reconciling a published list with the registry for one release deal: paste the list (or upload it
 * as a text file), see each line with its best match, how sure the match is, and a flag on every line
 * that needs a person to decide; confirm line by line who is meant (the proposed person, another
 * candidate, or nobody) and what became of them, then record everything in one transaction citing the
 * deal. Nothing is guessed: a line without a confident match starts at "nobody". The confirm form
 * carries the list and the choices itself, so the server keeps no state between the two steps.
 */
import type { FastifyRequest } from 'fastify';
import { can } from '../../../domain/policy.js';
import { isValidPartialDate } from '../../../domain/partial-date.js';
import { isCountryCode } from '../../../domain/event-types.js';
import { errors, isVigilError, VigilError } from '../../../errors.js';
import type { Store } from '../../../store/connection.js';
import { findDeal, type DealRecord } from '../../../features/releases/deal.service.js';
import { presentDeals } from '../../../features/releases/deal.presenter.js';
import { listLines, reconcileLines, type ReconcileEntry } from '../../../features/releases/reconcile.service.js';
import { LINE_OUTCOMES, recordConfirmedOutcomes, type Confirmation, type LineOutcome } from '../../../features/releases/record-outcomes.service.js';
import { auditRestrictedRead } from '../../api/audit-reads.js';
import { html, type Html } from '../../site/html.js';
import { countryName, formatDate, messages, say, type Params } from '../../site/i18n.js';
import { adminLink, csrfField, field, formErrors, select, t, textarea, type AdminContext, type AdminPage } from '../admin-layout.js';
import { one, readUploadForm, type AdminInput, type AdminResult, type AdminRoute, type FormBody } from '../admin.js';

const text = messages('admin-reconcile', {
  en: {
    title: 'Reconcile a list: {deal}', intro: 'Paste a published list (a pardon or release list), one name a line, in any spelling; numbering and birth years such as “(1985)” are understood. Each line is matched against the registry; nothing is recorded until you confirm.',
    list: 'The list, one name a line', file: 'Or a text file (UTF-8, one name a line)', file_hint: 'at most 1 MB; used instead of the box above', match: 'Match against the registry',
    deal: 'Deal', date: 'Date', facilitator: 'Facilitator', destinations: 'Destinations', back: 'Back to the deal',
    results: 'Matches', results_intro: 'Check every line. A line is recorded only for the person you choose; “nobody” records nothing for it.',
    summary: '{matched} matched, {uncertain} to decide, {unmatched} without a match', line: 'Line {n}',
    matched: 'match', uncertain: 'uncertain — please decide', unmatched: 'no match in the registry', empty: 'empty line', same_as: 'names the same person as line {n}',
    confidence: 'confidence {score} %', born: 'born {date}', open: 'open', nobody: 'Nobody (not in the registry, or not sure)', proposed: 'proposed',
    outcome: 'What became of the person', outcome_all: 'What became of the people on this list', as_above: 'as for the whole list', country: 'Country (for an expulsion)',
    country_hint: 'two letters, e.g. LT, UA, PL', released: 'released', expelled: 'released and expelled (forced to leave the country)', asked_not_released: 'asked for, but not released', refused_expulsion: 'refused expulsion (taken back to prison)',
    when: 'Date of the release', when_hint: 'YYYY, YYYY-MM or YYYY-MM-DD; empty: the deal’s date', reason: 'Where the list comes from (a source or an explanation)',
    record: 'Record for all confirmed lines', one_transaction: 'Everything is recorded in one go, citing this deal, or nothing is.',
    no_lines: 'list: paste at least one name, or choose a file', too_many: 'list: {n} lines is more than {max}; split the list', not_text: 'file: the file is not UTF-8 text; save it as UTF-8 and try again',
    file_too_large: 'file: the file is larger than 1 MB; a list of names is far smaller — is it the right file?', none_confirmed: 'No line is confirmed: choose a person for at least one line',
    need_reason: 'Where the list comes from: say where the list comes from (a source or an explanation)', bad_date: 'Date of the release: "{date}" is not YYYY, YYYY-MM or YYYY-MM-DD',
    bad_outcome: 'Line {n}: unknown outcome "{value}"', bad_country: 'Line {n}: country "{value}" is not a two-letter ISO code such as LT',
  },
  be: {
    title: 'Зверыць спіс: {deal}', intro: 'Устаўце апублікаваны спіс (памілаванне, вызваленне), адно імя ў радку, у любым напісанні; нумарацыя і гады нараджэння, як «(1985)», разумеюцца. Кожны радок параўноўваецца з рэестрам; нічога не запісваецца, пакуль вы не пацвердзіце.',
    list: 'Спіс, адно імя ў радку', file: 'Або тэкставы файл (UTF-8, адно імя ў радку)', file_hint: 'не больш за 1 МБ; замест поля вышэй', match: 'Зверыць з рэестрам',
    deal: 'Пагадненне', date: 'Дата', facilitator: 'Пасярэднік', destinations: 'Краіны', back: 'Назад да пагаднення',
    results: 'Супадзенні', results_intro: 'Праверце кожны радок. Радок запісваецца толькі для выбранага вамі чалавека; «ніхто» нічога не запісвае.',
    summary: 'супала: {matched}, вырашыць: {uncertain}, без супадзення: {unmatched}', line: 'Радок {n}',
    matched: 'супадзенне', uncertain: 'няпэўна — вырашыце', unmatched: 'няма ў рэестры', empty: 'пусты радок', same_as: 'той самы чалавек, што ў радку {n}',
    confidence: 'упэўненасць {score} %', born: 'нар. {date}', open: 'адкрыць', nobody: 'Ніхто (няма ў рэестры або не ўпэўнены)', proposed: 'прапанова',
    outcome: 'Што стала з чалавекам', outcome_all: 'Што стала з людзьмі з гэтага спіса', as_above: 'як для ўсяго спіса', country: 'Краіна (калі высланы)',
    country_hint: 'дзве літары, напр. LT, UA, PL', released: 'вызвалены', expelled: 'вызвалены і высланы (прымусова вывезены з краіны)', asked_not_released: 'прасілі, але не вызвалілі', refused_expulsion: 'адмовіўся ад высылкі (вернуты ў турму)',
    when: 'Дата вызвалення', when_hint: 'ГГГГ, ГГГГ-ММ або ГГГГ-ММ-ДД; пуста: дата пагаднення', reason: 'Адкуль спіс (крыніца або тлумачэнне)',
    record: 'Запісаць усе пацверджаныя радкі', one_transaction: 'Усё запісваецца разам са спасылкай на гэтае пагадненне, або нічога.',
    no_lines: 'спіс: устаўце хаця б адно імя або выберыце файл', too_many: 'спіс: {n} радкоў — больш за {max}; падзяліце спіс', not_text: 'файл: гэта не тэкст UTF-8; захавайце яго як UTF-8 і паспрабуйце зноў',
    file_too_large: 'файл: большы за 1 МБ; спіс імёнаў значна меншы — гэта той файл?', none_confirmed: 'Ніводны радок не пацверджаны: выберыце чалавека хаця б для аднаго радка',
    need_reason: 'Адкуль спіс: напішыце, адкуль спіс (крыніца або тлумачэнне)', bad_date: 'Дата вызвалення: «{date}» — не ГГГГ, ГГГГ-ММ або ГГГГ-ММ-ДД',
    bad_outcome: 'Радок {n}: невядомы вынік «{value}»', bad_country: 'Радок {n}: краіна «{value}» — не двухлітарны код ISO, як LT',
  },
  ru: {
    title: 'Сверить список: {deal}', intro: 'Вставьте опубликованный список (помилование, освобождение), одно имя в строке, в любом написании; нумерация и годы рождения, как «(1985)», понимаются. Каждая строка сравнивается с реестром; ничего не записывается, пока вы не подтвердите.',
    list: 'Список, одно имя в строке', file: 'Или текстовый файл (UTF-8, одно имя в строке)', file_hint: 'не больше 1 МБ; вместо поля выше', match: 'Сверить с реестром',
    deal: 'Соглашение', date: 'Дата', facilitator: 'Посредник', destinations: 'Страны', back: 'Назад к соглашению',
    results: 'Совпадения', results_intro: 'Проверьте каждую строку. Строка записывается только для выбранного вами человека; «никто» ничего не записывает.',
    summary: 'совпало: {matched}, решить: {uncertain}, без совпадения: {unmatched}', line: 'Строка {n}',
    matched: 'совпадение', uncertain: 'неуверенно — решите', unmatched: 'нет в реестре', empty: 'пустая строка', same_as: 'тот же человек, что в строке {n}',
    confidence: 'уверенность {score} %', born: 'род. {date}', open: 'открыть', nobody: 'Никто (нет в реестре или не уверены)', proposed: 'предложение',
    outcome: 'Что стало с человеком', outcome_all: 'Что стало с людьми из этого списка', as_above: 'как для всего списка', country: 'Страна (если выслан)',
    country_hint: 'две буквы, напр. LT, UA, PL', released: 'освобождён', expelled: 'освобождён и выслан (принудительно вывезен из страны)', asked_not_released: 'просили, но не освободили', refused_expulsion: 'отказался от высылки (возвращён в тюрьму)',
    when: 'Дата освобождения', when_hint: 'ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД; пусто: дата соглашения', reason: 'Откуда список (источник или объяснение)',
    record: 'Записать все подтверждённые строки', one_transaction: 'Всё записывается вместе со ссылкой на это соглашение, или ничего.',
    no_lines: 'список: вставьте хотя бы одно имя или выберите файл', too_many: 'список: {n} строк — больше {max}; разделите список', not_text: 'файл: это не текст UTF-8; сохраните его как UTF-8 и попробуйте снова',
    file_too_large: 'файл: больше 1 МБ; список имён гораздо меньше — это тот файл?', none_confirmed: 'Ни одна строка не подтверждена: выберите человека хотя бы для одной строки',
    need_reason: 'Откуда список: напишите, откуда список (источник или объяснение)', bad_date: 'Дата освобождения: «{date}» — не ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД',
    bad_outcome: 'Строка {n}: неизвестный исход «{value}»', bad_country: 'Строка {n}: страна «{value}» — не двухбуквенный код ISO, как LT',
  },
});

type Key = keyof typeof text.texts.en;
const m = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, text, key, params);

const MAX_LINES = 2000;
const FILE_LIMIT = 1024 * 1024;

function ensureMayRecord(ctx: AdminContext): void {
  if (!can(ctx.member, 'write')) throw new VigilError('forbidden', `your role (${ctx.member.role}) may not record releases`, 403);
}

async function dealOf(input: AdminInput): Promise<DealRecord> {
  const id = input.params.id ?? '';
  if (!/^\d{1,12}$/.test(id)) throw errors.notFound(`deal ${id}`);
  const deal = await findDeal(input.store, Number(id));
  const [shown] = await presentDeals(input.store.db, input.ctx.member, [deal]);
  if (!shown?.view) throw errors.notFound(`deal ${id}`);
  await auditRestrictedRead(input.store, input.request, 'deal', [{ id: deal.id, fields: shown.restricted }]);
  return deal;
}

const reconcilePath = (deal: DealRecord) => `/admin/deals/${deal.id}/reconcile`;

function dealFacts(ctx: AdminContext, deal: DealRecord): Html {
  return html`<dl class="facts"><dt>${m(ctx, 'deal')}</dt><dd><a href="${adminLink(ctx, `/admin/deals/${deal.id}`)}">${deal.slug}</a></dd>
<dt>${m(ctx, 'date')}</dt><dd>${formatDate(ctx.lang, deal.date)}</dd>
${deal.facilitator ? html`<dt>${m(ctx, 'facilitator')}</dt><dd>${deal.facilitator}</dd>` : ''}
${deal.destinations.length > 0 ? html`<dt>${m(ctx, 'destinations')}</dt><dd>${deal.destinations.map((code) => `${countryName(ctx.lang, code)} (${code})`).join(', ')}</dd>` : ''}</dl>`;
}

// ------------------------------------------------------------------ step 1: the list

function listPage(ctx: AdminContext, deal: DealRecord, options: { list?: string; problems?: string[]; status?: number } = {}): AdminPage {
  const title = m(ctx, 'title', { deal: deal.slug });
  return {
    status: options.status ?? 200,
    title,
    main: html`<h1>${title}</h1>${dealFacts(ctx, deal)}
<p>${m(ctx, 'intro')}</p>
${formErrors(ctx, options.problems ?? [])}
<form method="post" action="${adminLink(ctx, reconcilePath(deal))}" enctype="multipart/form-data" class="record">
${csrfField(ctx)}
${textarea({ name: 'list', label: m(ctx, 'list'), value: options.list ?? '', rows: 12 })}
<div class="field"><label for="f-file">${m(ctx, 'file')}</label><span class="hint" id="f-file-hint">${m(ctx, 'file_hint')}</span><input id="f-file" name="file" type="file" accept=".txt,text/plain" aria-describedby="f-file-hint"></div>
<div class="actions"><button type="submit">${m(ctx, 'match')}</button><a href="${adminLink(ctx, `/admin/deals/${deal.id}`)}">${m(ctx, 'back')}</a></div>
</form>`,
  };
}

async function listForm(input: AdminInput): Promise<AdminResult> {
  ensureMayRecord(input.ctx);
  return listPage(input.ctx, await dealOf(input));
}

/** The list as sent: a file if one was chosen, else the box. Multipart forms are checked for their CSRF field before the file is read. */
async function sentList(request: FastifyRequest, body: FormBody, ctx: AdminContext): Promise<{ list: string; problem: string | null }> {
  if (!(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) return { list: one(body, 'list'), problem: null };
  let tooLarge = false;
  const { fields, file } = await readUploadForm(request, { fileSize: FILE_LIMIT }, async (part) => {
    try {
      return await part.toBuffer();
    } catch (error) {
      if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
      tooLarge = true;
      return null;
    }
  });
  if (tooLarge) return { list: fields.list ?? '', problem: m(ctx, 'file_too_large') };
  if (!file || file.length === 0) return { list: fields.list ?? '', problem: null };
  try {
    return { list: new TextDecoder('utf-8', { fatal: true }).decode(file), problem: null };
  } catch {
    return { list: fields.list ?? '', problem: m(ctx, 'not_text') };
  }
}

async function match(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request, body } = input;
  ensureMayRecord(ctx);
  const deal = await dealOf(input);
  const { list, problem } = await sentList(request, body, ctx);
  if (problem) return listPage(ctx, deal, { list, problems: [problem], status: 400 });
  const lines = listLines(list);
  if (!lines.some((line) => line.trim() !== '')) return listPage(ctx, deal, { list, problems: [m(ctx, 'no_lines')], status: 400 });
  if (lines.length > MAX_LINES) return listPage(ctx, deal, { list, problems: [m(ctx, 'too_many', { n: lines.length, max: MAX_LINES })], status: 400 });
  return confirmPage(ctx, deal, await reconcileLines(store, lines), defaultChoices(deal));
}

// ------------------------------------------------------------------ step 2: confirming line by line

/** What the documenter chose, line by line (by line number), and for the whole list. */
interface Choices {
  person: Map<number, string>;
  outcome: Map<number, string>;
  country: Map<number, string>;
  outcomeAll: string;
  countryAll: string;
  date: string;
  reason: string;
}

/** A deal that forced people out of the country starts each line at "expelled" to its (first) destination. */
function defaultChoices(deal: DealRecord): Choices {
  const expelled = deal.conditions.includes('forced_expulsion');
  return { person: new Map(), outcome: new Map(), country: new Map(), outcomeAll: expelled ? 'expelled' : 'released', countryAll: deal.destinations[0] ?? '', date: '', reason: '' };
}

/** Never a guess: only a confident match that no earlier line took starts chosen. */
function proposedPerson(entry: ReconcileEntry): string {
  return entry.status === 'matched' && entry.same_person_as_line === null && entry.external_id ? entry.external_id : '';
}

function flag(ctx: AdminContext, entry: ReconcileEntry): Html {
  if (entry.same_person_as_line !== null) return html`<span class="flag uncertain">${m(ctx, 'same_as', { n: entry.same_person_as_line })}</span>`;
  return html`<span class="flag ${entry.status}">${m(ctx, entry.status)}</span>`;
}

function outcomeChoices(ctx: AdminContext, withAbove: boolean): (readonly [string, string])[] {
  return [...(withAbove ? [['', m(ctx, 'as_above')] as const] : []), ...LINE_OUTCOMES.map((outcome) => [outcome, m(ctx, outcome)] as const)];
}

function lineBlock(ctx: AdminContext, entry: ReconcileEntry, choices: Choices): Html {
  const n = entry.line;
  const hidden = html`<input type="hidden" name="text_${n}" value="${entry.text}">`;
  if (entry.status === 'empty') return html`${hidden}<p class="muted line-empty">${m(ctx, 'line', { n })}: ${m(ctx, 'empty')}</p>`;
  const chosen = choices.person.get(n) ?? proposedPerson(entry);
  const radio = (value: string, label: Html | string) => {
    const id = `p${n}-${value || 'none'}`;
    const open = value ? html` <a href="${adminLink(ctx, `/admin/persons/${encodeURIComponent(value)}`)}" target="_blank" rel="noopener">${m(ctx, 'open')}</a>` : '';
    return html`<div class="check"><input type="radio" name="person_${n}" value="${value}" id="${id}"${value === chosen ? html` checked` : ''}> <label for="${id}">${label}</label>${open}</div>`;
  };
  return html`<fieldset class="line ${entry.status}"><legend>${m(ctx, 'line', { n })}: <q>${entry.text}</q> ${flag(ctx, entry)}</legend>
${hidden}${entry.reason ? html`<p class="muted">${entry.reason}</p>` : ''}
${entry.candidates.map((candidate) => radio(candidate.external_id, html`${candidate.name} (${candidate.external_id})${candidate.birth_date ? html`, ${m(ctx, 'born', { date: formatDate(ctx.lang, candidate.birth_date) })}` : ''} — ${m(ctx, 'confidence', { score: Math.round(candidate.score * 100) })}${candidate.external_id === proposedPerson(entry) ? html` <strong>${m(ctx, 'proposed')}</strong>` : ''}`))}
${radio('', m(ctx, 'nobody'))}
<div class="grid">
${select({ name: `outcome_${n}`, id: `f-outcome-${n}`, label: m(ctx, 'outcome'), value: choices.outcome.get(n) ?? '', choices: outcomeChoices(ctx, true) })}
${field({ name: `country_${n}`, id: `f-country-${n}`, label: m(ctx, 'country'), value: choices.country.get(n) ?? '', attrs: html` maxlength="2" autocomplete="off"` })}
</div></fieldset>`;
}

function confirmPage(ctx: AdminContext, deal: DealRecord, entries: readonly ReconcileEntry[], choices: Choices, problems: string[] = []): AdminPage {
  const title = m(ctx, 'title', { deal: deal.slug });
  const count = (status: ReconcileEntry['status']) => entries.filter((entry) => entry.status === status).length;
  return {
    status: problems.length > 0 ? 400 : 200,
    title,
    main: html`<h1>${title}</h1>${dealFacts(ctx, deal)}
<h2>${m(ctx, 'results')}</h2>
<p>${m(ctx, 'summary', { matched: count('matched'), uncertain: count('uncertain'), unmatched: count('unmatched') })}</p>
<p>${m(ctx, 'results_intro')}</p>
${formErrors(ctx, problems)}
<form method="post" action="${adminLink(ctx, `${reconcilePath(deal)}/record`)}" class="record reconcile">
${csrfField(ctx)}<input type="hidden" name="count" value="${entries.length}">
<fieldset><legend>${m(ctx, 'outcome_all')}</legend><div class="grid">
${select({ name: 'outcome_all', label: m(ctx, 'outcome'), value: choices.outcomeAll, choices: outcomeChoices(ctx, false) })}
${field({ name: 'country_all', label: m(ctx, 'country'), value: choices.countryAll, hint: m(ctx, 'country_hint'), attrs: html` maxlength="2" autocomplete="off"` })}
${field({ name: 'date', label: m(ctx, 'when'), value: choices.date, hint: m(ctx, 'when_hint') })}
</div></fieldset>
${entries.map((entry) => lineBlock(ctx, entry, choices))}
${field({ name: 'reason', label: m(ctx, 'reason'), value: choices.reason, required: true })}
<p>${m(ctx, 'one_transaction')}</p>
<div class="actions"><button type="submit">${m(ctx, 'record')}</button><a href="${adminLink(ctx, reconcilePath(deal))}">${t(ctx, 'cancel')}</a></div>
</form>`,
  };
}

function choicesFrom(body: FormBody, count: number): Choices {
  const choices: Choices = {
    person: new Map(), outcome: new Map(), country: new Map(), outcomeAll: one(body, 'outcome_all'),
    countryAll: one(body, 'country_all').trim().toUpperCase(), date: one(body, 'date').trim(), reason: one(body, 'reason').trim(),
  };
  for (let n = 1; n <= count; n++) {
    choices.person.set(n, one(body, `person_${n}`).trim());
    choices.outcome.set(n, one(body, `outcome_${n}`));
    choices.country.set(n, one(body, `country_${n}`).trim().toUpperCase());
  }
  return choices;
}

const isOutcome = (value: string): value is LineOutcome => (LINE_OUTCOMES as readonly string[]).includes(value);

/** The confirmed lines (a person chosen) with their outcome and country, or the problems that stop them. */
function confirmationsOf(ctx: AdminContext, choices: Choices, count: number): { confirmations: Confirmation[]; problems: string[] } {
  const problems: string[] = [];
  const confirmations: Confirmation[] = [];
  if (!isOutcome(choices.outcomeAll)) problems.push(m(ctx, 'bad_outcome', { n: '—', value: choices.outcomeAll }));
  for (let n = 1; n <= count; n++) {
    const person = choices.person.get(n) ?? '';
    if (person === '') continue;
    const outcome = choices.outcome.get(n) || choices.outcomeAll;
    const country = choices.country.get(n) || choices.countryAll;
    if (!isOutcome(outcome)) {
      problems.push(m(ctx, 'bad_outcome', { n, value: outcome }));
      continue;
    }
    if (outcome === 'expelled' && country && !isCountryCode(country)) problems.push(m(ctx, 'bad_country', { n, value: country }));
    confirmations.push({ line: n, person, outcome, ...(outcome === 'expelled' && country ? { country } : {}) });
  }
  if (confirmations.length === 0 && problems.length === 0) problems.push(m(ctx, 'none_confirmed'));
  if (!choices.reason) problems.push(m(ctx, 'need_reason'));
  if (choices.date && !isValidPartialDate(choices.date)) problems.push(m(ctx, 'bad_date', { date: choices.date }));
  return { confirmations, problems };
}

async function record(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body, request } = input;
  ensureMayRecord(ctx);
  const deal = await dealOf(input);
  const count = Math.min(MAX_LINES, Math.max(0, Math.trunc(Number(one(body, 'count'))) || 0));
  const lines = Array.from({ length: count }, (_, i) => one(body, `text_${i + 1}`));
  const choices = choicesFrom(body, count);
  const { confirmations, problems } = confirmationsOf(ctx, choices, count);
  const again = async (found: string[]) => confirmPage(ctx, deal, await reconcileLines(store, lines), choices, found);
  if (problems.length > 0) return again(problems);
  try {
    await recordConfirmedOutcomes(store, deal.slug, confirmations, { as: 'released', date: choices.date || undefined }, { actor: ctx.member.email, reason: choices.reason, ip: request.ip });
  } catch (error) {
    if (isVigilError(error) && (error.status === 400 || error.status === 409)) return again([error.message]);
    throw error;
  }
  return { redirect: adminLink(ctx, `/admin/deals/${deal.id}`, { done: 'recorded' }) };
}

export const reconcileRoutes: AdminRoute[] = [
  { method: 'GET', path: '/admin/deals/:id/reconcile', handler: listForm },
  { method: 'POST', path: '/admin/deals/:id/reconcile', handler: match },
  { method: 'POST', path: '/admin/deals/:id/reconcile/record', handler: record },
];
