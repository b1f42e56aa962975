/**
 * The workspace's page shell: who is signed in, the sections, the language switch, sign-out, and the
 * notice a finished action leaves behind. Pages are server-rendered and work without JavaScript; the
 * one script (/admin/assets/admin.js) only adds suggestions while typing.
 */
import type { Member } from '../api/guards.js';
import { html, type Child, type Html } from '../site/html.js';
import { LANG_NAMES, LANGS, messages, say, type Lang, type Params } from '../site/i18n.js';
import { link } from '../site/layout.js';

export const adminCommon = messages('admin-common', {
  en: {
    workspace: 'Vigil workspace', skip: 'Skip to content', menu: 'Sections', languages: 'Language',
    dashboard: 'Dashboard', people: 'People', review: 'Review', duplicates: 'Duplicates', import: 'Import', sources: 'Sources',
    deals: 'Release deals', facilities: 'Facilities', cases: 'Cases', reports: 'Reports', public_site: 'Public site',
    signed_in_as: 'Signed in as {email} ({role})', sign_out: 'Sign out',
    demo: 'This store holds fictional demonstration data. None of these people exist.',
    saved: 'Saved.', created: 'Created.', restored: 'The earlier version was restored.', proposed: 'Your change was sent for review; an editor will approve it before it takes effect.',
    approved: 'Approved and applied.', rejected: 'Rejected.', merged: 'Merged.', not_same: 'Recorded as different people.', imported: 'Imported.', recorded: 'Recorded.', cancelled: 'Cancelled; the uploaded file was deleted.',
    errors_title: 'Please correct the following:', save: 'Save', cancel: 'Cancel', search: 'Search', reason: 'Why (a source or an explanation)',
    forbidden_title: 'Not allowed', forbidden: 'Your role ({role}) may not do this. Ask an admin if you need to.',
    not_found_title: 'Not found', not_found: 'There is no such record or page.',
    conflict: 'Someone else saved this record while you were editing it (your version {yours}, now {theirs}). Your changes are kept below: check the current record, then save again.',
  },
  be: {
    workspace: 'Працоўная прастора Vigil', skip: 'Перайсці да зместу', menu: 'Раздзелы', languages: 'Мова',
    dashboard: 'Агляд', people: 'Людзі', review: 'Праверка', duplicates: 'Дублі', import: 'Імпарт', sources: 'Крыніцы',
    deals: 'Пагадненні пра вызваленне', facilities: 'Установы', cases: 'Справы', reports: 'Справаздачы', public_site: 'Публічны сайт',
    signed_in_as: 'Вы ўвайшлі як {email} ({role})', sign_out: 'Выйсці',
    demo: 'Гэтае сховішча мае выдуманыя дэманстрацыйныя даныя. Такіх людзей не існуе.',
    saved: 'Захавана.', created: 'Створана.', restored: 'Папярэднюю версію адноўлена.', proposed: 'Вашую змену адпраўлена на праверку; рэдактар мусіць яе зацвердзіць.',
    approved: 'Зацверджана і ўнесена.', rejected: 'Адхілена.', merged: 'Аб’яднана.', not_same: 'Запісана, што гэта розныя людзі.', imported: 'Імпартавана.', recorded: 'Запісана.', cancelled: 'Скасавана; запампаваны файл выдалены.',
    errors_title: 'Калі ласка, выпраўце:', save: 'Захаваць', cancel: 'Скасаваць', search: 'Шукаць', reason: 'Чаму (крыніца або тлумачэнне)',
    forbidden_title: 'Не дазволена', forbidden: 'Ваша роля ({role}) не дазваляе гэтага. Звярніцеся да адміністратара.',
    not_found_title: 'Не знойдзена', not_found: 'Такога запісу або старонкі няма.',
    conflict: 'Нехта іншы захаваў гэты запіс, пакуль вы яго правілі (ваша версія {yours}, цяпер {theirs}). Вашыя змены захаваныя ніжэй: праверце бягучы запіс і захавайце зноў.',
  },
  ru: {
    workspace: 'Рабочее пространство Vigil', skip: 'Перейти к содержанию', menu: 'Разделы', languages: 'Язык',
    dashboard: 'Обзор', people: 'Люди', review: 'Проверка', duplicates: 'Дубли', import: 'Импорт', sources: 'Источники',
    deals: 'Соглашения об освобождении', facilities: 'Учреждения', cases: 'Дела', reports: 'Отчёты', public_site: 'Публичный сайт',
    signed_in_as: 'Вы вошли как {email} ({role})', sign_out: 'Выйти',
    demo: 'Это хранилище содержит вымышленные демонстрационные данные. Таких людей не существует.',
    saved: 'Сохранено.', created: 'Создано.', restored: 'Прежняя версия восстановлена.', proposed: 'Ваше изменение отправлено на проверку; редактор должен его утвердить.',
    approved: 'Утверждено и внесено.', rejected: 'Отклонено.', merged: 'Объединено.', not_same: 'Записано, что это разные люди.', imported: 'Импортировано.', recorded: 'Записано.', cancelled: 'Отменено; загруженный файл удалён.',
    errors_title: 'Пожалуйста, исправьте:', save: 'Сохранить', cancel: 'Отмена', search: 'Искать', reason: 'Почему (источник или объяснение)',
    forbidden_title: 'Не разрешено', forbidden: 'Ваша роль ({role}) не позволяет этого. Обратитесь к администратору.',
    not_found_title: 'Не найдено', not_found: 'Такой записи или страницы нет.',
    conflict: 'Кто-то другой сохранил эту запись, пока вы её правили (ваша версия {yours}, сейчас {theirs}). Ваши изменения сохранены ниже: проверьте текущую запись и сохраните снова.',
  },
});

