/**
 * Importing a CSV file in the browser: upload, a dry run that shows what the file would change and
 * every problem (line, column, value, reason), then "Import now" (all or nothing) or "Cancel". The
 * importer runs in the background of the server; while it runs, a progress page reloads itself (no
 * JavaScript needed) and admin.js moves a progress bar from a small status endpoint.
 */
import type { FastifyRequest } from 'fastify';
import { can } from '../../../domain/policy.js';
import { EVENT_COLUMNS, FACILITY_COLUMNS, PERSON_COLUMNS } from '../../../domain/csv-contract.js';
import { isVigilError, VigilError } from '../../../errors.js';
import type { Store } from '../../../store/connection.js';
import {
  cancelPending, findPending, firstRows, IMPORT_KINDS, importLimitBytes, isRunningHere, listPending, MAX_PROBLEMS, receiveUpload, startCheck, startCommit,
  sweepStale, type PendingImport,
} from '../../../features/import/pending-import.service.js';
import type { ImportKind } from '../../../features/import/import.service.js';
import { html, type Child, type Html } from '../../site/html.js';
import { formatNumber, messages, say, type Params } from '../../site/i18n.js';
import { adminLink, csrfField, formErrors, t, type AdminContext, type AdminPage } from '../admin-layout.js';
import { readUploadForm, type AdminInput, type AdminResult, type AdminRoute } from '../admin.js';

