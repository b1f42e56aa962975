/**
 * Release deals in the workspace: list, read (date, facilitating government and envoy, destinations,
 * conditions, the people named by outcome, the sanctions eased or lifted in return), and create and
 * correct the deal's own fields (version-checked). The people named and the concessions are kept as
 * they are by these forms (they are set by the reconciliation screen and the API); people the member
 * may not see are never listed.
 */
import { isCountryCode } from '../../../domain/event-types.js';
import { CONCESSION_ACTIONS, DEAL_CONDITIONS, DEAL_OUTCOMES, type DealCondition } from '../../../domain/release-deal.js';
import { errors, isVigilError } from '../../../errors.js';
import { personsByIds, type PersonRecord } from '../../../store/person.repository.js';
import { presentPerson } from '../../../features/persons/person.presenter.js';
import { createDeal, dealPage, editDeal, findDeal, type DealRecord } from '../../../features/releases/deal.service.js';
import { presentDeals, type DealView } from '../../../features/releases/deal.presenter.js';
import { findSanction, type SanctionRecord } from '../../../features/releases/sanction.service.js';
import { displayName } from '../../../features/search/search.service.js';
import { auditRestrictedRead } from '../../api/audit-reads.js';
import { DealCreate } from '../../api/schemas.js';
import { html, type Child } from '../../site/html.js';
import { countryName, formatDate, messages, say, type Params } from '../../site/i18n.js';
import { adminLink, csrfField, field, textarea, type AdminContext } from '../admin-layout.js';
import { all, one, type AdminInput, type AdminResult, type AdminRoute, type FormBody } from '../admin.js';
import { COMMON_COUNTRIES } from './events.page.js';
import { levelBadge } from './persons.page.js';
import {
  afterParam, checkReason, historyLink, editContext, ensureMayWrite, formPage, idParam, levelSelect, levelValue, mayWrite, pagerLink, partialDateValue, Problems, r,
  reasonInput, saveOrAgain, sentVersion, text, versionInput, versionLine,
} from './record-pages.js';

