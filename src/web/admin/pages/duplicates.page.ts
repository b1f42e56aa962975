/**
 * The duplicate review queue: likely pairs (any script, any spelling), best first, a page at a time;
 * each pair side by side (names, facts, events, score and the reasons for it); then "merge, keeping
 * this one" or "not the same person", each with a required reason, recorded with who decided. Merging
 * deletes nothing and can be undone from the merged record's history.
 *
 * Finding every pair compares whole blocking groups: about half a second for the 1,500-person demo, but
 * it grows with the square of the largest name groups (40 s at 20,000 people on a busy machine). So a
 * registry of up to FULL_SCAN_UP_TO people is checked whole; a larger one only around the people changed
 * most recently, through the name index (where new duplicates appear); `vigil duplicates` does the full
 * check there. Either list is computed at most once a minute and only when the data changed; decisions
 * taken meanwhile are filtered out at once.
 */
import { can, type Viewer } from '../../../domain/policy.js';
import { errors, isVigilError, VigilError } from '../../../errors.js';
import { findDuplicates, markNotSame, mergePeople, type DuplicateCandidate } from '../../../features/duplicates/duplicates.service.js';
import { duplicatesOfRecent } from '../../../features/duplicates/recent-duplicates.service.js';
import { presentEvent } from '../../../features/events/event.presenter.js';
import { presentPerson, type PersonView } from '../../../features/persons/person.presenter.js';
import { displayName } from '../../../features/search/search.service.js';
import { compareRecords, type NameRecord } from '../../../names/index.js';
import type { Store } from '../../../store/connection.js';
import { eventsOfPerson } from '../../../store/event.repository.js';
import { dataStamp } from '../../../store/history.repository.js';
import { countPersons, personsByIds, type PersonRecord } from '../../../store/person.repository.js';
import { auditRestrictedRead } from '../../api/audit-reads.js';
import { html, type Child, type Html } from '../../site/html.js';
import { formatDate, formatNumber, messages, say, type Params } from '../../site/i18n.js';
import { EVENT_LABELS, GENDER_LABELS, label } from '../../site/labels.js';
import { adminLink, csrfField, field, formErrors, t, type AdminContext } from '../admin-layout.js';
import { one, type AdminInput, type AdminResult, type AdminRoute } from '../admin.js';
import { levelBadge } from './persons.page.js';