const text = messages('admin-import', {
  en: {
    title: 'Import a CSV file', intro: 'Upload a CSV file (UTF-8, a header row, comma-separated). It is checked first: you see what it would change and every problem, and nothing is written until you choose “Import now”. A file is imported whole or not at all.',
    kind: 'What the file holds', kind_persons: 'People', kind_events: 'Events (of people already in the registry)', kind_facilities: 'Facilities',
    columns: 'Columns', file: 'CSV file', file_hint: 'at most {mb} MB', upload: 'Upload and check', waiting_files: 'Your files waiting to be imported', uploaded: 'uploaded {at}',
    checking: 'Checking {file}…', importing: 'Importing {file}…', rows_done: '{done} of {total} rows', bytes_done: '{done} of {total} MB read', finishing: 'All rows read; finishing…',
    refreshes: 'This page refreshes itself every few seconds; you may also leave it and come back.',
    preview: 'Check before importing: {file}', would: 'If you import it now', rows: 'rows in the file', created: 'would be created', updated: 'would be updated', unchanged: 'unchanged',
    facilities_created: 'facilities would be added (named by events)', sha256: 'SHA-256 of the file', size: 'Size', first_rows: 'The first rows of the file',
    import_now: 'Import now', all_or_nothing: 'All rows are imported in one go, or none of them.', cancel: 'Cancel and delete the file',
    rejected: 'This file cannot be imported: {file}', rejected_intro: 'Nothing was changed. Correct these problems in the file and upload it again.',
    more_problems: 'Only the first {n} problems are listed; the file may have more.', line: 'Line', column: 'Column', value: 'Value', problem: 'Problem', whole: 'the whole row or file',
    imported: 'Imported: {file}', batch: 'Import batch', done_created: 'created', done_updated: 'updated', done_facilities: 'facilities added', another: 'Import another file', people: 'Open the list of people',
    failed: 'The import did not finish: {file}', try_again: 'Try again',
    no_file: 'file: choose a CSV file to upload', no_kind: 'kind: choose what the file holds (people, events or facilities)',
  },
  be: {
    title: 'Імпарт файла CSV', intro: 'Запампуйце файл CSV (UTF-8, радок загалоўкаў, коскі паміж значэннямі). Спачатку ён правяраецца: вы бачыце, што ён зменіць, і ўсе памылкі, і нічога не запісваецца, пакуль вы не націснеце «Імпартаваць». Файл імпартуецца цалкам або ніяк.',
    kind: 'Што ў файле', kind_persons: 'Людзі', kind_events: 'Падзеі (людзей, якія ўжо ёсць у рэестры)', kind_facilities: 'Установы',
    columns: 'Слупкі', file: 'Файл CSV', file_hint: 'не больш за {mb} МБ', upload: 'Запампаваць і праверыць', waiting_files: 'Вашыя файлы, што чакаюць імпарту', uploaded: 'запампаваны {at}',
    checking: 'Правяраецца {file}…', importing: 'Імпартуецца {file}…', rows_done: '{done} з {total} радкоў', bytes_done: 'прачытана {done} з {total} МБ', finishing: 'Усе радкі прачытаныя; завяршэнне…',
    refreshes: 'Старонка абнаўляецца сама праз некалькі секунд; можна пайсці і вярнуцца пазней.',
    preview: 'Праверце перад імпартам: {file}', would: 'Калі імпартаваць зараз', rows: 'радкоў у файле', created: 'будзе створана', updated: 'будзе зменена', unchanged: 'без змен',
    facilities_created: 'установаў будзе дададзена (названыя ў падзеях)', sha256: 'SHA-256 файла', size: 'Памер', first_rows: 'Першыя радкі файла',
    import_now: 'Імпартаваць', all_or_nothing: 'Усе радкі імпартуюцца разам, або ніводны.', cancel: 'Скасаваць і выдаліць файл',
    rejected: 'Гэты файл нельга імпартаваць: {file}', rejected_intro: 'Нічога не зменена. Выпраўце гэтыя памылкі ў файле і запампуйце яго зноў.',
    more_problems: 'Паказаныя толькі першыя {n} памылак; у файле іх можа быць больш.', line: 'Радок', column: 'Слупок', value: 'Значэнне', problem: 'Памылка', whole: 'увесь радок або файл',
    imported: 'Імпартавана: {file}', batch: 'Партыя імпарту', done_created: 'створана', done_updated: 'зменена', done_facilities: 'установаў дададзена', another: 'Імпартаваць іншы файл', people: 'Адкрыць спіс людзей',
    failed: 'Імпарт не скончыўся: {file}', try_again: 'Паспрабаваць зноў',
    no_file: 'файл: выберыце файл CSV', no_kind: 'што ў файле: выберыце людзей, падзеі або ўстановы',
  },
  ru: {
    title: 'Импорт файла CSV', intro: 'Загрузите файл CSV (UTF-8, строка заголовков, запятые между значениями). Сначала он проверяется: вы видите, что он изменит, и все ошибки, и ничего не записывается, пока вы не нажмёте «Импортировать». Файл импортируется целиком или никак.',
    kind: 'Что в файле', kind_persons: 'Люди', kind_events: 'События (людей, которые уже есть в реестре)', kind_facilities: 'Учреждения',
    columns: 'Столбцы', file: 'Файл CSV', file_hint: 'не больше {mb} МБ', upload: 'Загрузить и проверить', waiting_files: 'Ваши файлы, ожидающие импорта', uploaded: 'загружен {at}',
    checking: 'Проверяется {file}…', importing: 'Импортируется {file}…', rows_done: '{done} из {total} строк', bytes_done: 'прочитано {done} из {total} МБ', finishing: 'Все строки прочитаны; завершение…',
    refreshes: 'Страница обновляется сама каждые несколько секунд; можно уйти и вернуться позже.',
    preview: 'Проверьте перед импортом: {file}', would: 'Если импортировать сейчас', rows: 'строк в файле', created: 'будет создано', updated: 'будет изменено', unchanged: 'без изменений',
    facilities_created: 'учреждений будет добавлено (названы в событиях)', sha256: 'SHA-256 файла', size: 'Размер', first_rows: 'Первые строки файла',
    import_now: 'Импортировать', all_or_nothing: 'Все строки импортируются вместе, или ни одна.', cancel: 'Отменить и удалить файл',
    rejected: 'Этот файл нельзя импортировать: {file}', rejected_intro: 'Ничего не изменено. Исправьте эти ошибки в файле и загрузите его снова.',
    more_problems: 'Показаны только первые {n} ошибок; в файле их может быть больше.', line: 'Строка', column: 'Столбец', value: 'Значение', problem: 'Ошибка', whole: 'вся строка или файл',
    imported: 'Импортировано: {file}', batch: 'Партия импорта', done_created: 'создано', done_updated: 'изменено', done_facilities: 'учреждений добавлено', another: 'Импортировать другой файл', people: 'Открыть список людей',
    failed: 'Импорт не завершился: {file}', try_again: 'Попробовать снова',
    no_file: 'файл: выберите файл CSV', no_kind: 'что в файле: выберите людей, события или учреждения',
  },
});

