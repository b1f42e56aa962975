/**
 * A record's history: every version with who, when, why and what changed, field by field, redacted to
 * what the member may see (restricted values shown are audited). "Restore this version" writes the old
 * content back as a new version through the record's own edit service, so nothing is ever overwritten
 * and the restore is itself a logged, audited change; a restore over someone's newer edit is refused.
 */
import { can } from '../../../domain/policy.js';
import { errors, isVigilError, VigilError } from '../../../errors.js';
import { readHistory, restoreVersion, type RecordHistory, type ShownEntry } from '../../../features/history/history.service.js';
import { diffSnapshots, type FieldChange, type Shown } from '../../../features/history/snapshot-diff.js';
import { unmergePerson } from '../../../features/duplicates/duplicates.service.js';
import { displayName } from '../../../features/search/search.service.js';
import type { NameVariant } from '../../../store/person.repository.js';
import { auditRestrictedRead } from '../../api/audit-reads.js';
import { html, type Child, type Html } from '../../site/html.js';
import { formatDate, messages, say, type Params } from '../../site/i18n.js';
import { EVENT_LABELS, GENDER_LABELS, label } from '../../site/labels.js';
import { isLevel } from '../../../domain/confidentiality.js';
import { adminLink, csrfField, field, formErrors, t, type AdminContext } from '../admin-layout.js';
import { one, type AdminInput, type AdminResult, type AdminRoute } from '../admin.js';
import { levelBadge } from './persons.page.js';

const text = messages('admin-history', {
  en: {
    title: 'History: {name}', back: 'Back to the record', intro: 'Every saved version, newest first. Nothing is ever overwritten: a restore is saved as a new version.',
    version: 'Version {n}', current: 'current', who: 'Who', when: 'When', why: 'Why', field: 'Field', before: 'Before', after: 'After',
    action_create: 'created', action_update: 'changed', action_merge: 'merged into another record', action_restore: 'restored', action_delete: 'deleted',
    no_change: 'No change you may see.', hidden: 'This version holds nothing your role may see.', empty: 'No history recorded.',
    restore: 'Restore this version', restore_hint: 'Its content is saved again as version {n}; every version stays in the history.',
    merged: 'This record was merged into {id}. Both records are kept; counts and search treat them as one person.',
    unmerge: 'Undo the merge', unmerge_hint: 'The record stands on its own again; the decision is recorded with your reason.',
    yes: 'yes', no: 'no', none: '—',
    f_names: 'Names', f_birth_date: 'Birth date', f_gender: 'Gender', f_region: 'Region', f_occupation: 'Occupation', f_tags: 'Tags', f_biography: 'Biography',
    f_publish: 'Publication consent', f_confidentiality: 'Level', f_field_levels: 'Field levels', f_merged_into: 'Merged into', f_external_id: 'Record id',
    f_type: 'Type', f_date: 'Date', f_facility_id: 'Facility', f_articles: 'Articles', f_term_months: 'Term (months)', f_regime: 'Regime', f_reason: 'Reason',
    f_country: 'Country', f_organization: 'Organisation', f_note: 'Note', f_source_urls: 'Sources',
  },
  be: {
    title: 'Гісторыя: {name}', back: 'Назад да запісу', intro: 'Кожная захаваная версія, спачатку найноўшыя. Нічога не перазапісваецца: аднаўленне захоўваецца як новая версія.',
    version: 'Версія {n}', current: 'бягучая', who: 'Хто', when: 'Калі', why: 'Чаму', field: 'Поле', before: 'Было', after: 'Стала',
    action_create: 'створана', action_update: 'зменена', action_merge: 'аб’яднана з іншым запісам', action_restore: 'адноўлена', action_delete: 'выдалена',
    no_change: 'Няма змен, якія вам можна бачыць.', hidden: 'У гэтай версіі няма нічога, што можна бачыць вашай ролі.', empty: 'Гісторыя не запісана.',
    restore: 'Аднавіць гэтую версію', restore_hint: 'Яе змест захаваецца зноў як версія {n}; усе версіі застаюцца ў гісторыі.',
    merged: 'Гэты запіс аб’яднаны з {id}. Абодва запісы захаваныя; падлікі і пошук лічаць іх адным чалавекам.',
    unmerge: 'Скасаваць аб’яднанне', unmerge_hint: 'Запіс зноў стане асобным; рашэнне запішацца з вашай прычынай.',
    yes: 'так', no: 'не', none: '—',
    f_names: 'Імёны', f_birth_date: 'Дата нараджэння', f_gender: 'Пол', f_region: 'Рэгіён', f_occupation: 'Занятак', f_tags: 'Тэгі', f_biography: 'Біяграфія',
    f_publish: 'Згода на публікацыю', f_confidentiality: 'Узровень', f_field_levels: 'Узроўні палёў', f_merged_into: 'Аб’яднана з', f_external_id: 'Ідэнтыфікатар запісу',
    f_type: 'Тып', f_date: 'Дата', f_facility_id: 'Установа', f_articles: 'Артыкулы', f_term_months: 'Тэрмін (месяцаў)', f_regime: 'Рэжым', f_reason: 'Падстава',
    f_country: 'Краіна', f_organization: 'Арганізацыя', f_note: 'Нататка', f_source_urls: 'Крыніцы',
  },
  ru: {
    title: 'История: {name}', back: 'Назад к записи', intro: 'Каждая сохранённая версия, сначала новые. Ничего не перезаписывается: восстановление сохраняется как новая версия.',
    version: 'Версия {n}', current: 'текущая', who: 'Кто', when: 'Когда', why: 'Почему', field: 'Поле', before: 'Было', after: 'Стало',
    action_create: 'создано', action_update: 'изменено', action_merge: 'объединено с другой записью', action_restore: 'восстановлено', action_delete: 'удалено',
    no_change: 'Нет изменений, которые вам можно видеть.', hidden: 'В этой версии нет ничего, что можно видеть вашей роли.', empty: 'История не записана.',
    restore: 'Восстановить эту версию', restore_hint: 'Её содержание сохранится снова как версия {n}; все версии остаются в истории.',
    merged: 'Эта запись объединена с {id}. Обе записи сохранены; подсчёты и поиск считают их одним человеком.',
    unmerge: 'Отменить объединение', unmerge_hint: 'Запись снова станет отдельной; решение запишется с вашей причиной.',
    yes: 'да', no: 'нет', none: '—',
    f_names: 'Имена', f_birth_date: 'Дата рождения', f_gender: 'Пол', f_region: 'Регион', f_occupation: 'Род занятий', f_tags: 'Теги', f_biography: 'Биография',
    f_publish: 'Согласие на публикацию', f_confidentiality: 'Уровень', f_field_levels: 'Уровни полей', f_merged_into: 'Объединено с', f_external_id: 'Идентификатор записи',
    f_type: 'Тип', f_date: 'Дата', f_facility_id: 'Учреждение', f_articles: 'Статьи', f_term_months: 'Срок (месяцев)', f_regime: 'Режим', f_reason: 'Основание',
    f_country: 'Страна', f_organization: 'Организация', f_note: 'Заметка', f_source_urls: 'Источники',
  },
});