const text = messages('admin-duplicates', {
  en: {
    title: 'Possible duplicates', intro: 'Pairs of records that may be one person, best match first. Open a pair to compare and decide.',
    recent_only: 'The registry is large ({people} records): listed are pairs involving the {n} most recently changed people. A check of every pair runs on the server:',
    none: 'No likely duplicates.', pair: 'Pair', score: 'Match', reasons: 'Why they look alike', compare: 'Compare', computed: '{n} pairs found at {at} (took {ms} ms).',
    page: 'Page {n}', next: 'Next page', previous: 'Previous page', compare_title: 'Same person?', record: 'Record {side}',
    names: 'Names', facts: 'Facts', events: 'Events', no_events: 'No events.', external_id: 'Record id', birth_date: 'Birth date', gender: 'Gender', region: 'Region', occupation: 'Occupation',
    merged: 'Already merged into #{id}.', decided: 'Decided before: {decision} by {who} on {at} — {why}', decision_same: 'the same person', decision_not_same: 'different people',
    merge_keep: 'Merge, keeping record {side}', merge_hint: 'The other record is kept too, with its names, events and history, and points to the one kept; counts and search then see one person.',
    not_same: 'Not the same person', not_same_hint: 'The pair will not be proposed again.', reason: 'Why (the evidence for your decision)',
  },
  be: {
    title: 'Магчымыя дублі', intro: 'Пары запісаў, якія могуць быць адным чалавекам, спачатку найлепшыя супадзенні. Адкрыйце пару, каб параўнаць і вырашыць.',
    recent_only: 'Рэестр вялікі ({people} запісаў): паказаныя пары з удзелам {n} апошніх змененых людзей. Праверка ўсіх пар запускаецца на серверы:',
    none: 'Верагодных дубляў няма.', pair: 'Пара', score: 'Супадзенне', reasons: 'Чаму падобныя', compare: 'Параўнаць', computed: 'Знойдзена пар: {n}, {at} (заняло {ms} мс).',
    page: 'Старонка {n}', next: 'Наступная старонка', previous: 'Папярэдняя старонка', compare_title: 'Той самы чалавек?', record: 'Запіс {side}',
    names: 'Імёны', facts: 'Звесткі', events: 'Падзеі', no_events: 'Падзей няма.', external_id: 'Ідэнтыфікатар запісу', birth_date: 'Дата нараджэння', gender: 'Пол', region: 'Рэгіён', occupation: 'Занятак',
    merged: 'Ужо аб’яднаны з №{id}.', decided: 'Ужо вырашана: {decision}, {who}, {at} — {why}', decision_same: 'той самы чалавек', decision_not_same: 'розныя людзі',
    merge_keep: 'Аб’яднаць, пакінуўшы запіс {side}', merge_hint: 'Другі запіс таксама захоўваецца, з імёнамі, падзеямі і гісторыяй, і спасылаецца на пакінуты; падлікі і пошук бачаць аднаго чалавека.',
    not_same: 'Гэта розныя людзі', not_same_hint: 'Гэтая пара больш не будзе прапаноўвацца.', reason: 'Чаму (доказ вашага рашэння)',
  },
  ru: {
    title: 'Возможные дубли', intro: 'Пары записей, которые могут быть одним человеком, сначала лучшие совпадения. Откройте пару, чтобы сравнить и решить.',
    recent_only: 'Реестр большой ({people} записей): показаны пары с участием {n} последних изменённых людей. Проверка всех пар запускается на сервере:',
    none: 'Вероятных дублей нет.', pair: 'Пара', score: 'Совпадение', reasons: 'Почему похожи', compare: 'Сравнить', computed: 'Найдено пар: {n}, {at} (заняло {ms} мс).',
    page: 'Страница {n}', next: 'Следующая страница', previous: 'Предыдущая страница', compare_title: 'Тот же человек?', record: 'Запись {side}',
    names: 'Имена', facts: 'Сведения', events: 'События', no_events: 'Событий нет.', external_id: 'Идентификатор записи', birth_date: 'Дата рождения', gender: 'Пол', region: 'Регион', occupation: 'Род занятий',
    merged: 'Уже объединена с №{id}.', decided: 'Уже решено: {decision}, {who}, {at} — {why}', decision_same: 'тот же человек', decision_not_same: 'разные люди',
    merge_keep: 'Объединить, оставив запись {side}', merge_hint: 'Другая запись тоже сохраняется, с именами, событиями и историей, и ссылается на оставленную; подсчёты и поиск видят одного человека.',
    not_same: 'Это разные люди', not_same_hint: 'Эта пара больше не будет предлагаться.', reason: 'Почему (доказательство вашего решения)',
  },
});

type Key = keyof typeof text.texts.en;
const d = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, text, key, params);

const PAGE = 25;
const FULL_SCAN_UP_TO = 2000;
const RECENT_PEOPLE = 200;
/** How long a computed list may be reused after the data changed (finding pairs scans the registry). */
const REUSE_MS = 60_000;

// ------------------------------------------------------------------ the candidate list, computed sparingly

interface Computed {
  stamp: string;
  at: number;
  ms: number;
  /** Every pair of the registry, or only pairs around the most recently changed people. */
  full: boolean;
  people: number;
  pairs: DuplicateCandidate[];
}

const computed = new WeakMap<Store, Computed>();
const computing = new WeakMap<Store, Promise<Computed>>();

async function compute(store: Store): Promise<Computed> {
  const stamp = await dataStamp(store.db);
  const started = performance.now();
  const people = await countPersons(store.db);
  const full = people <= FULL_SCAN_UP_TO;
  const pairs = full ? await findDuplicates(store) : await duplicatesOfRecent(store, { people: RECENT_PEOPLE });
  const result = { stamp, at: Date.now(), ms: Math.round(performance.now() - started), full, people, pairs };
  computed.set(store, result);
  return result;
}

/** The last list if the data did not change (or changed less than a minute after it was made), else a new one. */
async function candidates(store: Store): Promise<Computed> {
  const known = computed.get(store);
  if (known && (Date.now() - known.at < REUSE_MS || known.stamp === (await dataStamp(store.db)))) return known;
  let running = computing.get(store);
  if (!running) {
    running = compute(store).finally(() => computing.delete(store));
    computing.set(store, running);
  }
  return running;
}