type Key = keyof typeof text.texts.en;
const m = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, text, key, params);

const COLUMNS: Record<ImportKind, readonly string[]> = { persons: PERSON_COLUMNS, events: EVENT_COLUMNS, facilities: FACILITY_COLUMNS };
const PREVIEW_ROWS = 10;
const REFRESH_SECONDS = 2;

/** How long a post waits for the importer before it shows the progress page instead (small files finish first). */
export const importTiming = { waitMs: 2000 };

function ensureMayImport(ctx: AdminContext): void {
  if (!can(ctx.member, 'import')) throw new VigilError('forbidden', `your role (${ctx.member.role}) may not import files`, 403);
}

const pageOf = (ctx: AdminContext, id: string, params: Record<string, string> = {}) => adminLink(ctx, `/admin/import/${id}`, params);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function isKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

// ------------------------------------------------------------------ the upload form

async function uploadForm(store: Store, ctx: AdminContext, options: { kind?: string; problems?: string[]; status?: number } = {}): Promise<AdminPage> {
  const waiting = await listPending(store, ctx.member.userId);
  return {
    status: options.status ?? 200,
    title: m(ctx, 'title'),
    main: html`<h1>${m(ctx, 'title')}</h1>
<p>${m(ctx, 'intro')}</p>
${formErrors(ctx, options.problems ?? [])}
<form method="post" action="${adminLink(ctx, '/admin/import')}" enctype="multipart/form-data" class="record">
${csrfField(ctx)}
<fieldset><legend>${m(ctx, 'kind')}</legend>
${IMPORT_KINDS.map((kind) => html`<div class="check"><input type="radio" name="kind" value="${kind}" id="kind-${kind}"${kind === (options.kind ?? 'persons') ? html` checked` : ''}> <label for="kind-${kind}">${m(ctx, `kind_${kind}`)}</label>
<details><summary class="muted">${m(ctx, 'columns')}</summary><p><code>${COLUMNS[kind].join(', ')}</code></p></details></div>`)}
</fieldset>
<div class="field"><label for="f-file">${m(ctx, 'file')}</label><span class="hint" id="f-file-hint">${m(ctx, 'file_hint', { mb: Math.round(importLimitBytes() / 1024 / 1024) })}</span>
<input id="f-file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="f-file-hint"></div>
<div class="actions"><button type="submit">${m(ctx, 'upload')}</button></div>
</form>
${waiting.length > 0 ? html`<h2>${m(ctx, 'waiting_files')}</h2><ul>${waiting.map((pending) =>
    html`<li><a href="${pageOf(ctx, pending.id)}">${pending.file_name}</a> (${m(ctx, `kind_${pending.kind}`)}; ${m(ctx, 'uploaded', { at: pending.created_at.slice(0, 16).replace('T', ' ') })})</li>`)}</ul>` : ''}`,
  };
}

async function formPage(input: AdminInput): Promise<AdminResult> {
  ensureMayImport(input.ctx);
  await sweepStale();
  return uploadForm(input.store, input.ctx);
}

/**
 * Reads the multipart form as a stream: the `_csrf` and `kind` fields come before the file, so the
 * form is known to be this session's before a byte of the file is written anywhere.
 */
