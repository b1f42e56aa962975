/**
 * Criminal cases in the workspace: all cases or one person's, read one, create and correct them
 * (version-checked): case number, articles, court, judge, prosecutor, verdict date, term and regime.
 * A case is shown only to members who may see both the case and its person.
 */
import { REGIMES } from '../../../domain/event-types.js';
import { errors, isVigilError } from '../../../errors.js';
import { personById, personsByIds, type PersonRecord } from '../../../store/person.repository.js';
import { casePage, createCase, editCase, findCase, type CaseData, type CaseRecord } from '../../../features/cases/case.service.js';
import { presentCases } from '../../../features/cases/case.presenter.js';
import { findPerson } from '../../../features/persons/person.service.js';
import { presentPerson } from '../../../features/persons/person.presenter.js';
import { displayName } from '../../../features/search/search.service.js';
import { auditRestrictedRead } from '../../api/audit-reads.js';
import { CaseCreate } from '../../api/schemas.js';
import { html, type Child } from '../../site/html.js';
import { formatDate, messages, say, type Params } from '../../site/i18n.js';
import { label, REGIME_LABELS } from '../../site/labels.js';
import { adminLink, csrfField, field, select, textarea, type AdminContext } from '../admin-layout.js';
import { one, type AdminInput, type AdminResult, type AdminRoute, type FormBody } from '../admin.js';
import { levelBadge } from './persons.page.js';
import {
  afterParam, articlesValue, historyLink, checkReason, choiceValue, editContext, ensureMayWrite, formPage, idParam, levelSelect, levelValue, mayWrite, pagerLink,
  partialDateValue, Problems, r, reasonInput, saveOrAgain, sentVersion, termFields, termInputs, termText, termValue, text, versionInput, versionLine,
} from './record-pages.js';

export const caseText = messages('admin-cases', {
  en: {
    cases: 'Criminal cases', cases_of: 'Criminal cases: {name}', new_case: 'Add a case', new_case_of: 'Add a case: {name}', edit_title: 'Correct the case: {name}',
    person: 'Person', person_hint: 'the person’s record id, e.g. BY-2021-0042', no_person: 'there is no person with the record id "{value}"',
    case_number: 'Case number', court: 'Court', judge: 'Judge', prosecutor: 'Prosecutor', verdict_date: 'Date of the verdict', none: 'No cases recorded.',
    case_title: 'Case {number} — {name}', no_number: 'without a number', all_cases: 'All cases', back: 'Back to the person',
  },
  be: {
    cases: 'Крымінальныя справы', cases_of: 'Крымінальныя справы: {name}', new_case: 'Дадаць справу', new_case_of: 'Дадаць справу: {name}', edit_title: 'Выправіць справу: {name}',
    person: 'Чалавек', person_hint: 'ідэнтыфікатар запісу чалавека, напр. BY-2021-0042', no_person: 'чалавека з ідэнтыфікатарам «{value}» няма',
    case_number: 'Нумар справы', court: 'Суд', judge: 'Суддзя', prosecutor: 'Пракурор', verdict_date: 'Дата прысуду', none: 'Спраў няма.',
    case_title: 'Справа {number} — {name}', no_number: 'без нумара', all_cases: 'Усе справы', back: 'Назад да чалавека',
  },
  ru: {
    cases: 'Уголовные дела', cases_of: 'Уголовные дела: {name}', new_case: 'Добавить дело', new_case_of: 'Добавить дело: {name}', edit_title: 'Исправить дело: {name}',
    person: 'Человек', person_hint: 'идентификатор записи человека, напр. BY-2021-0042', no_person: 'человека с идентификатором «{value}» нет',
    case_number: 'Номер дела', court: 'Суд', judge: 'Судья', prosecutor: 'Прокурор', verdict_date: 'Дата приговора', none: 'Дел нет.',
    case_title: 'Дело {number} — {name}', no_number: 'без номера', all_cases: 'Все дела', back: 'Назад к человеку',
  },
});

type Key = keyof typeof caseText.texts.en;
const c = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, caseText, key, params);

const PAGE = 50;

function personName(ctx: AdminContext, person: PersonRecord): string {
  const view = presentPerson(ctx.member, person).view;
  return view && view.names.length > 0 ? displayName(view.names) : person.external_id;
}

/** A person the member may see, by record id (or internal number); null when there is none. */
async function lookUpPerson(input: AdminInput, reference: string): Promise<PersonRecord | null> {
  if (!reference) return null;
  try {
    const person = await findPerson(input.store, reference);
    return presentPerson(input.ctx.member, person).view ? person : null;
  } catch (error) {
    if (isVigilError(error) && error.status === 404) return null;
    throw error;
  }
}