export const dealText = messages('admin-deals', {
  en: {
    deals: 'Release deals', new_deal: 'Add a release deal', edit_title: 'Correct the deal: {slug}', slug: 'Short name', slug_hint: 'lower-case words joined by hyphens, e.g. 2025-09-vilnius',
    date: 'Date', facilitator: 'Facilitating government', envoy: 'Envoy', counterpart: 'Counterpart', destinations: 'Countries people were taken to',
    other_destinations: 'Other countries: two-letter codes', destinations_hint: 'ISO 3166 codes separated by spaces, e.g. AT FR', conditions: 'Conditions', summary: 'Summary',
    people: 'People named in the deal', no_people: 'Nobody named yet (the reconciliation screen or the API sets them).', concessions: 'Given in return', no_concessions: 'No concessions recorded.',
    released: 'released', asked_not_released: 'asked for, not released', refused_expulsion: 'refused expulsion, taken back to prison',
    forced_expulsion: 'forced expulsion', passport_withheld: 'passport withheld', family_reunion_delayed: 'family reunion delayed', pardon_petition_required: 'pardon petition required', other: 'other',
    eased: 'eased', lifted: 'lifted', none: 'No deals recorded.', from: 'From', to: 'To', filter: 'Filter', people_count: 'People', reconcile: 'Match a published list of names', kept: 'The people named and the concessions are not changed by this form.',
    not_country: '"{value}" is not an ISO 3166 two-letter country code', not_condition: '"{value}" is not a condition', slug_required: 'a deal needs its short name', date_required: 'a deal needs its date',
  },
  be: {
    deals: 'Пагадненні пра вызваленне', new_deal: 'Дадаць пагадненне', edit_title: 'Выправіць пагадненне: {slug}', slug: 'Кароткая назва', slug_hint: 'малыя лацінскія словы праз злучок, напр. 2025-09-vilnius',
    date: 'Дата', facilitator: 'Урад-пасярэднік', envoy: 'Пасланнік', counterpart: 'Другі бок', destinations: 'Краіны, куды вывезлі людзей',
    other_destinations: 'Іншыя краіны: двухлітарныя коды', destinations_hint: 'коды ISO 3166 праз прабел, напр. AT FR', conditions: 'Умовы', summary: 'Сутнасць',
    people: 'Людзі ў пагадненні', no_people: 'Яшчэ нікога (іх дадае экран зверкі або API).', concessions: 'Узамен', no_concessions: 'Саступак не запісана.',
    released: 'вызвалены(-ая)', asked_not_released: 'прасілі, не вызвалены(-ая)', refused_expulsion: 'адмовіўся(-лася) ад высылкі, вернуты(-ая) ў турму',
    forced_expulsion: 'прымусовая высылка', passport_withheld: 'пашпарт не аддалі', family_reunion_delayed: 'уз’яднанне з сям’ёй адкладзенае', pardon_petition_required: 'патрабавалася прашэнне пра памілаванне', other: 'іншае',
    eased: 'паслаблена', lifted: 'знята', none: 'Пагадненняў няма.', from: 'З', to: 'Па', filter: 'Адабраць', people_count: 'Людзі', reconcile: 'Зверыць з апублікаваным спісам імёнаў', kept: 'Людзей і саступкі гэтая форма не мяняе.',
    not_country: '«{value}» — не двухлітарны код краіны ISO 3166', not_condition: '«{value}» — не ўмова', slug_required: 'пагадненню патрэбна кароткая назва', date_required: 'пагадненню патрэбна дата',
  },
  ru: {
    deals: 'Соглашения об освобождении', new_deal: 'Добавить соглашение', edit_title: 'Исправить соглашение: {slug}', slug: 'Краткое название', slug_hint: 'строчные латинские слова через дефис, напр. 2025-09-vilnius',
    date: 'Дата', facilitator: 'Правительство-посредник', envoy: 'Посланник', counterpart: 'Другая сторона', destinations: 'Страны, куда вывезли людей',
    other_destinations: 'Другие страны: двухбуквенные коды', destinations_hint: 'коды ISO 3166 через пробел, напр. AT FR', conditions: 'Условия', summary: 'Суть',
    people: 'Люди в соглашении', no_people: 'Пока никого (их добавляет экран сверки или API).', concessions: 'Взамен', no_concessions: 'Уступок не записано.',
    released: 'освобождён(-а)', asked_not_released: 'просили, не освобождён(-а)', refused_expulsion: 'отказался(-ась) от высылки, возвращён(-а) в тюрьму',
    forced_expulsion: 'принудительная высылка', passport_withheld: 'паспорт не отдали', family_reunion_delayed: 'воссоединение с семьёй отложено', pardon_petition_required: 'требовалось прошение о помиловании', other: 'другое',
    eased: 'ослаблено', lifted: 'снято', none: 'Соглашений нет.', from: 'С', to: 'По', filter: 'Отобрать', people_count: 'Люди', reconcile: 'Сверить с опубликованным списком имён', kept: 'Людей и уступки эта форма не меняет.',
    not_country: '«{value}» — не двухбуквенный код страны ISO 3166', not_condition: '«{value}» — не условие', slug_required: 'соглашению нужно краткое название', date_required: 'соглашению нужна дата',
  },
});

type Key = keyof typeof dealText.texts.en;
const d = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, dealText, key, params);

const PAGE = 50;

function personName(ctx: AdminContext, person: PersonRecord): string {
  const view = presentPerson(ctx.member, person).view;
  return view && view.names.length > 0 ? displayName(view.names) : person.external_id;
}

const countries = (ctx: AdminContext, codes: readonly string[]) => codes.map((code) => `${countryName(ctx.lang, code)} (${code})`).join(', ');

async function visibleDeal(input: AdminInput): Promise<{ deal: DealRecord; view: DealView<DealRecord>; restricted: string[] }> {
  const id = idParam(input, 'deal');
  const deal = await findDeal(input.store, id);
  const [shown] = await presentDeals(input.store.db, input.ctx.member, [deal]);
  if (!shown?.view) throw errors.notFound(`deal ${id}`);
  return { deal, view: shown.view, restricted: shown.restricted };
}

// ------------------------------------------------------------------ list and read

