/**
 * The public side of health and risk flags, on the home page: how many political prisoners held today
 * are seriously ill, live with a disability or are 60 or older. Aggregates over everyone held; no
 * person is named and no detail is shown (the details are restricted).
 */
import type { RiskCounts } from '../../../features/casework/health.service.js';
import { html, type Html } from '../html.js';
import { formatNumber, messages, say, type Lang } from '../i18n.js';

export const riskText = messages('risk', {
  en: {
    title: 'Health and age',
    serious_illness: 'seriously ill',
    disability: 'living with a disability',
    elderly: 'aged 60 or older',
    note: 'Among the political prisoners held today, as far as documented. The figures count everyone and name no one.',
  },
  be: {
    title: 'Здароўе і ўзрост',
    serious_illness: 'цяжка хворыя',
    disability: 'з інваліднасцю',
    elderly: 'ва ўзросце 60 гадоў і старэйшыя',
    note: 'Сярод палітвязняў за кратамі сёння, наколькі гэта задакументавана. Лічбы ўлічваюць усіх і нікога не называюць.',
  },
  ru: {
    title: 'Здоровье и возраст',
    serious_illness: 'тяжело больны',
    disability: 'с инвалидностью',
    elderly: 'в возрасте 60 лет и старше',
    note: 'Среди политзаключённых под стражей сегодня, насколько это задокументировано. Цифры учитывают всех и никого не называют.',
  },
});

const SHOWN = ['serious_illness', 'disability', 'elderly'] as const;

/** Nothing when no flag is documented: "0 seriously ill" would claim more than the records know. */
export function riskFigures(lang: Lang, counts: RiskCounts): Html {
  if (SHOWN.every((kind) => counts[kind] === 0)) return html``;
  return html`<section aria-labelledby="risk"><h2 id="risk">${say(lang, riskText, 'title')}</h2>
<ul class="figures">${SHOWN.map((kind) => html`<li><strong>${formatNumber(lang, counts[kind])}</strong> ${say(lang, riskText, kind)}</li>`)}</ul>
<p class="muted">${say(lang, riskText, 'note')}</p></section>`;
}