async function visibleCase(input: AdminInput): Promise<{ legalCase: CaseRecord; person: PersonRecord; restricted: string[] }> {
  const id = idParam(input, 'case');
  const legalCase = await findCase(input.store, id);
  const [shown] = await presentCases(input.store.db, input.ctx.member, [legalCase]);
  const person = await personById(input.store.db, legalCase.person_id);
  if (!shown?.view || !person) throw errors.notFound(`case ${id}`);
  return { legalCase, person, restricted: shown.restricted };
}

// ------------------------------------------------------------------ list and read

async function listPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const personParam = ctx.query.person ?? '';
  const person = /^\d{1,15}$/.test(personParam) ? await personById(store.db, Number(personParam)) : undefined;
  if (personParam && (!person || !presentPerson(ctx.member, person).view)) throw errors.notFound(`person ${personParam}`);
  const cases = await casePage(store, { after: afterParam(ctx), limit: PAGE }, { personId: person?.id });
  const presented = await presentCases(store.db, ctx.member, cases);
  await auditRestrictedRead(store, request, 'case', presented.map((shown, i) => ({ id: cases[i]!.id, fields: shown.restricted })));
  const shown = cases.filter((_, i) => presented[i]!.view);
  const people = new Map((await personsByIds(store.db, shown.map((one) => one.person_id))).map((one) => [one.id, one]));
  const title = person ? c(ctx, 'cases_of', { name: personName(ctx, person) }) : c(ctx, 'cases');
  return {
    title,
    main: html`<h1>${title}</h1>
<p class="actions">${mayWrite(ctx) ? html`<a class="button" href="${adminLink(ctx, '/admin/cases/new', { person: person?.external_id })}">${c(ctx, 'new_case')}</a>` : ''}
${person ? html`<a class="button secondary" href="${adminLink(ctx, `/admin/persons/${person.id}`)}">${c(ctx, 'back')}</a> <a href="${adminLink(ctx, '/admin/cases')}">${c(ctx, 'all_cases')}</a>` : ''}</p>
${shown.length === 0 ? html`<p>${c(ctx, 'none')}</p>` : html`<div class="table-wrap"><table><thead><tr><th>${c(ctx, 'case_number')}</th><th>${c(ctx, 'person')}</th><th>${r(ctx, 'articles')}</th><th>${c(ctx, 'court')}</th><th>${c(ctx, 'verdict_date')}</th><th>${r(ctx, 'term')}</th><th>${r(ctx, 'level')}</th></tr></thead><tbody>
${shown.map((one) => {
    const owner = people.get(one.person_id);
    return html`<tr><td><a href="${adminLink(ctx, `/admin/cases/${one.id}`)}">${one.case_number ?? c(ctx, 'no_number')}</a></td>
<td>${owner ? html`<a href="${adminLink(ctx, `/admin/persons/${owner.id}`)}">${personName(ctx, owner)}</a>` : ''}</td><td>${one.articles.join(', ')}</td><td>${one.court ?? ''}</td>
<td>${formatDate(ctx.lang, one.verdict_date)}</td><td>${termText(ctx, one.term_months)}</td><td>${levelBadge(ctx, one.confidentiality)}</td></tr>`;
  })}
</tbody></table></div>`}
${pagerLink(ctx, '/admin/cases', cases.length === PAGE ? cases.at(-1)!.id : null, person ? { person: String(person.id) } : {})}`,
  };
}

function caseFacts(ctx: AdminContext, legalCase: CaseRecord, person: PersonRecord): Child {
  const row = (title: string, value: Child) => (value === null || value === '' ? '' : html`<dt>${title}</dt><dd>${value}</dd>`);
  return html`<dl class="facts">
${row(c(ctx, 'person'), html`<a href="${adminLink(ctx, `/admin/persons/${person.id}`)}">${personName(ctx, person)}</a> <span class="muted">${person.external_id}</span>`)}
${row(c(ctx, 'case_number'), legalCase.case_number)}
${row(r(ctx, 'articles'), legalCase.articles.join(', '))}
${row(c(ctx, 'court'), legalCase.court)}
${row(c(ctx, 'judge'), legalCase.judge)}
${row(c(ctx, 'prosecutor'), legalCase.prosecutor)}
${row(c(ctx, 'verdict_date'), legalCase.verdict_date ? html`${formatDate(ctx.lang, legalCase.verdict_date)} <span class="muted">(${legalCase.verdict_date})</span>` : null)}
${row(r(ctx, 'term'), termText(ctx, legalCase.term_months))}
${row(r(ctx, 'regime'), legalCase.regime ? label(REGIME_LABELS, ctx.lang, legalCase.regime) : null)}
${row(r(ctx, 'note'), legalCase.note)}
${row(r(ctx, 'level'), levelBadge(ctx, legalCase.confidentiality))}
</dl>`;
}