export type Notice = 'saved' | 'created' | 'restored' | 'proposed' | 'approved' | 'rejected' | 'merged' | 'not_same' | 'imported' | 'recorded' | 'cancelled';
export const NOTICES: readonly Notice[] = ['saved', 'created', 'restored', 'proposed', 'approved', 'rejected', 'merged', 'not_same', 'imported', 'recorded', 'cancelled'];

/** Everything a workspace page needs to know about the request it answers. */
export interface AdminContext {
  lang: Lang;
  /** The request path, without the query string. */
  path: string;
  /** Query parameters other than lang, for the language switch. */
  query: Record<string, string>;
  member: Member;
  /** The session's CSRF token, put into every form (empty for API-token requests, which need none). */
  csrf: string;
  today: string;
  demo: boolean;
  notice: Notice | null;
}

/** A workspace link in the current language. */
export function adminLink(ctx: Pick<AdminContext, 'lang'>, path: string, params: Record<string, string | number | null | undefined> = {}): string {
  return link(ctx, path, params);
}

/** The hidden field that proves a form was sent from a page of this session. */
export function csrfField(ctx: Pick<AdminContext, 'csrf'>): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

export function t(ctx: Pick<AdminContext, 'lang'>, key: keyof typeof adminCommon.texts.en, params?: Params): string {
  return say(ctx.lang, adminCommon, key, params);
}

const NAV = [
  ['dashboard', '/admin'],
  ['people', '/admin/persons'],
  ['cases', '/admin/cases'],
  ['review', '/admin/review'],
  ['duplicates', '/admin/duplicates'],
  ['import', '/admin/import'],
  ['sources', '/admin/sources'],
  ['deals', '/admin/deals'],
  ['facilities', '/admin/facilities'],
  ['reports', '/admin/reports'],
] as const;

function currentSection(path: string): string {
  const found = [...NAV].reverse().find(([, href]) => (href === '/admin' ? path === '/admin' : path.startsWith(href)));
  return found?.[0] ?? '';
}

export interface AdminPage {
  title: string;
  main: Child;
  status?: number;
  /**
   * Seconds after which a progress page reloads itself when JavaScript is off; with it on, admin.js
   * updates the page in place from a status endpoint instead (so the page does not flicker).
   */
  refresh?: number;
}

