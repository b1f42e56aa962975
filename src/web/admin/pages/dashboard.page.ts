/** The coordinator's dashboard: counts today, this week's changes, records that need attention, the review queue. */
import { dashboard } from '../../../features/workspace/dashboard.service.js';
import { html } from '../../site/html.js';
import { formatNumber, messages, say, type Params } from '../../site/i18n.js';
import { adminLink, type AdminContext } from '../admin-layout.js';
import type { AdminInput, AdminResult, AdminRoute } from '../admin.js';

const text = messages('admin-dashboard', {
  en: {
    title: 'Dashboard', today: 'Today', political_prisoners: 'political prisoners', in_custody: 'in custody', released: 'released political prisoners', died: 'died in custody',
    week: 'This week', changes: 'changes to records', imports: 'imports', recent: 'Latest changes', who: 'Who', what: 'What', when: 'When', why: 'Why',
    without_source: 'People without any source', without_source_hint: 'Neither the record nor any of its events cites a source.',
    stale: 'Records not updated for six months', waiting: 'Waiting for review', review_queue: 'Open the review queue', duplicates: 'Check possible duplicates',
    more: '{n} in all; the first are listed.', none: 'None.',
  },
  be: {
    title: 'Агляд', today: 'Сёння', political_prisoners: 'палітвязняў', in_custody: 'пад вартай', released: 'вызваленых палітвязняў', died: 'памерлі пад вартай',
    week: 'Гэты тыдзень', changes: 'змен у запісах', imports: 'імпартаў', recent: 'Апошнія змены', who: 'Хто', what: 'Што', when: 'Калі', why: 'Чаму',
    without_source: 'Людзі без ніводнай крыніцы', without_source_hint: 'Ні запіс, ні ніводная яго падзея не спасылаюцца на крыніцу.',
    stale: 'Запісы, не абноўленыя паўгода', waiting: 'Чакаюць праверкі', review_queue: 'Адкрыць чаргу праверкі', duplicates: 'Праверыць магчымыя дублі',
    more: 'Усяго {n}; паказаныя першыя.', none: 'Няма.',
  },
  ru: {
    title: 'Обзор', today: 'Сегодня', political_prisoners: 'политзаключённых', in_custody: 'под стражей', released: 'освобождённых политзаключённых', died: 'умерли под стражей',
    week: 'Эта неделя', changes: 'изменений в записях', imports: 'импортов', recent: 'Последние изменения', who: 'Кто', what: 'Что', when: 'Когда', why: 'Почему',
    without_source: 'Люди без единого источника', without_source_hint: 'Ни запись, ни одно её событие не ссылаются на источник.',
    stale: 'Записи, не обновлявшиеся полгода', waiting: 'Ждут проверки', review_queue: 'Открыть очередь проверки', duplicates: 'Проверить возможные дубли',
    more: 'Всего {n}; показаны первые.', none: 'Нет.',
  },
});

type Key = keyof typeof text.texts.en;
const d = (ctx: Pick<AdminContext, 'lang'>, key: Key, params?: Params) => say(ctx.lang, text, key, params);

/** Counts of items waiting for review, contributed by the modules that keep such queues. */
export type ReviewCounter = (input: AdminInput) => Promise<number>;
const reviewCounters: ReviewCounter[] = [];
export function countForReview(counter: ReviewCounter): void {
  reviewCounters.push(counter);
}

async function dashboardPage(input: AdminInput): Promise<AdminResult> {
  const { ctx, store } = input;
  const board = await dashboard(store, ctx.member);
  const waiting = (await Promise.all(reviewCounters.map((count) => count(input)))).reduce((a, b) => a + b, 0);
  const n = (value: number) => formatNumber(ctx.lang, value);
  const people = (list: { id: number; external_id: string; name: string }[], total: number) =>
    list.length === 0 ? html`<p>${d(ctx, 'none')}</p>` : html`<ul>${list.map((person) => html`<li><a href="${adminLink(ctx, `/admin/persons/${person.id}`)}">${person.name}</a> <span class="muted">${person.external_id}</span></li>`)}</ul>${total > list.length ? html`<p class="muted">${d(ctx, 'more', { n: total })}</p>` : ''}`;
  return {
    title: d(ctx, 'title'),
    main: html`<h1>${d(ctx, 'title')}</h1>
<h2>${d(ctx, 'today')}</h2>
<ul class="cards">
<li><strong>${n(board.counts.political_prisoners)}</strong>${d(ctx, 'political_prisoners')}</li>
<li><strong>${n(board.counts.in_custody)}</strong>${d(ctx, 'in_custody')}</li>
<li><strong>${n(board.counts.released_political_prisoners)}</strong>${d(ctx, 'released')}</li>
<li><strong>${n(board.counts.died_in_custody)}</strong>${d(ctx, 'died')}</li>
</ul>
<h2>${d(ctx, 'week')}</h2>
<ul class="cards">
<li><strong>${n(board.changesThisWeek)}</strong>${d(ctx, 'changes')}</li>
<li><strong>${n(board.importsThisWeek)}</strong>${d(ctx, 'imports')}</li>
<li id="waiting"><strong>${n(waiting)}</strong>${d(ctx, 'waiting')} — <a href="${adminLink(ctx, '/admin/review')}">${d(ctx, 'review_queue')}</a></li>
</ul>
<p><a href="${adminLink(ctx, '/admin/duplicates')}">${d(ctx, 'duplicates')}</a></p>
<h2 id="without-source">${d(ctx, 'without_source')} (${n(board.withoutSource.total)})</h2>
<p class="muted">${d(ctx, 'without_source_hint')}</p>
${people(board.withoutSource.first, board.withoutSource.total)}
<h2 id="stale">${d(ctx, 'stale')} (${n(board.stale.total)})</h2>
${people(board.stale.first, board.stale.total)}
<h2>${d(ctx, 'recent')}</h2>
<div class="table-wrap"><table><thead><tr><th>${d(ctx, 'when')}</th><th>${d(ctx, 'who')}</th><th>${d(ctx, 'what')}</th><th>${d(ctx, 'why')}</th></tr></thead><tbody>
${board.recentChanges.map((change) => html`<tr><td>${change.at.slice(0, 16).replace('T', ' ')}</td><td>${change.actor}</td><td>${change.action} ${change.entity === 'person' ? html`<a href="${adminLink(ctx, `/admin/persons/${change.entity_id}`)}">${change.entity} #${change.entity_id}</a>` : `${change.entity} #${change.entity_id}`}</td><td>${change.reason ?? ''}</td></tr>`)}
</tbody></table></div>`,
  };
}

export const dashboardRoutes: readonly AdminRoute[] = [{ method: 'GET', path: '/admin', handler: dashboardPage }];