async function casePageHandler(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const { legalCase, person, restricted } = await visibleCase(input);
  await auditRestrictedRead(store, request, 'case', [{ id: legalCase.id, fields: restricted }]);
  const title = c(ctx, 'case_title', { number: legalCase.case_number ?? c(ctx, 'no_number'), name: personName(ctx, person) });
  return {
    title,
    main: html`<h1>${title}</h1>
${versionLine(ctx, legalCase)}
<p class="actions">${mayWrite(ctx) ? html`<a class="button" href="${adminLink(ctx, `/admin/cases/${legalCase.id}/edit`)}">${r(ctx, 'edit')}</a>` : ''}
${historyLink(ctx, 'case', legalCase.id)}
<a class="button secondary" href="${adminLink(ctx, '/admin/cases', { person: person.id })}">${c(ctx, 'cases_of', { name: personName(ctx, person) })}</a></p>
${caseFacts(ctx, legalCase, person)}`,
  };
}

// ------------------------------------------------------------------ forms

function valuesOf(legalCase: CaseRecord, person: PersonRecord): FormBody {
  return {
    person: person.external_id, case_number: legalCase.case_number ?? '', articles: legalCase.articles.join('; '), court: legalCase.court ?? '', judge: legalCase.judge ?? '',
    prosecutor: legalCase.prosecutor ?? '', verdict_date: legalCase.verdict_date ?? '', ...termFields(legalCase.term_months), regime: legalCase.regime ?? '',
    note: legalCase.note ?? '', confidentiality: legalCase.confidentiality, reason: '', version: String(legalCase.version),
  };
}

interface CaseFormOptions {
  values: FormBody;
  action: string;
  cancel: string;
  title: string;
  /** The person is fixed (editing, or adding from the person's page). */
  person: PersonRecord | null;
  editing: boolean;
  problems?: string[];
  conflict?: string;
}

function caseFormPage(ctx: AdminContext, options: CaseFormOptions): AdminResult {
  const { values } = options;
  const regimes = [['', r(ctx, 'none')] as const, ...REGIMES.map((code) => [code, label(REGIME_LABELS, ctx.lang, code)] as const)];
  return formPage(ctx, {
    title: options.title, problems: options.problems, conflict: options.conflict, action: options.action, cancel: options.cancel,
    body: html`${csrfField(ctx)}${options.editing ? versionInput(values) : ''}
${options.person ? html`<input type="hidden" name="person" value="${options.person.external_id}"><p><strong>${c(ctx, 'person')}:</strong> ${personName(ctx, options.person)} <span class="muted">${options.person.external_id}</span></p>`
    : field({ name: 'person', label: c(ctx, 'person'), value: one(values, 'person'), required: true, hint: c(ctx, 'person_hint') })}
<div class="grid">
${field({ name: 'case_number', label: c(ctx, 'case_number'), value: one(values, 'case_number') })}
${field({ name: 'verdict_date', label: c(ctx, 'verdict_date'), value: one(values, 'verdict_date'), hint: r(ctx, 'date_hint') })}
</div>
${field({ name: 'articles', label: r(ctx, 'articles'), value: one(values, 'articles'), hint: r(ctx, 'articles_hint') })}
${field({ name: 'court', label: c(ctx, 'court'), value: one(values, 'court') })}
<div class="grid">
${field({ name: 'judge', label: c(ctx, 'judge'), value: one(values, 'judge') })}
${field({ name: 'prosecutor', label: c(ctx, 'prosecutor'), value: one(values, 'prosecutor') })}
</div>
${termInputs(ctx, values)}
${select({ name: 'regime', label: r(ctx, 'regime'), value: one(values, 'regime'), choices: regimes })}
${textarea({ name: 'note', label: r(ctx, 'note'), value: one(values, 'note') })}
${levelSelect(ctx, values)}
${reasonInput(ctx, values)}`,
  });
}

function apiLabels(ctx: AdminContext): Record<string, string> {
  return {
    person: c(ctx, 'person'), case_number: c(ctx, 'case_number'), articles: r(ctx, 'articles'), court: c(ctx, 'court'), judge: c(ctx, 'judge'), prosecutor: c(ctx, 'prosecutor'),
    verdict_date: c(ctx, 'verdict_date'), term_months: r(ctx, 'term'), regime: r(ctx, 'regime'), note: r(ctx, 'note'), confidentiality: r(ctx, 'level'),
  };
}