async function decidedPairs(store: Store): Promise<Set<string>> {
  const rows = await store.db.selectFrom('duplicate_decision').select(['person_low', 'person_high']).execute();
  return new Set(rows.map((row) => `${row.person_low}:${row.person_high}`));
}

// ------------------------------------------------------------------ what a member may see of a pair

/** The comparison redone on what the viewer may see, so no hidden name or date shows in the reasons. */
function nameRecord(person: PersonRecord, view: PersonView): NameRecord {
  return {
    id: person.id, names: view.names.map((n) => ({ family: n.family, given: n.given, patronymic: n.patronymic, full: n.full_name, lang: n.lang })),
    birthDate: view.birth_date ?? null, region: view.region ?? null,
  };
}

interface SeenPair {
  a: PersonRecord;
  b: PersonRecord;
  viewA: PersonView;
  viewB: PersonView;
  score: number;
  reasons: string[];
  restricted: { id: number; fields: string[] }[];
}

function seePair(viewer: Viewer, a: PersonRecord, b: PersonRecord): SeenPair | null {
  const shownA = presentPerson(viewer, a);
  const shownB = presentPerson(viewer, b);
  if (!shownA.view || !shownB.view) return null;
  const { score, reasons } = compareRecords(nameRecord(a, shownA.view), nameRecord(b, shownB.view));
  return { a, b, viewA: shownA.view, viewB: shownB.view, score, reasons, restricted: [{ id: a.id, fields: shownA.restricted }, { id: b.id, fields: shownB.restricted }] };
}

function ensureMayMerge(ctx: AdminContext): void {
  if (!can(ctx.member, 'merge')) throw new VigilError('forbidden', `your role (${ctx.member.role}) may not merge records or decide on duplicates`, 403);
}

const percent = (ctx: AdminContext, score: number) => `${formatNumber(ctx.lang, Math.round(score * 100))} %`;
const nameOf = (view: PersonView) => displayName(view.names) || view.external_id;

// ------------------------------------------------------------------ the list

async function listPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, request } = input;
  ensureMayMerge(ctx);
  const page = Math.max(1, Math.min(10_000, Math.floor(Number(ctx.query.page) || 1)));
  const list = await candidates(store);
  const decided = await decidedPairs(store);
  const open = list.pairs.filter((pair) => !decided.has(`${pair.a.id}:${pair.b.id}`));
  const slice = open.slice((page - 1) * PAGE, page * PAGE);
  const people = new Map((await personsByIds(store.db, [...new Set(slice.flatMap((pair) => [pair.a.id, pair.b.id]))])).map((p) => [p.id, p]));
  const rows = slice.flatMap((pair) => {
    const a = people.get(pair.a.id);
    const b = people.get(pair.b.id);
    // Merged since the list was made: no longer a pair to decide.
    if (!a || !b || a.merged_into !== null || b.merged_into !== null) return [];
    const seen = seePair(ctx.member, a, b);
    return seen ? [seen] : [];
  });
  await auditRestrictedRead(store, request, 'person', rows.flatMap((row) => row.restricted));
  const pages = Math.max(1, Math.ceil(open.length / PAGE));
  return {
    title: d(ctx, 'title'),
    main: html`<h1>${d(ctx, 'title')}</h1>
<p class="muted">${d(ctx, 'intro')}</p>
<p class="muted">${d(ctx, 'computed', { n: open.length, at: new Date(list.at).toISOString().slice(11, 16), ms: list.ms })}</p>
${list.full ? '' : html`<p class="warning">${d(ctx, 'recent_only', { people: list.people, n: RECENT_PEOPLE })} <code>vigil duplicates</code></p>`}
${rows.length === 0 ? html`<p>${d(ctx, 'none')}</p>` : html`<div class="table-wrap"><table><thead><tr><th scope="col">${d(ctx, 'pair')}</th><th scope="col">${d(ctx, 'score')}</th><th scope="col">${d(ctx, 'reasons')}</th><th scope="col"></th></tr></thead><tbody>
${rows.map((row) => html`<tr><td>${nameOf(row.viewA)} <span class="muted">${row.a.external_id}</span><br>${nameOf(row.viewB)} <span class="muted">${row.b.external_id}</span></td>
<td>${percent(ctx, row.score)}</td><td>${row.reasons.join('; ')}</td><td><a href="${adminLink(ctx, `/admin/duplicates/${row.a.id}/${row.b.id}`)}">${d(ctx, 'compare')}</a></td></tr>`)}
</tbody></table></div>`}
<p class="pager">${page > 1 ? html`<a href="${adminLink(ctx, '/admin/duplicates', { page: page - 1 })}">${d(ctx, 'previous')}</a> ` : ''}${d(ctx, 'page', { n: page })} / ${pages}${page < pages ? html` <a href="${adminLink(ctx, '/admin/duplicates', { page: page + 1 })}">${d(ctx, 'next')}</a>` : ''}</p>`,
  };
}