async function listPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const filter = { from: ctx.query.from?.trim() || undefined, to: ctx.query.to?.trim() || undefined, facilitator: ctx.query.facilitator?.trim() || undefined };
  const deals = await dealPage(store, { after: afterParam(ctx), limit: PAGE }, filter);
  const presented = await presentDeals(store.db, ctx.member, deals);
  await auditRestrictedRead(store, request, 'deal', presented.map((shown, i) => ({ id: deals[i]!.id, fields: shown.restricted })));
  const shown = presented.flatMap((one) => (one.view ? [one.view] : []));
  return {
    title: d(ctx, 'deals'),
    main: html`<h1>${d(ctx, 'deals')}</h1>
${mayWrite(ctx) ? html`<p><a class="button" href="${adminLink(ctx, '/admin/deals/new')}">${d(ctx, 'new_deal')}</a></p>` : ''}
<form method="get" action="/admin/deals" class="filters">
<input type="hidden" name="lang" value="${ctx.lang}">
${field({ name: 'from', label: d(ctx, 'from'), value: filter.from ?? '' })}
${field({ name: 'to', label: d(ctx, 'to'), value: filter.to ?? '' })}
${field({ name: 'facilitator', label: d(ctx, 'facilitator'), value: filter.facilitator ?? '' })}
<div><button type="submit">${d(ctx, 'filter')}</button></div>
</form>
${shown.length === 0 ? html`<p>${d(ctx, 'none')}</p>` : html`<div class="table-wrap"><table><thead><tr><th>${d(ctx, 'date')}</th><th>${d(ctx, 'slug')}</th><th>${d(ctx, 'facilitator')}</th><th>${d(ctx, 'destinations')}</th><th>${d(ctx, 'people_count')}</th><th>${r(ctx, 'level')}</th></tr></thead><tbody>
${shown.map((deal) => html`<tr><td>${formatDate(ctx.lang, deal.date)}</td><td><a href="${adminLink(ctx, `/admin/deals/${deal.id}`)}">${deal.slug}</a></td><td>${deal.facilitator ?? ''}</td>
<td>${countries(ctx, deal.destinations)}</td><td>${deal.people.length}</td><td>${levelBadge(ctx, deal.confidentiality)}</td></tr>`)}
</tbody></table></div>`}
${pagerLink(ctx, '/admin/deals', deals.length === PAGE ? deals.at(-1)!.id : null, { from: filter.from ?? '', to: filter.to ?? '', facilitator: filter.facilitator ?? '' })}`,
  };
}

async function peopleBlock(input: AdminInput, view: DealView<DealRecord>): Promise<Child> {
  const { ctx, store } = input;
  if (view.people.length === 0) return html`<p>${d(ctx, 'no_people')}</p>`;
  const people = new Map((await personsByIds(store.db, view.people.map((one) => one.person_id))).map((person) => [person.id, person]));
  return DEAL_OUTCOMES.map((outcome) => {
    const named = view.people.filter((one) => one.outcome === outcome);
    if (named.length === 0) return null;
    return html`<h3>${d(ctx, outcome)} (${named.length})</h3><ul>${named.map((one) => {
      const person = people.get(one.person_id);
      return html`<li><a href="${adminLink(ctx, `/admin/persons/${one.person_id}`)}">${person ? personName(ctx, person) : one.person}</a> <span class="muted">${one.person}</span>${one.note ? html` — ${one.note}` : ''}</li>`;
    })}</ul>`;
  });
}

async function concessionsBlock(input: AdminInput, view: DealView<DealRecord>): Promise<Child> {
  const { ctx, store } = input;
  if (view.concessions.length === 0) return html`<p>${d(ctx, 'no_concessions')}</p>`;
  const measures = new Map<number, SanctionRecord>();
  for (const concession of view.concessions) {
    try {
      measures.set(concession.measure_id, await findSanction(store, concession.measure_id));
    } catch (error) {
      if (!isVigilError(error) || error.status !== 404) throw error;
    }
  }
  return html`<ul>${view.concessions.map((concession) => {
    const measure = measures.get(concession.measure_id);
    const action = (CONCESSION_ACTIONS as readonly string[]).includes(concession.action) ? d(ctx, concession.action as 'eased') : concession.action;
    return html`<li>${measure ? `${measure.issuer} — ${measure.target}` : `#${concession.measure_id}`}: ${action}</li>`;
  })}</ul>`;
}

function dealFacts(ctx: AdminContext, view: DealView<DealRecord>): Child {
  const row = (title: string, value: Child) => (value === null || value === '' ? '' : html`<dt>${title}</dt><dd>${value}</dd>`);
  return html`<dl class="facts">
${row(d(ctx, 'date'), html`${formatDate(ctx.lang, view.date)} <span class="muted">(${view.date})</span>`)}
${row(d(ctx, 'facilitator'), view.facilitator)}
${row(d(ctx, 'envoy'), view.envoy)}
${row(d(ctx, 'counterpart'), view.counterpart)}
${row(d(ctx, 'destinations'), countries(ctx, view.destinations))}
${row(d(ctx, 'conditions'), view.conditions.map((code) => ((DEAL_CONDITIONS as readonly string[]).includes(code) ? d(ctx, code) : code)).join('; '))}
${row(d(ctx, 'summary'), view.summary)}
${row(r(ctx, 'level'), levelBadge(ctx, view.confidentiality))}
</dl>`;
}