/** The case a form describes (without its person), or the problems that stop it. */
function readCaseForm(ctx: AdminContext, values: FormBody, personExternalId: string): { data: Omit<CaseData, 'person_id'>; problems: string[] } {
  const problems = new Problems();
  const data: Omit<CaseData, 'person_id'> = {
    case_number: text(values, 'case_number'), articles: articlesValue(ctx, values, 'articles', problems), court: text(values, 'court'), judge: text(values, 'judge'),
    prosecutor: text(values, 'prosecutor'), verdict_date: partialDateValue(ctx, values, 'verdict_date', c(ctx, 'verdict_date'), problems),
    term_months: termValue(ctx, values, problems), regime: choiceValue(ctx, values, 'regime', REGIMES, r(ctx, 'regime'), problems),
    note: text(values, 'note'), confidentiality: levelValue(ctx, values, problems),
  };
  checkReason(ctx, values, problems);
  if (problems.list.length === 0) {
    const parsed = CaseCreate.safeParse({ ...data, person: personExternalId, change_reason: '' });
    if (!parsed.success) problems.addIssues(parsed.error, apiLabels(ctx));
  }
  return { data, problems: problems.list };
}

async function newCasePage(input: AdminInput): Promise<AdminResult> {
  const { ctx } = input;
  ensureMayWrite(ctx);
  const person = await lookUpPerson(input, ctx.query.person ?? '');
  return caseFormPage(ctx, {
    values: { person: person?.external_id ?? '', confidentiality: 'internal' }, action: adminLink(ctx, '/admin/cases/new'), person, editing: false,
    title: person ? c(ctx, 'new_case_of', { name: personName(ctx, person) }) : c(ctx, 'new_case'),
    cancel: person ? adminLink(ctx, '/admin/cases', { person: person.id }) : adminLink(ctx, '/admin/cases'),
  });
}

async function submitNewCase(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const reference = one(body, 'person').trim();
  const person = await lookUpPerson(input, reference);
  const again = (extra: { problems?: string[]; conflict?: string }) => caseFormPage(ctx, {
    values: body, action: adminLink(ctx, '/admin/cases/new'), person: null, editing: false, title: c(ctx, 'new_case'), cancel: adminLink(ctx, '/admin/cases'), ...extra,
  });
  const { data, problems } = readCaseForm(ctx, body, person?.external_id ?? (reference || '-'));
  if (!person) problems.unshift(`${c(ctx, 'person')}: ${reference ? c(ctx, 'no_person', { value: reference }) : r(ctx, 'required')}`);
  if (problems.length > 0 || !person) return again({ problems });
  return saveOrAgain(ctx, async () => {
    const created = await createCase(store, { ...data, person_id: person.id }, editContext(input));
    return { redirect: adminLink(ctx, `/admin/cases/${created.id}`, { done: 'created' }) };
  }, again);
}

async function editCasePage(input: AdminInput): Promise<AdminResult> {
  const { ctx } = input;
  ensureMayWrite(ctx);
  const { legalCase, person } = await visibleCase(input);
  return caseFormPage(ctx, {
    values: valuesOf(legalCase, person), action: adminLink(ctx, `/admin/cases/${legalCase.id}/edit`), person, editing: true,
    title: c(ctx, 'edit_title', { name: personName(ctx, person) }), cancel: adminLink(ctx, `/admin/cases/${legalCase.id}`),
  });
}

async function submitCaseEdit(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body } = input;
  ensureMayWrite(ctx);
  const { legalCase, person } = await visibleCase(input);
  const again = (extra: { problems?: string[]; conflict?: string }) => caseFormPage(ctx, {
    values: body, action: adminLink(ctx, `/admin/cases/${legalCase.id}/edit`), person, editing: true,
    title: c(ctx, 'edit_title', { name: personName(ctx, person) }), cancel: adminLink(ctx, `/admin/cases/${legalCase.id}`), ...extra,
  });
  const { data, problems } = readCaseForm(ctx, body, person.external_id);
  if (problems.length > 0) return again({ problems });
  return saveOrAgain(ctx, async () => {
    await editCase(store, legalCase.id, sentVersion(body), data, editContext(input));
    return { redirect: adminLink(ctx, `/admin/cases/${legalCase.id}`, { done: 'saved' }) };
  }, again);
}

export const caseRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/cases', handler: listPage },
  { method: 'GET', path: '/admin/cases/new', handler: newCasePage },
  { method: 'POST', path: '/admin/cases/new', handler: submitNewCase },
  { method: 'GET', path: '/admin/cases/:id', handler: casePageHandler },
  { method: 'GET', path: '/admin/cases/:id/edit', handler: editCasePage },
  { method: 'POST', path: '/admin/cases/:id/edit', handler: submitCaseEdit },
];