async function receive(store: Store, request: FastifyRequest, ctx: AdminContext): Promise<{ pending: PendingImport } | { kind: string; problems: string[] }> {
  const limit = importLimitBytes();
  const { fields, file } = await readUploadForm(request, { fileSize: limit }, async (part, sent) => {
    const kind = sent.kind ?? '';
    if (!isKind(kind) || !part.filename) {
      part.file.resume();
      return { kind, problems: [!isKind(kind) ? m(ctx, 'no_kind') : m(ctx, 'no_file')] };
    }
    return { pending: await receiveUpload(store, { kind, fileName: part.filename, source: part.file, limit }, { userId: ctx.member.userId, email: ctx.member.email }) };
  });
  return file ?? { kind: fields.kind ?? '', problems: [m(ctx, 'no_file')] };
}

/** Waits for a running import at most `importTiming.waitMs`. */
function awhile(job: Promise<void>): Promise<void> {
  return Promise.race([job, new Promise<void>((resolve) => setTimeout(resolve, importTiming.waitMs).unref())]);
}

async function upload(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  ensureMayImport(ctx);
  await sweepStale();
  let received: Awaited<ReturnType<typeof receive>>;
  try {
    received = await receive(store, request, ctx);
  } catch (error) {
    if (isVigilError(error) && (error.status === 400 || error.status === 413)) return uploadForm(store, ctx, { problems: [error.message], status: error.status });
    throw error;
  }
  if (!('pending' in received)) return uploadForm(store, ctx, { kind: received.kind, problems: received.problems, status: 400 });
  await awhile(startCheck(store, received.pending));
  return { redirect: pageOf(ctx, received.pending.id) };
}

// ------------------------------------------------------------------ one pending import

/** Rows done of the rows the dry run counted; while checking (no count yet), bytes read. */
function progressOf(ctx: AdminContext, pending: PendingImport): { value: number; max: number; label: string } {
  const { rows, total_rows: totalRows, bytes, total_bytes: totalBytes } = pending.progress;
  if (totalRows !== null && totalRows > 0) {
    return { value: Math.min(rows, totalRows), max: totalRows, label: rows >= totalRows ? m(ctx, 'finishing') : m(ctx, 'rows_done', { done: rows, total: totalRows }) };
  }
  return { value: bytes, max: Math.max(totalBytes, 1), label: m(ctx, 'bytes_done', { done: mb(bytes), total: mb(totalBytes) }) };
}

function progressBlock(ctx: AdminContext, pending: PendingImport): Html {
  const { value, max, label } = progressOf(ctx, pending);
  return html`<div class="import-progress" data-import-status="${adminLink(ctx, `/admin/import/${pending.id}/status`)}">
<progress id="import-bar" value="${value}" max="${max}" aria-describedby="import-label">${Math.round((value / max) * 100)} %</progress>
<p id="import-label" role="status" aria-live="polite">${label}</p></div>`;
}

function progressPage(ctx: AdminContext, pending: PendingImport): AdminPage {
  const title = m(ctx, pending.state === 'checking' ? 'checking' : 'importing', { file: pending.file_name });
  return { title, refresh: REFRESH_SECONDS, main: html`<h1>${title}</h1>${progressBlock(ctx, pending)}<p class="muted">${m(ctx, 'refreshes')}</p>` };
}

function facts(ctx: AdminContext, pending: PendingImport): Html {
  return html`<dl class="facts"><dt>${m(ctx, 'kind')}</dt><dd>${m(ctx, `kind_${pending.kind}`)}</dd>
<dt>${m(ctx, 'size')}</dt><dd>${formatNumber(ctx.lang, pending.size)} B</dd>
<dt>${m(ctx, 'sha256')}</dt><dd><code class="hash">${pending.sha256}</code></dd></dl>`;
}

function problemTable(ctx: AdminContext, pending: PendingImport): Html {
  return html`<div class="table-wrap"><table class="problems"><thead><tr><th scope="col">${m(ctx, 'line')}</th><th scope="col">${m(ctx, 'column')}</th><th scope="col">${m(ctx, 'value')}</th><th scope="col">${m(ctx, 'problem')}</th></tr></thead>
<tbody>${pending.problems.map((p) => html`<tr><td>${p.line > 0 ? p.line : '—'}</td><td>${p.column ?? m(ctx, 'whole')}</td><td>${p.value === null || p.value === '' ? '' : html`<code>${clip(p.value)}</code>`}</td><td>${p.message}</td></tr>`)}</tbody></table></div>
${pending.problems.length >= MAX_PROBLEMS ? html`<p class="muted">${m(ctx, 'more_problems', { n: MAX_PROBLEMS })}</p>` : ''}`;
}