async function dealPageHandler(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const { deal, view, restricted } = await visibleDeal(input);
  await auditRestrictedRead(store, request, 'deal', [{ id: deal.id, fields: restricted }]);
  return {
    title: deal.slug,
    main: html`<h1>${deal.slug}</h1>
${versionLine(ctx, deal)}
<p class="actions">${mayWrite(ctx) ? html`<a class="button" href="${adminLink(ctx, `/admin/deals/${deal.id}/edit`)}">${r(ctx, 'edit')}</a> <a class="button secondary" href="${adminLink(ctx, `/admin/deals/${deal.id}/reconcile`)}">${d(ctx, 'reconcile')}</a>` : ''} ${historyLink(ctx, 'deal', deal.id)}</p>
${dealFacts(ctx, view)}
<h2>${d(ctx, 'people')}</h2>
${await peopleBlock(input, view)}
<h2>${d(ctx, 'concessions')}</h2>
${await concessionsBlock(input, view)}`,
  };
}

// ------------------------------------------------------------------ forms

type DealFields = Omit<DealRecord, 'id' | 'version' | 'created_at' | 'updated_at' | 'people' | 'concessions'>;

function valuesOf(deal: DealRecord): FormBody {
  const common = COMMON_COUNTRIES as readonly string[];
  return {
    slug: deal.slug, date: deal.date, facilitator: deal.facilitator ?? '', envoy: deal.envoy ?? '', counterpart: deal.counterpart ?? '',
    destinations: deal.destinations.filter((code) => common.includes(code)), other_destinations: deal.destinations.filter((code) => !common.includes(code)).join(' '),
    conditions: [...deal.conditions], summary: deal.summary ?? '', confidentiality: deal.confidentiality, reason: '', version: String(deal.version),
  };
}

function checkboxes(name: string, legend: string, choices: readonly (readonly [string, string])[], ticked: readonly string[]): Child {
  return html`<fieldset><legend>${legend}</legend><ul class="plain">${choices.map(([value, text]) => html`<li class="check"><input type="checkbox" id="f-${name}-${value}" name="${name}" value="${value}"${ticked.includes(value) ? html` checked` : ''}> <label for="f-${name}-${value}">${text}</label></li>`)}</ul></fieldset>`;
}

function dealFormPage(ctx: AdminContext, options: { values: FormBody; action: string; cancel: string; title: string; editing: boolean; problems?: string[]; conflict?: string }): AdminResult {
  const { values } = options;
  return formPage(ctx, {
    title: options.title, problems: options.problems, conflict: options.conflict, action: options.action, cancel: options.cancel,
    intro: options.editing ? html`<p class="muted">${d(ctx, 'kept')}</p>` : null,
    body: html`${csrfField(ctx)}${options.editing ? versionInput(values) : ''}
<div class="grid">
${field({ name: 'slug', label: d(ctx, 'slug'), value: one(values, 'slug'), required: true, hint: d(ctx, 'slug_hint'), attrs: html` autocomplete="off" spellcheck="false"` })}
${field({ name: 'date', label: d(ctx, 'date'), value: one(values, 'date'), required: true, hint: r(ctx, 'date_hint') })}
</div>
<div class="grid">
${field({ name: 'facilitator', label: d(ctx, 'facilitator'), value: one(values, 'facilitator') })}
${field({ name: 'envoy', label: d(ctx, 'envoy'), value: one(values, 'envoy') })}
${field({ name: 'counterpart', label: d(ctx, 'counterpart'), value: one(values, 'counterpart') })}
</div>
${checkboxes('destinations', d(ctx, 'destinations'), COMMON_COUNTRIES.map((code) => [code, `${countryName(ctx.lang, code)} (${code})`] as const), all(values, 'destinations'))}
${field({ name: 'other_destinations', label: d(ctx, 'other_destinations'), value: one(values, 'other_destinations'), hint: d(ctx, 'destinations_hint') })}
${checkboxes('conditions', d(ctx, 'conditions'), DEAL_CONDITIONS.map((code) => [code, d(ctx, code)] as const), all(values, 'conditions'))}
${textarea({ name: 'summary', label: d(ctx, 'summary'), value: one(values, 'summary'), rows: 5 })}
${levelSelect(ctx, values)}
${reasonInput(ctx, values)}`,
  });
}

function apiLabels(ctx: AdminContext): Record<string, string> {
  return {
    slug: d(ctx, 'slug'), date: d(ctx, 'date'), facilitator: d(ctx, 'facilitator'), envoy: d(ctx, 'envoy'), counterpart: d(ctx, 'counterpart'),
    destinations: d(ctx, 'destinations'), conditions: d(ctx, 'conditions'), summary: d(ctx, 'summary'), confidentiality: r(ctx, 'level'),
  };
}