type Key = keyof typeof text.texts.en;
const h = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, text, key, params);

function fieldLabel(ctx: AdminContext, name: string): string {
  const [top, inner] = name.split('.', 2) as [string, string | undefined];
  const key = `f_${top}`;
  const base = Object.hasOwn(text.texts.en, key) ? h(ctx, key as Key) : top;
  return inner ? `${base} (${inner})` : base;
}

/** Coded values in the member's language (gender, event type, level); anything else as stored. */
function coded(ctx: AdminContext, fieldName: string, value: string): Child {
  if (fieldName === 'gender' && value !== 'unknown') return label(GENDER_LABELS, ctx.lang, value);
  if (fieldName === 'type') return label(EVENT_LABELS, ctx.lang, value);
  if ((fieldName === 'confidentiality' || fieldName.startsWith('field_levels.')) && isLevel(value)) return levelBadge(ctx, value);
  return value;
}

function valueOf(ctx: AdminContext, fieldName: string, value: Shown): Child {
  if (value === null || value === '') return h(ctx, 'none');
  if (typeof value === 'string') return coded(ctx, fieldName, value);
  if (typeof value === 'boolean') return h(ctx, value ? 'yes' : 'no');
  if (typeof value === 'number') return String(value);
  if (value.length === 0) return h(ctx, 'none');
  return value.length === 1 ? value[0]! : html`<ul>${value.map((item) => html`<li>${item}</li>`)}</ul>`;
}