const clip = (value: string) => (value.length > 80 ? `${value.slice(0, 77)}...` : value);

async function firstRowsTable(ctx: AdminContext, store: Store, pending: PendingImport): Promise<Child> {
  const { header, rows } = await firstRows(store, pending, PREVIEW_ROWS);
  if (header.length === 0) return null;
  return html`<h2>${m(ctx, 'first_rows')}</h2><div class="table-wrap"><table class="preview"><thead><tr><th scope="col">${m(ctx, 'line')}</th>${header.map((name) => html`<th scope="col">${clip(name)}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr><td>${row.line}</td>${header.map((_, c) => html`<td>${clip(row.values[c] ?? '')}</td>`)}</tr>`)}</tbody></table></div>`;
}

function cancelForm(ctx: AdminContext, pending: PendingImport, secondary = true): Html {
  return html`<form method="post" action="${adminLink(ctx, `/admin/import/${pending.id}/cancel`)}" class="inline">${csrfField(ctx)}<button type="submit"${secondary ? html` class="secondary"` : ''}>${m(ctx, 'cancel')}</button></form>`;
}

function commitForm(ctx: AdminContext, pending: PendingImport, label: Key): Html {
  return html`<form method="post" action="${adminLink(ctx, `/admin/import/${pending.id}/commit`)}" class="inline">${csrfField(ctx)}<button type="submit">${m(ctx, label)}</button></form>`;
}

async function previewPage(ctx: AdminContext, store: Store, pending: PendingImport): Promise<AdminPage> {
  const check = pending.check!;
  const title = m(ctx, 'preview', { file: pending.file_name });
  return {
    title,
    main: html`<h1>${title}</h1>${facts(ctx, pending)}
<h2>${m(ctx, 'would')}</h2>
<ul class="cards"><li><strong>${formatNumber(ctx.lang, check.rows)}</strong>${m(ctx, 'rows')}</li><li><strong>${formatNumber(ctx.lang, check.created)}</strong>${m(ctx, 'created')}</li>
<li><strong>${formatNumber(ctx.lang, check.updated)}</strong>${m(ctx, 'updated')}</li><li><strong>${formatNumber(ctx.lang, check.unchanged)}</strong>${m(ctx, 'unchanged')}</li>
${check.facilities_created > 0 ? html`<li><strong>${formatNumber(ctx.lang, check.facilities_created)}</strong>${m(ctx, 'facilities_created')}</li>` : ''}</ul>
<p>${m(ctx, 'all_or_nothing')}</p>
<div class="actions">${commitForm(ctx, pending, 'import_now')}${cancelForm(ctx, pending)}</div>
${await firstRowsTable(ctx, store, pending)}`,
  };
}

async function rejectedPage(ctx: AdminContext, store: Store, pending: PendingImport): Promise<AdminPage> {
  const title = m(ctx, 'rejected', { file: pending.file_name });
  return {
    status: 422,
    title,
    main: html`<h1>${title}</h1>
<div class="errors" role="alert"><p>${m(ctx, 'rejected_intro')}</p></div>
${problemTable(ctx, pending)}
${facts(ctx, pending)}
<div class="actions">${cancelForm(ctx, pending, false)}</div>
${await firstRowsTable(ctx, store, pending)}`,
  };
}