export function adminLayout(ctx: AdminContext, page: AdminPage): Html {
  const section = currentSection(ctx.path);
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${page.title} — ${t(ctx, 'workspace')}</title>
<link rel="icon" href="data:,">
${page.refresh ? html`<noscript><meta http-equiv="refresh" content="${page.refresh}"></noscript>` : ''}
<link rel="stylesheet" href="/assets/site.css">
<link rel="stylesheet" href="/admin/assets/admin.css">
<script src="/admin/assets/admin.js" defer></script>
</head>
<body class="admin">
<a class="skip" href="#main">${t(ctx, 'skip')}</a>
<header class="site admin"><div class="bar">
<a class="brand" href="${adminLink(ctx, '/admin')}">${t(ctx, 'workspace')}</a>
<nav class="main" aria-label="${t(ctx, 'menu')}"><ul>${NAV.map(([key, href]) => html`<li><a href="${adminLink(ctx, href)}"${key === section ? html` aria-current="page"` : ''}>${t(ctx, key)}</a></li>`)}</ul></nav>
<nav class="langs" aria-label="${t(ctx, 'languages')}"><ul>${LANGS.map((lang) => html`<li><a href="${adminLink({ lang }, ctx.path, ctx.query)}" hreflang="${lang}" lang="${lang}"${lang === ctx.lang ? html` aria-current="true"` : ''}>${LANG_NAMES[lang]}</a></li>`)}</ul></nav>
</div></header>
<div class="who"><a href="${adminLink(ctx, '/admin/account')}">${t(ctx, 'signed_in_as', { email: ctx.member.email, role: ctx.member.role })}</a>
<a href="/?lang=${ctx.lang}">${t(ctx, 'public_site')}</a>
${ctx.csrf ? html`<form method="post" action="${adminLink(ctx, '/admin/sign-out')}" class="inline">${csrfField(ctx)}<button type="submit" class="link">${t(ctx, 'sign_out')}</button></form>` : ''}
</div>
<main id="main" tabindex="-1">
${ctx.demo ? html`<p class="notice" role="note">${t(ctx, 'demo')}</p>` : ''}
${ctx.notice ? html`<p class="done" role="status">${t(ctx, ctx.notice)}</p>` : ''}
${page.main}
</main>
</body>
</html>`;
}

/** The list of problems at the top of a form that was sent back (each names the field and what is wrong). */
export function formErrors(ctx: AdminContext, problems: readonly string[]): Child {
  if (problems.length === 0) return null;
  return html`<div class="errors" role="alert" tabindex="-1" id="form-errors"><p>${t(ctx, 'errors_title')}</p><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`;
}

/** A labelled input; the label is tied to the field so screen readers and clicks find it. */
export function field(options: { name: string; label: string; value?: string | null; type?: string; required?: boolean; hint?: string; attrs?: Html; id?: string }): Html {
  const id = options.id ?? `f-${options.name}`;
  return html`<div class="field"><label for="${id}">${options.label}</label>${options.hint ? html`<span class="hint" id="${id}-hint">${options.hint}</span>` : ''}<input id="${id}" name="${options.name}" type="${options.type ?? 'text'}" value="${options.value ?? ''}"${options.required ? html` required` : ''}${options.hint ? html` aria-describedby="${id}-hint"` : ''}${options.attrs ?? ''}></div>`;
}

export function select(options: { name: string; label: string; value?: string | null; choices: readonly (readonly [string, string])[]; id?: string }): Html {
  const id = options.id ?? `f-${options.name}`;
  return html`<div class="field"><label for="${id}">${options.label}</label><select id="${id}" name="${options.name}">${options.choices.map(([value, label]) => html`<option value="${value}"${value === (options.value ?? '') ? html` selected` : ''}>${label}</option>`)}</select></div>`;
}

export function textarea(options: { name: string; label: string; value?: string | null; required?: boolean; rows?: number }): Html {
  const id = `f-${options.name}`;
  return html`<div class="field"><label for="${id}">${options.label}</label><textarea id="${id}" name="${options.name}" rows="${options.rows ?? 3}"${options.required ? html` required` : ''}>${options.value ?? ''}</textarea></div>`;
}
