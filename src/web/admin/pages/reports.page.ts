/**
 * Reports in the workspace: links to the printable documents and the analysts' files the API produces
 * (each checks the member's role and shows only what they may see; the browser sends the session cookie).
 */
import { can } from '../../../domain/policy.js';
import { html } from '../../site/html.js';
import { messages, say } from '../../site/i18n.js';
import type { AdminContext } from '../admin-layout.js';
import type { AdminInput, AdminResult, AdminRoute } from '../admin.js';

const text = messages('admin-reports', {
  en: {
    title: 'Reports', releases: 'Negotiated releases', releases_all: 'Released by deal and destination, still held among those asked for, re-arrested after release — printable (all deals)',
    timeline: 'Timeline for analysts: the count of political prisoners with releases, arrests and sanction measures (CSV)',
    accountability: 'Accountability (for UN and OSCE submissions)', by_official: 'per official', by_court: 'per court', by_facility: 'per place of detention',
    printable: 'printable', csv: 'CSV', export_note: 'Reports are exports: they are written to the audit trail, and list only what your role may see.',
    no_export: 'Your role may not export; reports are for researchers, editors and admins.',
  },
  be: {
    title: 'Справаздачы', releases: 'Вызваленні паводле пагадненняў', releases_all: 'Вызваленыя паводле пагаднення і краіны, тыя з прасілі, хто яшчэ за кратамі, зноў затрыманыя — для друку (усе пагадненні)',
    timeline: 'Храналогія для аналітыкаў: колькасць палітвязняў з вызваленнямі, арыштамі і санкцыямі (CSV)',
    accountability: 'Адказнасць (для зваротаў у ААН і АБСЕ)', by_official: 'паводле службовай асобы', by_court: 'паводле суда', by_facility: 'паводле месца ўтрымання',
    printable: 'для друку', csv: 'CSV', export_note: 'Справаздачы — гэта экспарт: яны запісваюцца ў журнал аўдыту і паказваюць толькі тое, што дазваляе ваша роля.',
    no_export: 'Ваша роля не дазваляе экспарт; справаздачы для даследчыкаў, рэдактараў і адміністратараў.',
  },
  ru: {
    title: 'Отчёты', releases: 'Освобождения по соглашениям', releases_all: 'Освобождённые по соглашению и стране, кто из запрошенных ещё в заключении, повторно задержанные — для печати (все соглашения)',
    timeline: 'Хронология для аналитиков: число политзаключённых с освобождениями, арестами и санкциями (CSV)',
    accountability: 'Ответственность (для обращений в ООН и ОБСЕ)', by_official: 'по должностному лицу', by_court: 'по суду', by_facility: 'по месту содержания',
    printable: 'для печати', csv: 'CSV', export_note: 'Отчёты — это экспорт: они записываются в журнал аудита и показывают только то, что позволяет ваша роль.',
    no_export: 'Ваша роль не позволяет экспорт; отчёты для исследователей, редакторов и администраторов.',
  },
});

const r = (ctx: Pick<AdminContext, 'lang'>, key: keyof typeof text.texts.en) => say(ctx.lang, text, key);

async function reportsPage({ ctx }: AdminInput): Promise<AdminResult> {
  const exporting = can(ctx.member, 'export');
  return {
    title: r(ctx, 'title'),
    main: html`<h1>${r(ctx, 'title')}</h1>
<h2>${r(ctx, 'releases')}</h2>
<ul><li><a href="/api/v1/reports/releases.html">${r(ctx, 'releases_all')}</a></li>
<li><a href="/api/v1/reports/timeline.csv">${r(ctx, 'timeline')}</a></li></ul>
<h2>${r(ctx, 'accountability')}</h2>
${exporting ? html`<ul>${(['official', 'court', 'facility'] as const).map((by) => html`<li>${r(ctx, `by_${by}`)}: <a href="/api/v1/reports/accountability?by=${by}&amp;format=html">${r(ctx, 'printable')}</a> · <a href="/api/v1/reports/accountability?by=${by}&amp;format=csv">${r(ctx, 'csv')}</a></li>`)}</ul>
<p class="muted">${r(ctx, 'export_note')}</p>` : html`<p>${r(ctx, 'no_export')}</p>`}`,
  };
}

export const reportRoutes: readonly AdminRoute[] = [{ method: 'GET', path: '/admin/reports', handler: reportsPage }];
