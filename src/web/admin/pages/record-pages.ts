/**
 * What the record screens (events, cases, facilities, sources, deals) share: who may write, reading a
 * form's values, turning the API's zod rules into problems that name the field, saving with the
 * stale-edit check, and the fields every record form has (level, reason, version, term of a sentence).
 * Forms keep their values as the browser sent them (FormBody), so a form sent back shows what was typed.
 */
import type { z } from 'zod';
import { isLevel, type Level } from '../../../domain/confidentiality.js';
import { can } from '../../../domain/policy.js';
import { ARTICLE_PATTERN } from '../../../domain/event-types.js';
import { isValidPartialDate } from '../../../domain/partial-date.js';
import { errors, isVigilError, VigilError } from '../../../errors.js';
import type { EditContext } from '../../../features/persons/person.service.js';
import { html, type Child, type Html } from '../../site/html.js';
import { messages, say, type Params } from '../../site/i18n.js';
import { adminLink, field, formErrors, select, t, type AdminContext, type AdminPage } from '../admin-layout.js';
import { one, type AdminInput, type AdminResult, type FormBody } from '../admin.js';
import { levelChoices } from './persons.page.js';

export const recordText = messages('admin-records', {
  en: {
    level: 'Who may see it', history: 'History', note: 'Internal note (never public)', version: 'Version {n}, last changed {at}', edit: 'Edit', next: 'Next page',
    date_hint: 'YYYY, YYYY-MM or YYYY-MM-DD: as much as is known (e.g. 2021, 2021-05 or 2021-05-03)',
    not_date: '"{value}" is not a date as YYYY, YYYY-MM or YYYY-MM-DD', not_number: '"{value}" is not a number', not_whole: '"{value}" is not a whole number of 0 or more',
    articles: 'Articles of the criminal code', articles_hint: 'separated by ; — e.g. 342; 361-1; 130.3', not_article: '"{value}" is not an article number like 342, 361-1 or 130.3',
    term: 'Term', years: 'years', months: 'months', term_hint: 'years and months; stored as months', term_value: '{years} y {months} m ({n} months)',
    regime: 'Regime', none: '—', reason_missing: 'say why the record changes (a source or an explanation)',
    not_choice: '"{value}" is not one of the choices', any: 'any', required: 'required',
  },
  be: {
    level: 'Хто можа бачыць', history: 'Гісторыя', note: 'Унутраная нататка (ніколі не публічная)', version: 'Версія {n}, апошняя змена {at}', edit: 'Правіць', next: 'Наступная старонка',
    date_hint: 'ГГГГ, ГГГГ-ММ або ГГГГ-ММ-ДД: наколькі вядома (напр. 2021, 2021-05 або 2021-05-03)',
    not_date: '«{value}» — не дата ў выглядзе ГГГГ, ГГГГ-ММ або ГГГГ-ММ-ДД', not_number: '«{value}» — не лік', not_whole: '«{value}» — не цэлы лік ад 0',
    articles: 'Артыкулы крымінальнага кодэкса', articles_hint: 'праз ; — напр. 342; 361-1; 130.3', not_article: '«{value}» — не нумар артыкула, як 342, 361-1 або 130.3',
    term: 'Тэрмін', years: 'гадоў', months: 'месяцаў', term_hint: 'гады і месяцы; захоўваецца ў месяцах', term_value: '{years} г. {months} м. ({n} мес.)',
    regime: 'Рэжым', none: '—', reason_missing: 'напішыце, чаму запіс мяняецца (крыніца або тлумачэнне)',
    not_choice: '«{value}» — няма сярод варыянтаў', any: 'любы', required: 'абавязкова',
  },
  ru: {
    level: 'Кто может видеть', history: 'История', note: 'Внутренняя заметка (никогда не публичная)', version: 'Версия {n}, последнее изменение {at}', edit: 'Править', next: 'Следующая страница',
    date_hint: 'ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД: насколько известно (напр. 2021, 2021-05 или 2021-05-03)',
    not_date: '«{value}» — не дата в виде ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД', not_number: '«{value}» — не число', not_whole: '«{value}» — не целое число от 0',
    articles: 'Статьи уголовного кодекса', articles_hint: 'через ; — напр. 342; 361-1; 130.3', not_article: '«{value}» — не номер статьи, как 342, 361-1 или 130.3',
    term: 'Срок', years: 'лет', months: 'месяцев', term_hint: 'годы и месяцы; хранится в месяцах', term_value: '{years} г. {months} мес. ({n} мес.)',
    regime: 'Режим', none: '—', reason_missing: 'напишите, почему запись меняется (источник или объяснение)',
    not_choice: '«{value}» — нет среди вариантов', any: 'любой', required: 'обязательно',
  },
});