function readDealForm(ctx: AdminContext, values: FormBody): { data: DealFields; problems: string[] } {
  const problems = new Problems();
  const slug = text(values, 'slug');
  if (slug === null) problems.add(d(ctx, 'slug'), d(ctx, 'slug_required'));
  const date = partialDateValue(ctx, values, 'date', d(ctx, 'date'), problems);
  if (date === null) problems.add(d(ctx, 'date'), d(ctx, 'date_required'));
  const typed = one(values, 'other_destinations').split(/[\s,;]+/).map((code) => code.trim().toUpperCase()).filter(Boolean);
  const destinations = [...new Set([...all(values, 'destinations'), ...typed])];
  for (const code of destinations) if (!isCountryCode(code)) problems.add(d(ctx, 'destinations'), d(ctx, 'not_country', { value: code }));
  const conditions = [...new Set(all(values, 'conditions'))];
  for (const code of conditions) if (!(DEAL_CONDITIONS as readonly string[]).includes(code)) problems.add(d(ctx, 'conditions'), d(ctx, 'not_condition', { value: code }));
  const data: DealFields = {
    slug: slug ?? '', date: date ?? '', facilitator: text(values, 'facilitator'), envoy: text(values, 'envoy'), counterpart: text(values, 'counterpart'),
    destinations, conditions: conditions as DealCondition[], summary: text(values, 'summary'), confidentiality: levelValue(ctx, values, problems),
  };
  checkReason(ctx, values, problems);
  if (problems.list.length === 0) {
    const parsed = DealCreate.safeParse({ ...data, change_reason: '' });
    if (!parsed.success) problems.addIssues(parsed.error, apiLabels(ctx));
  }
  return { data, problems: problems.list };
}

async function submitNewDeal(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const again = (extra: { problems?: string[]; conflict?: string }) =>
    dealFormPage(ctx, { values: body, action: adminLink(ctx, '/admin/deals/new'), cancel: adminLink(ctx, '/admin/deals'), title: d(ctx, 'new_deal'), editing: false, ...extra });
  const { data, problems } = readDealForm(ctx, body);
  if (problems.length > 0) return again({ problems });
  return saveOrAgain(ctx, async () => {
    const created = await createDeal(store, { ...data, people: [], concessions: [] }, editContext(input));
    return { redirect: adminLink(ctx, `/admin/deals/${created.id}`, { done: 'created' }) };
  }, again);
}

async function editDealPage(input: AdminInput): Promise<AdminResult> {
  const { ctx } = input;
  ensureMayWrite(ctx);
  const { deal } = await visibleDeal(input);
  return dealFormPage(ctx, {
    values: valuesOf(deal), action: adminLink(ctx, `/admin/deals/${deal.id}/edit`), cancel: adminLink(ctx, `/admin/deals/${deal.id}`), title: d(ctx, 'edit_title', { slug: deal.slug }), editing: true,
  });
}

async function submitDealEdit(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const { deal } = await visibleDeal(input);
  const again = (extra: { problems?: string[]; conflict?: string }) => dealFormPage(ctx, {
    values: body, action: adminLink(ctx, `/admin/deals/${deal.id}/edit`), cancel: adminLink(ctx, `/admin/deals/${deal.id}`), title: d(ctx, 'edit_title', { slug: deal.slug }), editing: true, ...extra,
  });
  const { data, problems } = readDealForm(ctx, body);
  if (problems.length > 0) return again({ problems });
  return saveOrAgain(ctx, async () => {
    // Only the deal's own fields: the people named and the concessions stay as they are.
    await editDeal(store, deal.id, sentVersion(body), data, editContext(input));
    return { redirect: adminLink(ctx, `/admin/deals/${deal.id}`, { done: 'saved' }) };
  }, again);
}

export const dealRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/deals', handler: listPage },
  {
    method: 'GET', path: '/admin/deals/new',
    handler: async ({ ctx }) => (ensureMayWrite(ctx), dealFormPage(ctx, { values: { confidentiality: 'internal' }, action: adminLink(ctx, '/admin/deals/new'), cancel: adminLink(ctx, '/admin/deals'), title: d(ctx, 'new_deal'), editing: false })),
  },
  { method: 'POST', path: '/admin/deals/new', handler: submitNewDeal },
  { method: 'GET', path: '/admin/deals/:id', handler: dealPageHandler },
  { method: 'GET', path: '/admin/deals/:id/edit', handler: editDealPage },
  { method: 'POST', path: '/admin/deals/:id/edit', handler: submitDealEdit },
];