function importedPage(ctx: AdminContext, pending: PendingImport): AdminPage {
  const result = pending.result!;
  const title = m(ctx, 'imported', { file: pending.file_name });
  return {
    title,
    main: html`<h1>${title}</h1>
<dl class="facts"><dt>${m(ctx, 'batch')}</dt><dd>#${result.batch_id}</dd><dt>${m(ctx, 'kind')}</dt><dd>${m(ctx, `kind_${pending.kind}`)}</dd>
<dt>${m(ctx, 'sha256')}</dt><dd><code class="hash">${result.sha256}</code></dd></dl>
<ul class="cards"><li><strong>${formatNumber(ctx.lang, result.rows)}</strong>${m(ctx, 'rows')}</li><li><strong>${formatNumber(ctx.lang, result.created)}</strong>${m(ctx, 'done_created')}</li>
<li><strong>${formatNumber(ctx.lang, result.updated)}</strong>${m(ctx, 'done_updated')}</li><li><strong>${formatNumber(ctx.lang, result.unchanged)}</strong>${m(ctx, 'unchanged')}</li>
${result.facilities_created > 0 ? html`<li><strong>${formatNumber(ctx.lang, result.facilities_created)}</strong>${m(ctx, 'done_facilities')}</li>` : ''}</ul>
<p class="actions"><a class="button" href="${adminLink(ctx, '/admin/import')}">${m(ctx, 'another')}</a>${pending.kind === 'persons' ? html` <a href="${adminLink(ctx, '/admin/persons')}">${m(ctx, 'people')}</a>` : ''}</p>`,
  };
}

function failedPage(ctx: AdminContext, pending: PendingImport): AdminPage {
  const title = m(ctx, 'failed', { file: pending.file_name });
  return {
    title,
    main: html`<h1>${title}</h1><div class="errors" role="alert"><p>${pending.error ?? ''}</p></div>${facts(ctx, pending)}
<div class="actions">${pending.check ? commitForm(ctx, pending, 'try_again') : ''}${cancelForm(ctx, pending)}</div>`,
  };
}

async function pendingPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  ensureMayImport(ctx);
  const pending = await findPending(store, input.params.id!, ctx.member.userId);
  switch (pending.state) {
    case 'checking':
    case 'importing':
      return progressPage(ctx, pending);
    case 'checked':
      return previewPage(ctx, store, pending);
    case 'rejected':
      return rejectedPage(ctx, store, pending);
    case 'imported':
      return importedPage(ctx, pending);
    case 'failed':
      return failedPage(ctx, pending);
  }
}

/** For admin.js: how far a running import has come, and where to go when it has finished. */
async function statusOf(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, reply } = input;
  ensureMayImport(ctx);
  const pending = await findPending(store, input.params.id!, ctx.member.userId);
  const { progress } = pending;
  const running = pending.state === 'checking' || pending.state === 'importing';
  const body = {
    state: pending.state, done: !running, rows: progress.rows, total_rows: progress.total_rows, bytes: progress.bytes, total_bytes: progress.total_bytes,
    ...progressOf(ctx, pending), next: pageOf(ctx, pending.id),
  };
  await reply.header('Content-Type', 'application/json; charset=utf-8').header('Cache-Control', 'no-store').send(body);
  return { sent: true };
}

async function commit(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  ensureMayImport(ctx);
  const pending = await findPending(store, input.params.id!, ctx.member.userId);
  if (pending.state === 'imported') return { redirect: pageOf(ctx, pending.id) };
  const { job } = await startCommit(store, pending);
  await awhile(job);
  const finished = !isRunningHere(pending.id) && (await findPending(store, pending.id, ctx.member.userId)).state === 'imported';
  return { redirect: pageOf(ctx, pending.id, finished ? { done: 'imported' } : {}) };
}

async function cancel(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  ensureMayImport(ctx);
  const pending = await findPending(store, input.params.id!, ctx.member.userId);
  await cancelPending(pending);
  return { redirect: adminLink(ctx, '/admin/import', { done: 'cancelled' }) };
}

export const importRoutes: AdminRoute[] = [
  { method: 'GET', path: '/admin/import', handler: formPage },
  { method: 'POST', path: '/admin/import', handler: upload },
  { method: 'GET', path: '/admin/import/:id', handler: pendingPage },
  { method: 'GET', path: '/admin/import/:id/status', handler: statusOf },
  { method: 'POST', path: '/admin/import/:id/commit', handler: commit },
  { method: 'POST', path: '/admin/import/:id/cancel', handler: cancel },
];