type Key = keyof typeof recordText.texts.en;
export const r = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, recordText, key, params);

/** Members whose role may not change the registry are refused before they fill anything in. */
export function ensureMayWrite(ctx: AdminContext): void {
  if (!can(ctx.member, 'write')) throw new VigilError('forbidden', `your role (${ctx.member.role}) may not change the registry`, 403);
}

export function mayWrite(ctx: AdminContext): boolean {
  return can(ctx.member, 'write');
}

/** A numeric id from the path; anything else is a page that does not exist. */
export function idParam(input: AdminInput, what: string): number {
  const raw = input.params.id ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw errors.notFound(`${what} ${raw}`);
  return Number(raw);
}

export function editContext(input: AdminInput): EditContext {
  return { actor: input.ctx.member.email, reason: one(input.body, 'reason').trim(), ip: input.request.ip };
}

/** A trimmed text field, or null when left empty. */
export function text(values: FormBody, name: string): string | null {
  const value = one(values, name).trim();
  return value === '' ? null : value;
}

/** Collects the problems of one form, each naming its field. */
export class Problems {
  readonly list: string[] = [];
  add(label: string, message: string): void {
    this.list.push(`${label}: ${message}`);
  }
  /** The API's rules for the same record (zod), so the workspace and the API accept the same values. */
  addIssues(error: z.ZodError, labels: Record<string, string>): void {
    for (const issue of error.issues) {
      const name = String(issue.path[0] ?? '');
      this.add(labels[name] ?? name, issue.message);
    }
  }
}

export function partialDateValue(ctx: AdminContext, values: FormBody, name: string, label: string, problems: Problems): string | null {
  const value = text(values, name);
  if (value !== null && !isValidPartialDate(value)) problems.add(label, r(ctx, 'not_date', { value }));
  return value;
}

export function numberValue(ctx: AdminContext, values: FormBody, name: string, label: string, problems: Problems): number | null {
  const value = text(values, name);
  if (value === null) return null;
  const number = Number(value.replace(',', '.'));
  if (!Number.isFinite(number)) {
    problems.add(label, r(ctx, 'not_number', { value }));
    return null;
  }
  return number;
}

/** A value from a closed list (a select), or null when none was chosen. */
export function choiceValue<T extends string>(ctx: AdminContext, values: FormBody, name: string, allowed: readonly T[], label: string, problems: Problems): T | null {
  const value = text(values, name);
  if (value === null) return null;
  if (!(allowed as readonly string[]).includes(value)) problems.add(label, r(ctx, 'not_choice', { value }));
  return value as T;
}

export function levelValue(ctx: AdminContext, values: FormBody, problems: Problems, name = 'confidentiality'): Level {
  const level = one(values, name);
  if (isLevel(level)) return level;
  problems.add(r(ctx, 'level'), r(ctx, 'not_choice', { value: level }));
  return 'internal';
}

export function articlesValue(ctx: AdminContext, values: FormBody, name: string, problems: Problems): string[] {
  const articles = one(values, name).split(/[;,]/).map((part) => part.trim()).filter(Boolean);
  for (const article of articles) if (!ARTICLE_PATTERN.test(article)) problems.add(r(ctx, 'articles'), r(ctx, 'not_article', { value: article }));
  return articles;
}

/** Years and months as typed, or the total in months when nothing is wrong. */
export function termValue(ctx: AdminContext, values: FormBody, problems: Problems): number | null {
  const years = text(values, 'term_years');
  const months = text(values, 'term_months');
  if (years === null && months === null) return null;
  let total = 0;
  for (const [value, per] of [[years, 12], [months, 1]] as const) {
    if (value === null) continue;
    if (!/^\d{1,4}$/.test(value)) {
      problems.add(r(ctx, 'term'), r(ctx, 'not_whole', { value }));
      return null;
    }
    total += Number(value) * per;
  }
  return total;
}

/** The form values of a stored term. */
export function termFields(months: number | null): { term_years: string; term_months: string } {
  if (months === null) return { term_years: '', term_months: '' };
  return { term_years: String(Math.floor(months / 12)), term_months: String(months % 12) };
}

export function termText(ctx: AdminContext, months: number | null): string {
  if (months === null) return '';
  return r(ctx, 'term_value', { years: Math.floor(months / 12), months: months % 12, n: months });
}