const isEmpty = (value: Shown) => value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** A field-by-field table of what changed; used by the review queue too. */
export function diffTable(ctx: AdminContext, changes: readonly FieldChange[]): Html {
  if (changes.length === 0) return html`<p class="muted">${h(ctx, 'no_change')}</p>`;
  return html`<div class="table-wrap"><table class="diff"><thead><tr><th scope="col">${h(ctx, 'field')}</th><th scope="col">${h(ctx, 'before')}</th><th scope="col">${h(ctx, 'after')}</th></tr></thead><tbody>
${changes.map((change) => html`<tr><th scope="row">${fieldLabel(ctx, change.field)}</th><td>${isEmpty(change.before) ? h(ctx, 'none') : html`<del>${valueOf(ctx, change.field, change.before)}</del>`}</td><td>${isEmpty(change.after) ? h(ctx, 'none') : html`<ins>${valueOf(ctx, change.field, change.after)}</ins>`}</td></tr>`)}
</tbody></table></div>`;
}

export function historyPath(entity: string, id: number): string {
  return entity === 'person' ? `/admin/persons/${id}/history` : `/admin/history/${entity}/${id}`;
}

/** Where each kind of record is read in the workspace (sanction measures have no page of their own). */
const RECORD_PAGES: Record<string, string> = { person: 'persons', event: 'events', case: 'cases', facility: 'facilities', source: 'sources', deal: 'deals' };

function recordPath(entity: string, id: number): string | null {
  return Object.hasOwn(RECORD_PAGES, entity) ? `/admin/${RECORD_PAGES[entity]}/${id}` : null;
}

function titleOf(ctx: AdminContext, history: RecordHistory): string {
  const { current, shown } = history;
  const view = shown.view!;
  if (current.entity === 'person') return displayName(view.names as NameVariant[]) || String(view.external_id);
  if (current.entity === 'event') return `${label(EVENT_LABELS, ctx.lang, String(view.type))} ${formatDate(ctx.lang, String(view.date))}`;
  return `${current.entity} #${current.id}`;
}

const ACTIONS = ['create', 'update', 'merge', 'restore', 'delete'] as const;

function actionText(ctx: AdminContext, action: string): string {
  return (ACTIONS as readonly string[]).includes(action) ? h(ctx, `action_${action}` as Key) : action;
}

function restoreForm(ctx: AdminContext, history: RecordHistory, entry: ShownEntry, reason: string): Child {
  const { current } = history;
  if (!can(ctx.member, 'write') || entry.version >= current.version || !entry.after.complete) return null;
  const id = `reason-${entry.version}`;
  return html`<details class="restore"><summary>${h(ctx, 'restore')}</summary>
<form method="post" action="${adminLink(ctx, `/admin/history/${current.entity}/${current.id}/restore`)}" class="record">
${csrfField(ctx)}<input type="hidden" name="version" value="${entry.version}"><input type="hidden" name="expected" value="${current.version}">
<p class="muted">${h(ctx, 'restore_hint', { n: current.version + 1 })}</p>
${field({ name: 'reason', id, label: t(ctx, 'reason'), value: reason, required: true })}
<div class="actions"><button type="submit">${h(ctx, 'restore')}</button></div>
</form></details>`;
}

function entryBlock(ctx: AdminContext, history: RecordHistory, entry: ShownEntry, reason: string): Html {
  const visible = entry.before.view !== null || entry.after.view !== null;
  const isCurrent = entry.version === history.current.version && entry.after.view !== null;
  return html`<section class="version" id="v${entry.version}">
<h2>${h(ctx, 'version', { n: entry.version })} — ${actionText(ctx, entry.action)}${isCurrent ? html` <span class="badge">${h(ctx, 'current')}</span>` : ''}</h2>
<dl class="facts"><dt>${h(ctx, 'who')}</dt><dd>${entry.actor}</dd><dt>${h(ctx, 'when')}</dt><dd>${entry.at.slice(0, 19).replace('T', ' ')}</dd><dt>${h(ctx, 'why')}</dt><dd>${entry.reason ?? h(ctx, 'none')}</dd></dl>
${visible ? diffTable(ctx, diffSnapshots(entry.before.view, entry.after.view)) : html`<p class="muted">${h(ctx, 'hidden')}</p>`}
${restoreForm(ctx, history, entry, reason)}
</section>`;
}