// ------------------------------------------------------------------ one pair, side by side

function side(ctx: AdminContext, name: 'A' | 'B', person: PersonRecord, view: PersonView, events: Html): Html {
  return html`<section><h2>${d(ctx, 'record', { side: name })}: <a href="${adminLink(ctx, `/admin/persons/${person.id}`)}">${nameOf(view)}</a></h2>
<h3>${d(ctx, 'names')}</h3>
<ul>${view.names.map((n) => html`<li${n.lang ? html` lang="${n.lang}"` : ''}>${[n.family, n.given, n.patronymic].filter(Boolean).join(' ') || n.full_name} <span class="muted">${n.lang ?? ''}</span> ${levelBadge(ctx, n.confidentiality)}</li>`)}</ul>
<h3>${d(ctx, 'facts')}</h3>
<dl class="facts"><dt>${d(ctx, 'external_id')}</dt><dd>${person.external_id}</dd>
${view.birth_date ? html`<dt>${d(ctx, 'birth_date')}</dt><dd>${formatDate(ctx.lang, view.birth_date)}</dd>` : ''}
${view.gender ? html`<dt>${d(ctx, 'gender')}</dt><dd>${label(GENDER_LABELS, ctx.lang, view.gender)}</dd>` : ''}
${view.region ? html`<dt>${d(ctx, 'region')}</dt><dd>${view.region}</dd>` : ''}
${view.occupation ? html`<dt>${d(ctx, 'occupation')}</dt><dd>${view.occupation}</dd>` : ''}
${person.merged_into !== null ? html`<dt></dt><dd>${d(ctx, 'merged', { id: person.merged_into })}</dd>` : ''}
</dl>
<h3>${d(ctx, 'events')}</h3>
${events}
</section>`;
}

async function eventsBlock(input: AdminInput, person: PersonRecord): Promise<Html> {
  const { ctx, store, request } = input;
  const shown = (await eventsOfPerson(store.db, person.id)).map((event) => ({ event, ...presentEvent(ctx.member, event, person.publish) }));
  await auditRestrictedRead(store, request, 'event', shown.map((s) => ({ id: s.event.id, fields: s.restricted })));
  const visible = shown.filter((s) => s.view);
  if (visible.length === 0) return html`<p>${d(ctx, 'no_events')}</p>`;
  return html`<ul>${visible.map(({ event }) => html`<li>${formatDate(ctx.lang, event.date)} — ${label(EVENT_LABELS, ctx.lang, event.type)}${event.facility ? ` · ${event.facility}` : ''}${event.articles.length > 0 ? ` · ${event.articles.join(', ')}` : ''}</li>`)}</ul>`;
}

function decisionForms(ctx: AdminContext, pair: SeenPair, reason: string): Child {
  if (pair.a.merged_into !== null || pair.b.merged_into !== null) return null;
  const base = `/admin/duplicates/${pair.a.id}/${pair.b.id}`;
  return html`<form method="post" action="${adminLink(ctx, `${base}/decide`)}" class="record">${csrfField(ctx)}
${field({ name: 'reason', label: d(ctx, 'reason'), value: reason, required: true })}
<p class="muted">${d(ctx, 'merge_hint')}</p>
<div class="actions">
<button type="submit" name="decision" value="keep_a">${d(ctx, 'merge_keep', { side: 'A' })}</button>
<button type="submit" name="decision" value="keep_b">${d(ctx, 'merge_keep', { side: 'B' })}</button>
<button type="submit" name="decision" value="not_same" class="secondary">${d(ctx, 'not_same')}</button>
</div>
<p class="muted">${d(ctx, 'not_same_hint')}</p>
</form>`;
}