export function termInputs(ctx: AdminContext, values: FormBody): Html {
  return html`<fieldset><legend>${r(ctx, 'term')}</legend><span class="hint">${r(ctx, 'term_hint')}</span><div class="grid">
${field({ name: 'term_years', label: r(ctx, 'years'), value: one(values, 'term_years'), type: 'number', attrs: html` min="0" max="100" inputmode="numeric"` })}
${field({ name: 'term_months', label: r(ctx, 'months'), value: one(values, 'term_months'), type: 'number', attrs: html` min="0" max="1200" inputmode="numeric"` })}
</div></fieldset>`;
}

export function levelSelect(ctx: AdminContext, values: FormBody, name = 'confidentiality'): Html {
  return select({ name, label: r(ctx, 'level'), value: one(values, name) || 'internal', choices: levelChoices(ctx) });
}

export function reasonInput(ctx: AdminContext, values: FormBody): Html {
  return field({ name: 'reason', label: t(ctx, 'reason'), value: one(values, 'reason'), required: true });
}

export function checkReason(ctx: AdminContext, values: FormBody, problems: Problems): void {
  if (!one(values, 'reason').trim()) problems.add(t(ctx, 'reason'), r(ctx, 'reason_missing'));
}

export function versionLine(ctx: AdminContext, record: { version: number; updated_at: string }): Html {
  return html`<p class="muted">${r(ctx, 'version', { n: record.version, at: record.updated_at.slice(0, 16).replace('T', ' ') })}</p>`;
}

export interface FormPage {
  title: string;
  problems?: readonly string[];
  conflict?: string;
  /** Shown between the heading and the form. */
  intro?: Child;
  action: string;
  body: Child;
  cancel: string;
  multipart?: boolean;
  /** The answer's status when it is not the usual one (413, 415 for a refused file). */
  status?: number;
}

/** A record form: heading, the conflict or problems (400 when there are problems), the fields, save and cancel. */
export function formPage(ctx: AdminContext, page: FormPage): AdminPage {
  return {
    status: page.status ?? (page.problems && page.problems.length > 0 ? 400 : 200),
    title: page.title,
    main: html`<h1>${page.title}</h1>
${page.intro ?? ''}
${page.conflict ? html`<div class="errors" role="alert"><p>${page.conflict}</p></div>` : ''}
${formErrors(ctx, page.problems ?? [])}
<form method="post" action="${page.action}" class="record"${page.multipart ? html` enctype="multipart/form-data"` : ''}>
${page.body}
<div class="actions"><button type="submit">${t(ctx, 'save')}</button><a href="${page.cancel}">${t(ctx, 'cancel')}</a></div>
</form>`,
  };
}

export function versionInput(values: FormBody): Html {
  return html`<input type="hidden" name="version" value="${one(values, 'version')}">`;
}

/**
 * Runs a save; a stale edit comes back as the form with the conflict message (the typed values kept),
 * and a refusal of the service (a taken name, a value it does not accept) as the form with its message.
 */
export async function saveOrAgain(ctx: AdminContext, save: () => Promise<AdminResult>, again: (extra: { problems?: string[]; conflict?: string }) => AdminResult | Promise<AdminResult>): Promise<AdminResult> {
  try {
    return await save();
  } catch (error) {
    if (isVigilError(error) && error.id === 'version_conflict') {
      const details = error.details as { expected: number; actual: number };
      return again({ conflict: t(ctx, 'conflict', { yours: details.expected, theirs: details.actual }) });
    }
    if (isVigilError(error) && (error.status === 400 || error.status === 409)) return again({ problems: [error.message] });
    throw error;
  }
}

/** The version a form was opened at (a missing or mangled one can only be a stale edit). */
export function sentVersion(values: FormBody): number {
  const version = Number(one(values, 'version'));
  return Number.isInteger(version) && version > 0 ? version : 0;
}

/** Every version of the record (the history screen: who, when, what changed, why; restore). */
export function historyLink(ctx: AdminContext, entity: string, id: number): Html {
  return html`<a class="button secondary" href="${adminLink(ctx, `/admin/history/${entity}/${id}`)}">${r(ctx, 'history')}</a>`;
}

export function pagerLink(ctx: AdminContext, path: string, next: number | null, params: Record<string, string> = {}): Child {
  return next ? html`<p class="pager"><a href="${adminLink(ctx, path, { ...params, after: next })}">${r(ctx, 'next')}</a></p>` : null;
}

/** `after` from the query: the last id of the previous page. */
export function afterParam(ctx: AdminContext): number {
  const after = Number(ctx.query.after);
  return Number.isInteger(after) && after > 0 ? after : 0;
}