function mergedBlock(ctx: AdminContext, history: RecordHistory): Child {
  const into = history.current.content.merged_into;
  if (history.current.entity !== 'person' || typeof into !== 'number') return null;
  return html`<div class="warning"><p>${h(ctx, 'merged', { id: `#${into}` })} <a href="${adminLink(ctx, `/admin/persons/${into}`)}">#${into}</a></p>
${can(ctx.member, 'merge') ? html`<form method="post" action="${adminLink(ctx, `/admin/persons/${history.current.id}/unmerge`)}" class="record">${csrfField(ctx)}
<p class="muted">${h(ctx, 'unmerge_hint')}</p>${field({ name: 'reason', id: 'unmerge-reason', label: t(ctx, 'reason'), required: true })}
<div class="actions"><button type="submit">${h(ctx, 'unmerge')}</button></div></form>` : ''}</div>`;
}

async function historyPage(input: AdminInput, entity: string, id: number, sentBack: { problem?: string; status?: number; version?: number; reason?: string } = {}): Promise<AdminResult> {
  const { ctx, store, request } = input;
  const history = await readHistory(store, ctx.member, entity, id);
  await auditRestrictedRead(store, request, entity, [{ id, fields: history.restricted }]);
  const name = titleOf(ctx, history);
  const back = recordPath(entity, id);
  const entries = [...history.entries].reverse();
  return {
    status: sentBack.status ?? 200,
    title: h(ctx, 'title', { name }),
    main: html`<h1>${h(ctx, 'title', { name })}</h1>
${back ? html`<p><a href="${adminLink(ctx, back)}">${h(ctx, 'back')}</a></p>` : ''}
${sentBack.problem ? formErrors(ctx, [sentBack.problem]) : ''}
${mergedBlock(ctx, history)}
<p class="muted">${h(ctx, 'intro')}</p>
${entries.length === 0 ? html`<p>${h(ctx, 'empty')}</p>` : entries.map((entry) => entryBlock(ctx, history, entry, entry.version === sentBack.version ? sentBack.reason ?? '' : ''))}`,
  };
}

function numericId(value: string | undefined, what: string): number {
  if (!value || !/^\d{1,12}$/.test(value)) throw errors.notFound(`${what} ${value ?? ''}`);
  return Number(value);
}

async function restore(input: AdminInput, entity: string, id: number): Promise<AdminResult> {
  const { ctx, store, body, request } = input;
  const version = Number(one(body, 'version'));
  const expected = Number(one(body, 'expected'));
  const reason = one(body, 'reason');
  try {
    if (!Number.isInteger(version) || !Number.isInteger(expected)) throw errors.validation('version: the form lost which version to restore; reload the history and try again');
    await restoreVersion(store, ctx.member, { entity, id, version, expectedVersion: expected, reason, ip: request.ip });
  } catch (error) {
    if (!isVigilError(error) || error.status === 403 || error.status === 404) throw error;
    const problem = error.id === 'version_conflict'
      ? t(ctx, 'conflict', { yours: (error.details as { expected: number }).expected, theirs: (error.details as { actual: number }).actual })
      : error.message;
    return historyPage(input, entity, id, { problem, status: error.status, version, reason });
  }
  return { redirect: adminLink(ctx, historyPath(entity, id), { done: 'restored' }) };
}

async function unmerge(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body, request } = input;
  const id = numericId(input.params.id, 'person');
  if (!can(ctx.member, 'merge')) throw new VigilError('forbidden', `your role (${ctx.member.role}) may not undo merges`, 403);
  const person = await store.db.selectFrom('person').select('external_id').where('id', '=', id).executeTakeFirst();
  if (!person) throw errors.notFound(`person ${id}`);
  try {
    await unmergePerson(store, person.external_id, { actor: ctx.member.email, reason: one(body, 'reason'), ip: request.ip });
  } catch (error) {
    if (!isVigilError(error) || error.status !== 400) throw error;
    return historyPage(input, 'person', id, { problem: error.message, status: 400 });
  }
  return { redirect: adminLink(ctx, historyPath('person', id), { done: 'saved' }) };
}

export const historyRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/persons/:id/history', handler: (input) => historyPage(input, 'person', numericId(input.params.id, 'person')) },
  { method: 'GET', path: '/admin/history/:entity/:id', handler: (input) => historyPage(input, input.params.entity!, numericId(input.params.id, input.params.entity!)) },
  { method: 'POST', path: '/admin/history/:entity/:id/restore', handler: (input) => restore(input, input.params.entity!, numericId(input.params.id, input.params.entity!)) },
  { method: 'POST', path: '/admin/persons/:id/unmerge', handler: unmerge },
];
