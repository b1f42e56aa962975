/** The home page: today's count of political prisoners, how it changed this month, and the count since 2020. */
import { z } from 'zod';
import { PUBLIC } from '../../../domain/policy.js';
import { monthChanges, statsOn } from '../../../features/stats/stats.service.js';
import { releaseTimeline, type TimelineMonth } from '../../../features/releases/timeline.service.js';
import { countChart, type ChartMark } from '../chart.js';
import { html } from '../html.js';
import { formatDate, formatNumber, messages } from '../i18n.js';
import { link, translator } from '../layout.js';
import { sitePage } from '../site.js';
import { riskCountsOn } from '../../../features/casework/health.service.js';
import { riskFigures } from './risk-counts.js';

export const homeText = messages('home', {
  en: {
    title: 'Political prisoners in Belarus',
    count: { one: 'political prisoner in Belarus today', other: 'political prisoners in Belarus today' },
    as_of: 'As of {date}, computed from documented events.',
    in_custody: 'in custody for any reason known to us',
    released_total: 'former political prisoners released',
    died: 'died in custody',
    month_released: { one: 'political prisoner released since {from}', other: 'political prisoners released since {from}' },
    month_recognized: { one: 'person recognised as a political prisoner since {from}', other: 'people recognised as political prisoners since {from}' },
    chart_title: 'Political prisoners, month by month since {from}',
    chart_desc: 'The number of political prisoners at the end of each month from {from} ({first}) to {to} ({last}); highest {max} in {maxMonth}.',
    marks: 'Marked on the chart',
    deal_mark: 'negotiated release on {date}: {released} released, {expelled} expelled',
    arrest_mark: 'mass arrests in {month}: {n} detentions',
    table: 'The figures as a table',
    month: 'Month', political: 'Political prisoners', arrests: 'Detentions', released_by_deals: 'Released in deals',
    list_link: 'See the list of political prisoners', releases_link: 'Negotiated releases',
  },
  be: {
    title: 'Палітвязні ў Беларусі',
    count: { one: 'палітвязень у Беларусі сёння', few: 'палітвязні ў Беларусі сёння', many: 'палітвязняў у Беларусі сёння', other: 'палітвязня ў Беларусі сёння' },
    as_of: 'На {date}, вылічана з задакументаваных падзей.',
    in_custody: 'за кратамі з любой вядомай нам прычыны',
    released_total: 'былыя палітвязні на волі',
    died: 'памерлі ў зняволенні',
    month_released: { one: 'палітвязень вызвалены з {from}', few: 'палітвязні вызваленыя з {from}', many: 'палітвязняў вызвалена з {from}', other: 'палітвязня вызвалена з {from}' },
    month_recognized: { one: 'чалавек прызнаны палітвязнем з {from}', few: 'чалавекі прызнаныя палітвязнямі з {from}', many: 'чалавек прызнаныя палітвязнямі з {from}', other: 'чалавека прызнана палітвязнямі з {from}' },
    chart_title: 'Колькасць палітвязняў па месяцах з {from}',
    chart_desc: 'Колькасць палітвязняў на канец кожнага месяца з {from} ({first}) па {to} ({last}); найбольш — {max} у {maxMonth}.',
    marks: 'Пазначана на графіку',
    deal_mark: 'вызваленне праз перамовы {date}: вызвалена {released}, выслана {expelled}',
    arrest_mark: 'масавыя затрыманні ў {month}: {n} затрыманняў',
    table: 'Лічбы ў табліцы',
    month: 'Месяц', political: 'Палітвязні', arrests: 'Затрыманні', released_by_deals: 'Вызвалены праз перамовы',
    list_link: 'Глядзець спіс палітвязняў', releases_link: 'Вызваленні праз перамовы',
  },
  ru: {
    title: 'Политзаключённые в Беларуси',
    count: { one: 'политзаключённый в Беларуси сегодня', few: 'политзаключённых в Беларуси сегодня', many: 'политзаключённых в Беларуси сегодня', other: 'политзаключённого в Беларуси сегодня' },
    as_of: 'На {date}, вычислено из задокументированных событий.',
    in_custody: 'под стражей по любой известной нам причине',
    released_total: 'бывших политзаключённых на свободе',
    died: 'умерли в заключении',
    month_released: { one: 'политзаключённый освобождён с {from}', few: 'политзаключённых освобождены с {from}', many: 'политзаключённых освобождены с {from}', other: 'политзаключённого освобождено с {from}' },
    month_recognized: { one: 'человек признан политзаключённым с {from}', few: 'человека признаны политзаключёнными с {from}', many: 'человек признаны политзаключёнными с {from}', other: 'человека признано политзаключёнными с {from}' },
    chart_title: 'Число политзаключённых по месяцам с {from}',
    chart_desc: 'Число политзаключённых на конец каждого месяца с {from} ({first}) по {to} ({last}); больше всего — {max} в {maxMonth}.',
    marks: 'Отмечено на графике',
    deal_mark: 'освобождение в результате переговоров {date}: освобождено {released}, выслано {expelled}',
    arrest_mark: 'массовые задержания в {month}: {n} задержаний',
    table: 'Цифры в таблице',
    month: 'Месяц', political: 'Политзаключённые', arrests: 'Задержания', released_by_deals: 'Освобождены по договорённостям',
    list_link: 'Смотреть список политзаключённых', releases_link: 'Освобождения по договорённостям',
  },
});