async function loadPair(input: AdminInput): Promise<SeenPair> {
  const ids = [input.params.a, input.params.b].map((value) => (value && /^\d{1,12}$/.test(value) ? Number(value) : NaN));
  if (ids.some(Number.isNaN) || ids[0] === ids[1]) throw errors.notFound(`pair ${input.params.a}/${input.params.b}`);
  const [a, b] = await personsByIds(input.store.db, ids);
  const pair = a && b ? seePair(input.ctx.member, a, b) : null;
  if (!pair) throw errors.notFound(`pair ${input.params.a}/${input.params.b}`);
  return pair;
}

async function pairPage(input: AdminInput, sentBack: { problem?: string; reason?: string; status?: number } = {}): Promise<AdminResult> {
  const { ctx, store, request } = input;
  ensureMayMerge(ctx);
  const pair = await loadPair(input);
  await auditRestrictedRead(store, request, 'person', pair.restricted);
  const [low, high] = pair.a.id < pair.b.id ? [pair.a.id, pair.b.id] : [pair.b.id, pair.a.id];
  const earlier = await store.db.selectFrom('duplicate_decision').selectAll().where('person_low', '=', low).where('person_high', '=', high).executeTakeFirst();
  return {
    status: sentBack.status ?? 200,
    title: d(ctx, 'compare_title'),
    main: html`<h1>${d(ctx, 'compare_title')}</h1>
<p><a href="${adminLink(ctx, '/admin/duplicates')}">${d(ctx, 'title')}</a></p>
${sentBack.problem ? formErrors(ctx, [sentBack.problem]) : ''}
<p><strong>${d(ctx, 'score')}: ${percent(ctx, pair.score)}</strong></p>
<ul>${pair.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>
${earlier ? html`<p class="warning">${d(ctx, 'decided', { decision: d(ctx, earlier.decision === 'same' ? 'decision_same' : 'decision_not_same'), who: earlier.actor, at: earlier.at.slice(0, 16).replace('T', ' '), why: earlier.reason })}</p>` : ''}
<div class="side-by-side">
${side(ctx, 'A', pair.a, pair.viewA, await eventsBlock(input, pair.a))}
${side(ctx, 'B', pair.b, pair.viewB, await eventsBlock(input, pair.b))}
</div>
${decisionForms(ctx, pair, sentBack.reason ?? '')}`,
  };
}

async function decide(input: AdminInput): Promise<AdminResult> {
  const { ctx, store, body, request } = input;
  ensureMayMerge(ctx);
  const pair = await loadPair(input);
  const decision = one(body, 'decision');
  const reason = one(body, 'reason');
  const context = { actor: ctx.member.email, reason, ip: request.ip };
  try {
    if (decision === 'keep_a') await mergePeople(store, pair.a.external_id, pair.b.external_id, context);
    else if (decision === 'keep_b') await mergePeople(store, pair.b.external_id, pair.a.external_id, context);
    else if (decision === 'not_same') await markNotSame(store, pair.a.external_id, pair.b.external_id, context);
    else throw errors.validation(`decision: "${decision}" is not one of keep_a, keep_b, not_same`);
  } catch (error) {
    if (!isVigilError(error) || error.status === 403 || error.status === 404) throw error;
    const problem = error.id === 'version_conflict'
      ? t(ctx, 'conflict', { yours: (error.details as { expected: number }).expected, theirs: (error.details as { actual: number }).actual })
      : error.message;
    return pairPage(input, { problem, reason, status: error.status });
  }
  return { redirect: adminLink(ctx, '/admin/duplicates', { done: decision === 'not_same' ? 'not_same' : 'merged' }) };
}

export const duplicateRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/duplicates', handler: listPage },
  { method: 'GET', path: '/admin/duplicates/:a/:b', handler: (input) => pairPage(input) },
  { method: 'POST', path: '/admin/duplicates/:a/:b/decide', handler: decide },
];