export const CHART_FROM = '2020-01-01';

/**
 * Months with many more detentions than usual: at least 2.5 times the median month (the median, so the
 * spikes themselves do not raise the bar) and at least 10; the five largest.
 */
export function massArrestMonths(months: readonly TimelineMonth[]): TimelineMonth[] {
  const sorted = months.map((m) => m.arrests).sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
  return months
    .filter((m) => m.arrests >= Math.max(10, 2.5 * median))
    .sort((a, b) => b.arrests - a.arrests)
    .slice(0, 5)
    .sort((a, b) => a.date.localeCompare(b.date));
}

export const homePage = sitePage({
  path: '/',
  query: z.object({}),
  async render({ ctx, store }) {
    const t = translator(ctx, homeText);
    const date = (d: string) => formatDate(ctx.lang, d);
    const [counts, month, timeline, risks] = await Promise.all([
      statsOn(store, ctx.today),
      monthChanges(store, ctx.today),
      ctx.today >= CHART_FROM ? releaseTimeline(store, PUBLIC, CHART_FROM, ctx.today) : Promise.resolve([]),
      riskCountsOn(store, ctx.today),
    ]);
    const deals = await store.db.selectFrom('release_deal').select(['slug', 'date', 'confidentiality']).where('confidentiality', '=', 'public').orderBy('date').execute();
    const marks: (ChartMark & { text: string })[] = [];
    deals.forEach((deal) => {
      const inMonth = timeline.find((m) => m.deals.includes(deal.slug));
      marks.push({ kind: 'deal', date: deal.date.length === 4 ? `${deal.date}-07-01` : deal.date, label: '', text: t('deal_mark', { date: date(deal.date), released: inMonth?.released_by_deals ?? 0, expelled: inMonth?.expelled_by_deals ?? 0 }) });
    });
    for (const m of massArrestMonths(timeline)) {
      marks.push({ kind: 'arrests', date: `${m.date.slice(0, 7)}-15`, label: '', text: t('arrest_mark', { month: date(m.date.slice(0, 7)), n: m.arrests }) });
    }
    marks.sort((a, b) => a.date.localeCompare(b.date)).forEach((mark, i) => (mark.label = String(i + 1)));
    const points = timeline.map((m) => ({ date: m.date, value: m.political_prisoners }));
    const peak = timeline.reduce<TimelineMonth | undefined>((best, m) => (!best || m.political_prisoners > best.political_prisoners ? m : best), undefined);
    const chart = peak
      ? countChart(ctx.lang, points, marks, t('chart_title', { from: date(CHART_FROM.slice(0, 4)) }), t('chart_desc', {
          from: date(CHART_FROM.slice(0, 7)), first: points[0]!.value, to: date(ctx.today), last: points.at(-1)!.value, max: peak.political_prisoners, maxMonth: date(peak.date.slice(0, 7)),
        }))
      : html``;
    const since = date(month.from);
    return {
      title: t('title'),
      description: `${counts.political_prisoners} ${t('count', { n: counts.political_prisoners })}`,
      main: html`
<h1 class="sr-only">${t('title')}</h1>
<p class="lead"><strong class="count">${formatNumber(ctx.lang, counts.political_prisoners)}</strong> ${t('count', { n: counts.political_prisoners })}</p>
<p class="muted">${t('as_of', { date: date(ctx.today) })}</p>
<ul class="figures">
<li><strong>${String(month.released)}</strong> ${t('month_released', { n: month.released, from: since })}</li>
<li><strong>${String(month.recognized)}</strong> ${t('month_recognized', { n: month.recognized, from: since })}</li>
<li><strong>${String(counts.released_political_prisoners)}</strong> ${t('released_total')}</li>
<li><strong>${String(counts.in_custody)}</strong> ${t('in_custody')}</li>
<li><strong>${String(counts.died_in_custody)}</strong> ${t('died')}</li>
</ul>
${riskFigures(ctx.lang, risks)}
<p><a class="button" href="${link(ctx, '/prisoners')}">${t('list_link')}</a> <a href="${link(ctx, '/releases')}">${t('releases_link')}</a></p>
${peak ? html`<figure class="chart">${chart}<figcaption>${t('chart_title', { from: date(CHART_FROM.slice(0, 4)) })}</figcaption></figure>` : ''}
${marks.length ? html`<h2>${t('marks')}</h2><ol>${marks.map((mark) => html`<li>${mark.text}</li>`)}</ol>` : ''}
${timeline.length ? html`<details><summary>${t('table')}</summary><div class="table-wrap"><table>
<thead><tr><th scope="col">${t('month')}</th><th scope="col" class="num">${t('political')}</th><th scope="col" class="num">${t('arrests')}</th><th scope="col" class="num">${t('released_by_deals')}</th></tr></thead>
<tbody>${timeline.map((m) => html`<tr><th scope="row">${m.date.slice(0, 7)}</th><td class="num">${m.political_prisoners}</td><td class="num">${m.arrests}</td><td class="num">${m.released_by_deals + m.expelled_by_deals}</td></tr>`)}</tbody>
</table></div></details>` : ''}`,
    };
  },
});
