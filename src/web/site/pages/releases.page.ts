/**
 * Negotiated releases: every deal the public may see (newest first) with its counts, conditions and the
 * sanctions eased or lifted in return, and a page per deal naming the freed and those still held — only
 * people in the public registry, everyone else counted (features/releases/public-deals.service.ts).
 */
import { z } from 'zod';
import type { DealCondition, DealOutcome } from '../../../domain/release-deal.js';
import { publicDealDetail, publicRearrests, publicReleases, type FreedPerson, type HeldPerson, type Named, type PublicDeal, type PublicRearrest } from '../../../features/releases/public-deals.service.js';
import type { PublicPerson, PublicRegistry } from '../../../features/public/public-registry.service.js';
import { html, type Child, type Html } from '../html.js';
import { countryName, formatDate, formatNumber, messages } from '../i18n.js';
import { link, translator, type PageContext } from '../layout.js';
import { problemPage, sitePage } from '../site.js';

export const releasesText = messages('releases', {
  en: {
    title: 'Negotiated releases',
    intro: 'Groups of political prisoners have been freed in deals that foreign governments negotiated with the Belarusian authorities, often in exchange for easing sanctions. Many of those freed were forcibly taken out of the country. The counts include everyone; people are named only with their families’ consent.',
    fig_deals: { one: 'negotiated release since {from}', other: 'negotiated releases since {from}' },
    fig_freed: { one: 'person freed', other: 'people freed' },
    fig_expelled: { one: 'of them expelled from the country', other: 'of them expelled from the country' },
    fig_refused: { one: 'refused expulsion and was taken back to prison', other: 'refused expulsion and were taken back to prison' },
    fig_held: { one: 'person asked for is still held', other: 'people asked for are still held' },
    none: 'No negotiated release has been documented yet.',
    table_caption: 'All negotiated releases, newest first',
    col_date: 'Date', col_facilitator: 'Mediated by', col_freed: 'Freed', col_expelled: 'Expelled', col_where: 'Taken to', col_held: 'Still held',
    deal_title: 'Negotiated release of {date}',
    details: 'Details and names: the release of {date}',
    facts: 'Facts', date: 'Date', facilitator: 'Mediated by', envoy: 'Envoy', counterpart: 'Other party', destinations: 'Destinations',
    released: 'Freed, stayed in Belarus', expelled: 'Freed and expelled', refused: 'Refused expulsion, taken back to prison', held: 'Asked for, still held',
    conditions: 'Conditions', no_conditions: 'none documented',
    people: { one: '{n} person', other: '{n} people' },
    concessions_caption: 'Sanctions eased or lifted in return',
    col_issuer: 'Imposed by', col_measure: 'Measure', col_action: 'Change',
    no_concessions: 'No sanctions relief in return for this release has been documented.',
    eased: 'eased', lifted: 'lifted',
    freed_heading: { one: '{n} person freed', other: '{n} people freed' },
    freed_caption: 'Freed in this release: people named publicly',
    held_heading: { one: '{n} person asked for is still held', other: '{n} people asked for are still held' },
    held_caption: 'Still held: people asked for who are named publicly',
    col_name: 'Name', col_to: 'Where to', col_what: 'What happened', col_place: 'Held at',
    stayed: 'stayed in Belarus', not_public: 'not known publicly',
    outcome_asked_not_released: 'asked for, not released', outcome_refused_expulsion: 'refused expulsion, taken back to prison', outcome_released: 'freed in this release, detained again',
    not_named: { one: 'and {n} person who is not named publicly', other: 'and {n} people who are not named publicly' },
    none_named: { one: 'This person is not named publicly.', other: 'None of them is named publicly.' },
    nobody_freed: 'No one freed in this release has been documented yet.',
    nobody_held: 'No one asked for in this release is known to be held now.',
    back: 'All negotiated releases',
    rearrest_title: 'Detained again after release',
    rearrest_intro: { one: '{n} person who had been released was later detained again.', other: '{n} people who had been released were later detained again.' },
    rearrest_caption: 'Detained again after release: people named publicly',
    col_released_on: 'Released', col_detained_on: 'Detained again',
  },
  be: {
    title: 'Вызваленні праз перамовы',
    intro: 'Палітвязняў вызваляюць групамі паводле дамоўленасцей, якія замежныя ўрады заключаюць з беларускімі ўладамі, часта ўзамен на змякчэнне санкцый. Многіх вызваленых прымусова вывезлі з краіны. Лічбы ўлічваюць усіх; імёны называюцца толькі са згоды сем’яў.',
    fig_deals: { one: 'вызваленне праз перамовы з {from}', few: 'вызваленні праз перамовы з {from}', many: 'вызваленняў праз перамовы з {from}', other: 'вызвалення праз перамовы з {from}' },
    fig_freed: { one: 'чалавек вызвалены', few: 'чалавекі вызваленыя', many: 'чалавек вызвалена', other: 'чалавека вызвалена' },
    fig_expelled: { one: 'з іх высланы з краіны', few: 'з іх высланыя з краіны', many: 'з іх выслана з краіны', other: 'з іх выслана з краіны' },
    fig_refused: { one: 'адмовіўся(-лася) ад высылкі і вернуты(-ая) ў турму', few: 'адмовіліся ад высылкі і вернутыя ў турму', many: 'адмовіліся ад высылкі і вернутыя ў турму', other: 'адмовіліся ад высылкі і вернутыя ў турму' },
    fig_held: { one: 'чалавек, пра якога прасілі, яшчэ за кратамі', few: 'чалавекі, пра якіх прасілі, яшчэ за кратамі', many: 'чалавек, пра якіх прасілі, яшчэ за кратамі', other: 'чалавека, пра якіх прасілі, яшчэ за кратамі' },
    none: 'Пакуль не задакументавана ніводнага вызвалення праз перамовы.',
    table_caption: 'Усе вызваленні праз перамовы, спачатку новыя',
    col_date: 'Дата', col_facilitator: 'Пасярэднік', col_freed: 'Вызваленыя', col_expelled: 'Высланыя', col_where: 'Куды вывезлі', col_held: 'Яшчэ за кратамі',
    deal_title: 'Вызваленне праз перамовы {date}',
    details: 'Падрабязнасці і імёны: вызваленне {date}',
    facts: 'Звесткі', date: 'Дата', facilitator: 'Пасярэднік', envoy: 'Пасланнік', counterpart: 'Другі бок', destinations: 'Краіны, куды вывезлі',
    released: 'Вызваленыя, засталіся ў Беларусі', expelled: 'Вызваленыя і высланыя', refused: 'Адмовіліся ад высылкі, вернутыя ў турму', held: 'Прасілі вызваліць, яшчэ за кратамі',
    conditions: 'Умовы', no_conditions: 'не задакументаваныя',
    people: { one: '{n} чалавек', few: '{n} чалавекі', many: '{n} чалавек', other: '{n} чалавека' },
    concessions_caption: 'Санкцыі, змякчэныя або знятыя ўзамен',
    col_issuer: 'Хто ўвёў', col_measure: 'Мера', col_action: 'Што зрабілі',
    no_concessions: 'Змякчэнне санкцый узамен на гэтае вызваленне не задакументавана.',
    eased: 'змякчылі', lifted: 'знялі',
    freed_heading: { one: 'Вызвалены {n} чалавек', few: 'Вызваленыя {n} чалавекі', many: 'Вызвалена {n} чалавек', other: 'Вызвалена {n} чалавека' },
    freed_caption: 'Вызваленыя гэтым разам: людзі, чые імёны называюцца публічна',
    held_heading: { one: '{n} чалавек, пра якога прасілі, яшчэ за кратамі', few: '{n} чалавекі, пра якіх прасілі, яшчэ за кратамі', many: '{n} чалавек, пра якіх прасілі, яшчэ за кратамі', other: '{n} чалавека, пра якіх прасілі, яшчэ за кратамі' },
    held_caption: 'Яшчэ за кратамі: людзі, пра якіх прасілі, чые імёны называюцца публічна',
    col_name: 'Імя', col_to: 'Куды', col_what: 'Што адбылося', col_place: 'Месца ўтрымання',
    stayed: 'застаўся(-лася) ў Беларусі', not_public: 'публічна невядома',
    outcome_asked_not_released: 'прасілі вызваліць, не вызвалены(-ая)', outcome_refused_expulsion: 'адмовіўся(-лася) ад высылкі, вернуты(-ая) ў турму', outcome_released: 'вызвалены(-ая) гэтым разам, зноў затрыманы(-ая)',
    not_named: { one: 'і яшчэ {n} чалавек, чыё імя публічна не называецца', few: 'і яшчэ {n} чалавекі, чые імёны публічна не называюцца', many: 'і яшчэ {n} чалавек, чые імёны публічна не называюцца', other: 'і яшчэ {n} чалавека, чые імёны публічна не называюцца' },
    none_named: { one: 'Імя гэтага чалавека публічна не называецца.', few: 'Іх імёны публічна не называюцца.', many: 'Іх імёны публічна не называюцца.', other: 'Іх імёны публічна не называюцца.' },
    nobody_freed: 'Пакуль не задакументавана, каго вызвалілі гэтым разам.',
    nobody_held: 'Наколькі вядома, нікога з тых, пра каго прасілі, цяпер не ўтрымліваюць.',
    back: 'Усе вызваленні праз перамовы',
    rearrest_title: 'Зноў затрыманыя пасля вызвалення',
    rearrest_intro: { one: '{n} чалавек пасля вызвалення быў зноў затрыманы.', few: '{n} чалавекі пасля вызвалення былі зноў затрыманыя.', many: '{n} чалавек пасля вызвалення былі зноў затрыманыя.', other: '{n} чалавека пасля вызвалення былі зноў затрыманыя.' },
    rearrest_caption: 'Зноў затрыманыя пасля вызвалення: людзі, чые імёны называюцца публічна',
    col_released_on: 'Вызвалены(-ая)', col_detained_on: 'Зноў затрыманы(-ая)',
  },
  ru: {
    title: 'Освобождения по договорённостям',
    intro: 'Политзаключённых освобождают группами по договорённостям, которые иностранные правительства заключают с белорусскими властями, часто в обмен на смягчение санкций. Многих освобождённых принудительно вывезли из страны. Числа учитывают всех; имена называются только с согласия семей.',
    fig_deals: { one: 'освобождение по договорённости с {from}', few: 'освобождения по договорённостям с {from}', many: 'освобождений по договорённостям с {from}', other: 'освобождения по договорённостям с {from}' },
    fig_freed: { one: 'человек освобождён', few: 'человека освобождены', many: 'человек освобождены', other: 'человека освобождено' },
    fig_expelled: { one: 'из них выслан из страны', few: 'из них высланы из страны', many: 'из них высланы из страны', other: 'из них выслано из страны' },
    fig_refused: { one: 'отказался(-ась) от высылки и возвращён(-а) в тюрьму', few: 'отказались от высылки и возвращены в тюрьму', many: 'отказались от высылки и возвращены в тюрьму', other: 'отказались от высылки и возвращены в тюрьму' },
    fig_held: { one: 'человек, о котором просили, всё ещё за решёткой', few: 'человека, о которых просили, всё ещё за решёткой', many: 'человек, о которых просили, всё ещё за решёткой', other: 'человека, о которых просили, всё ещё за решёткой' },
    none: 'Пока не задокументировано ни одного освобождения по договорённости.',
    table_caption: 'Все освобождения по договорённостям, сначала новые',
    col_date: 'Дата', col_facilitator: 'Посредник', col_freed: 'Освобождены', col_expelled: 'Высланы', col_where: 'Куда вывезли', col_held: 'Всё ещё за решёткой',
    deal_title: 'Освобождение по договорённости {date}',
    details: 'Подробности и имена: освобождение {date}',
    facts: 'Сведения', date: 'Дата', facilitator: 'Посредник', envoy: 'Посланник', counterpart: 'Другая сторона', destinations: 'Страны, куда вывезли',
    released: 'Освобождены, остались в Беларуси', expelled: 'Освобождены и высланы', refused: 'Отказались от высылки, возвращены в тюрьму', held: 'Просили освободить, всё ещё за решёткой',
    conditions: 'Условия', no_conditions: 'не задокументированы',
    people: { one: '{n} человек', few: '{n} человека', many: '{n} человек', other: '{n} человека' },
    concessions_caption: 'Санкции, смягчённые или снятые взамен',
    col_issuer: 'Кто ввёл', col_measure: 'Мера', col_action: 'Что сделано',
    no_concessions: 'Смягчение санкций в обмен на это освобождение не задокументировано.',
    eased: 'смягчены', lifted: 'сняты',
    freed_heading: { one: 'Освобождён {n} человек', few: 'Освобождены {n} человека', many: 'Освобождены {n} человек', other: 'Освобождено {n} человека' },
    freed_caption: 'Освобождённые в этот раз: люди, чьи имена называются публично',
    held_heading: { one: '{n} человек, о котором просили, всё ещё за решёткой', few: '{n} человека, о которых просили, всё ещё за решёткой', many: '{n} человек, о которых просили, всё ещё за решёткой', other: '{n} человека, о которых просили, всё ещё за решёткой' },
    held_caption: 'Всё ещё за решёткой: люди, о которых просили, чьи имена называются публично',
    col_name: 'Имя', col_to: 'Куда', col_what: 'Что произошло', col_place: 'Место содержания',
    stayed: 'остался(-ась) в Беларуси', not_public: 'публично неизвестно',
    outcome_asked_not_released: 'просили освободить, не освобождён(-а)', outcome_refused_expulsion: 'отказался(-ась) от высылки, возвращён(-а) в тюрьму', outcome_released: 'освобождён(-а) в этот раз, снова задержан(-а)',
    not_named: { one: 'и ещё {n} человек, чьё имя публично не называется', few: 'и ещё {n} человека, чьи имена публично не называются', many: 'и ещё {n} человек, чьи имена публично не называются', other: 'и ещё {n} человека, чьи имена публично не называются' },
    none_named: { one: 'Имя этого человека публично не называется.', few: 'Их имена публично не называются.', many: 'Их имена публично не называются.', other: 'Их имена публично не называются.' },
    nobody_freed: 'Пока не задокументировано, кого освободили в этот раз.',
    nobody_held: 'Насколько известно, никого из тех, о ком просили, сейчас не удерживают.',
    back: 'Все освобождения по договорённостям',
    rearrest_title: 'Снова задержанные после освобождения',
    rearrest_intro: { one: '{n} человек после освобождения был снова задержан.', few: '{n} человека после освобождения были снова задержаны.', many: '{n} человек после освобождения были снова задержаны.', other: '{n} человека после освобождения были снова задержаны.' },
    rearrest_caption: 'Снова задержанные после освобождения: люди, чьи имена называются публично',
    col_released_on: 'Освобождён(-а)', col_detained_on: 'Снова задержан(-а)',
  },
});

/** The deal conditions of domain/release-deal.ts in the site's languages. */
export const CONDITION_LABELS: Record<PageContext['lang'], Record<DealCondition, string>> = {
  en: { forced_expulsion: 'forced expulsion from the country', passport_withheld: 'passports withheld', family_reunion_delayed: 'reunion with families delayed', pardon_petition_required: 'a petition for pardon was required', other: 'other conditions' },
  be: { forced_expulsion: 'прымусовая высылка з краіны', passport_withheld: 'пашпарты не вярнулі', family_reunion_delayed: 'уз’яднанне з сем’ямі адкладзенае', pardon_petition_required: 'патрабавалася прашэнне аб памілаванні', other: 'іншыя ўмовы' },
  ru: { forced_expulsion: 'принудительная высылка из страны', passport_withheld: 'паспорта не вернули', family_reunion_delayed: 'воссоединение с семьями отложено', pardon_petition_required: 'требовалось прошение о помиловании', other: 'другие условия' },
};

type Key = keyof typeof releasesText.texts.en;
type T = (key: Key, params?: Record<string, string | number>) => string;

const dealPath = (slug: string) => `/releases/${encodeURIComponent(slug)}`;
const people = (t: T, n: number) => t('people', { n });

/** "Lithuania: 40, Ukraine: 3", largest first. */
function whereTo(ctx: PageContext, expelledTo: Record<string, number>): string {
  return Object.entries(expelledTo)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${code === 'unknown' ? '?' : countryName(ctx.lang, code)}: ${formatNumber(ctx.lang, n)}`)
    .join(', ');
}

function personLink(ctx: PageContext, registry: PublicRegistry, person: PublicPerson): Html {
  const shown = registry.names(ctx.lang).get(person.id)!;
  return html`<a href="${link(ctx, `/prisoners/${encodeURIComponent(person.external_id)}`)}"${shown.lang && shown.lang !== ctx.lang ? html` lang="${shown.lang}"` : ''}>${shown.text}</a>`;
}

function byName<E extends { person: PublicPerson }>(ctx: PageContext, registry: PublicRegistry, entries: readonly E[]): E[] {
  const names = registry.names(ctx.lang);
  const collator = new Intl.Collator(ctx.lang, { sensitivity: 'base', numeric: true });
  return [...entries].sort((a, b) => collator.compare(names.get(a.person.id)!.sortKey, names.get(b.person.id)!.sortKey));
}

function dealFacts(ctx: PageContext, deal: PublicDeal, t: T): Html {
  const row = (term: string, value: Child) => html`<dt>${term}</dt><dd>${value}</dd>`;
  const expelled = deal.expelled ? `${people(t, deal.expelled)} (${whereTo(ctx, deal.expelledTo)})` : people(t, 0);
  return html`<dl class="facts">
${row(t('date'), formatDate(ctx.lang, deal.date))}
${deal.facilitator ? row(t('facilitator'), deal.facilitator) : ''}
${deal.envoy ? row(t('envoy'), deal.envoy) : ''}
${deal.counterpart ? row(t('counterpart'), deal.counterpart) : ''}
${deal.destinations.length ? row(t('destinations'), deal.destinations.map((code) => countryName(ctx.lang, code)).join(', ')) : ''}
${row(t('released'), people(t, deal.released))}
${row(t('expelled'), expelled)}
${deal.refused ? row(t('refused'), people(t, deal.refused)) : ''}
${row(t('held'), people(t, deal.stillHeld))}
${row(t('conditions'), deal.conditions.length ? deal.conditions.map((code) => CONDITION_LABELS[ctx.lang][code] ?? code).join('; ') : t('no_conditions'))}
</dl>`;
}

function concessionTable(ctx: PageContext, deal: PublicDeal, t: T): Html {
  if (deal.concessions.length === 0) return html`<p>${t('no_concessions')}</p>`;
  return html`<div class="table-wrap"><table>
<caption>${t('concessions_caption')}</caption>
<thead><tr><th scope="col">${t('col_issuer')}</th><th scope="col">${t('col_measure')}</th><th scope="col">${t('col_action')}</th></tr></thead>
<tbody>${deal.concessions.map((c) => html`<tr><td>${/^[A-Z]{2}$/.test(c.issuer) ? countryName(ctx.lang, c.issuer) : c.issuer}</td><th scope="row">${c.target}${c.description ? html`<br><span class="muted">${c.description}</span>` : ''}</th><td>${t(c.action)}</td></tr>`)}</tbody>
</table></div>`;
}

function summaryTable(ctx: PageContext, deals: readonly PublicDeal[], t: T): Html {
  return html`<div class="table-wrap"><table>
<caption>${t('table_caption')}</caption>
<thead><tr><th scope="col">${t('col_date')}</th><th scope="col">${t('col_facilitator')}</th><th scope="col" class="num">${t('col_freed')}</th><th scope="col" class="num">${t('col_expelled')}</th><th scope="col">${t('col_where')}</th><th scope="col" class="num">${t('col_held')}</th></tr></thead>
<tbody>${deals.map((deal) => html`<tr><th scope="row"><a href="${link(ctx, dealPath(deal.slug))}">${formatDate(ctx.lang, deal.date)}</a></th><td>${deal.facilitator ?? ''}</td>
<td class="num">${formatNumber(ctx.lang, deal.released + deal.expelled)}</td><td class="num">${formatNumber(ctx.lang, deal.expelled)}</td><td>${whereTo(ctx, deal.expelledTo)}</td><td class="num">${formatNumber(ctx.lang, deal.stillHeld)}</td></tr>`)}</tbody>
</table></div>`;
}

function totals(ctx: PageContext, deals: readonly PublicDeal[], t: T): Html {
  const sum = (pick: (deal: PublicDeal) => number) => deals.reduce((total, deal) => total + pick(deal), 0);
  const first = deals.reduce((earliest, deal) => (deal.date < earliest ? deal.date : earliest), deals[0]!.date);
  const figure = (n: number, key: Key, params: Record<string, string> = {}) => html`<li><strong>${formatNumber(ctx.lang, n)}</strong> ${t(key, { n, ...params })}</li>`;
  const freed = sum((deal) => deal.released + deal.expelled);
  const refused = sum((deal) => deal.refused);
  return html`<ul class="figures">
${figure(deals.length, 'fig_deals', { from: formatDate(ctx.lang, first) })}
${figure(freed, 'fig_freed')}
${figure(sum((deal) => deal.expelled), 'fig_expelled')}
${refused ? figure(refused, 'fig_refused') : ''}
${figure(sum((deal) => deal.stillHeld), 'fig_held')}
</ul>`;
}

function dealSection(ctx: PageContext, deal: PublicDeal, t: T): Html {
  const date = formatDate(ctx.lang, deal.date);
  return html`<section aria-labelledby="deal-${deal.id}">
<h2 id="deal-${deal.id}">${t('deal_title', { date })}</h2>
${deal.summary ? html`<p>${deal.summary}</p>` : ''}
${dealFacts(ctx, deal, t)}
${concessionTable(ctx, deal, t)}
<p><a href="${link(ctx, dealPath(deal.slug))}">${t('details', { date })}</a></p>
</section>`;
}

function notNamedLine(named: Named<unknown>, t: T): Html {
  if (named.notNamed === 0) return html``;
  return html`<p>${named.named.length ? t('not_named', { n: named.notNamed }) : t('none_named', { n: named.notNamed })}</p>`;
}

function rearrestSection(ctx: PageContext, registry: PublicRegistry, rearrests: Named<PublicRearrest>, t: T): Html {
  const total = rearrests.named.length + rearrests.notNamed;
  if (total === 0) return html``;
  return html`<section aria-labelledby="rearrests">
<h2 id="rearrests">${t('rearrest_title')}</h2>
<p>${t('rearrest_intro', { n: total })}</p>
${rearrests.named.length ? html`<div class="table-wrap"><table>
<caption>${t('rearrest_caption')}</caption>
<thead><tr><th scope="col">${t('col_name')}</th><th scope="col">${t('col_released_on')}</th><th scope="col">${t('col_detained_on')}</th></tr></thead>
<tbody>${byName(ctx, registry, rearrests.named).map((r) => html`<tr><th scope="row">${personLink(ctx, registry, r.person)}</th><td>${formatDate(ctx.lang, r.released_on)}</td><td>${formatDate(ctx.lang, r.detained_again_on)}</td></tr>`)}</tbody>
</table></div>` : ''}
${notNamedLine(rearrests, t)}
</section>`;
}

export const releasesListPage = sitePage({
  path: '/releases',
  query: z.object({}),
  async render({ ctx, registry, store }) {
    const t = translator(ctx, releasesText);
    const { deals, report } = await publicReleases(store, ctx.today);
    const rearrests = await publicRearrests(store, registry, report);
    return {
      title: t('title'),
      description: t('intro'),
      main: html`<h1>${t('title')}</h1>
<p>${t('intro')}</p>
${deals.length === 0 ? html`<p>${t('none')}</p>` : html`${totals(ctx, deals, t)}
${summaryTable(ctx, deals, t)}
${deals.map((deal) => dealSection(ctx, deal, t))}`}
${rearrestSection(ctx, registry, rearrests, t)}`,
    };
  },
});

function freedTable(ctx: PageContext, registry: PublicRegistry, freed: Named<FreedPerson>, t: T): Html {
  const total = freed.named.length + freed.notNamed;
  const where = (entry: FreedPerson) => (entry.type === 'expelled' ? (entry.country ? countryName(ctx.lang, entry.country) : t('not_public')) : entry.type === 'released' ? t('stayed') : t('not_public'));
  return html`<section aria-labelledby="freed">
<h2 id="freed">${t('freed_heading', { n: total })}</h2>
${total === 0 ? html`<p>${t('nobody_freed')}</p>` : ''}
${freed.named.length ? html`<div class="table-wrap"><table>
<caption>${t('freed_caption')}</caption>
<thead><tr><th scope="col">${t('col_name')}</th><th scope="col">${t('col_to')}</th></tr></thead>
<tbody>${byName(ctx, registry, freed.named).map((entry) => html`<tr><th scope="row">${personLink(ctx, registry, entry.person)}</th><td>${where(entry)}</td></tr>`)}</tbody>
</table></div>` : ''}
${notNamedLine(freed, t)}
</section>`;
}

function heldTable(ctx: PageContext, registry: PublicRegistry, held: Named<HeldPerson>, t: T): Html {
  const total = held.named.length + held.notNamed;
  const what = (outcome: DealOutcome | null) => (outcome ? t(`outcome_${outcome}`) : '');
  const place = (person: PublicPerson) => (person.facility_id !== null ? registry.facilities.get(person.facility_id)?.name : null) ?? t('not_public');
  return html`<section aria-labelledby="held">
<h2 id="held">${t('held_heading', { n: total })}</h2>
${total === 0 ? html`<p>${t('nobody_held')}</p>` : ''}
${held.named.length ? html`<div class="table-wrap"><table>
<caption>${t('held_caption')}</caption>
<thead><tr><th scope="col">${t('col_name')}</th><th scope="col">${t('col_what')}</th><th scope="col">${t('col_place')}</th></tr></thead>
<tbody>${byName(ctx, registry, held.named).map((entry) => html`<tr><th scope="row">${personLink(ctx, registry, entry.person)}</th><td>${what(entry.outcome)}</td><td>${place(entry.person)}</td></tr>`)}</tbody>
</table></div>` : ''}
${notNamedLine(held, t)}
</section>`;
}

export const releaseDealPage = sitePage({
  path: '/releases/:slug',
  query: z.object({}),
  async render({ ctx, registry, store, params }) {
    const t = translator(ctx, releasesText);
    const deal = await publicDealDetail(store, registry, params.slug ?? '', ctx.today);
    if (!deal) return problemPage(ctx, 404);
    const title = t('deal_title', { date: formatDate(ctx.lang, deal.date) });
    return {
      title,
      description: `${title}: ${people(t, deal.released + deal.expelled)}`,
      main: html`<p><a href="${link(ctx, '/releases')}">${t('back')}</a></p>
<h1>${title}</h1>
${deal.summary ? html`<p>${deal.summary}</p>` : ''}
<h2>${t('facts')}</h2>
${dealFacts(ctx, deal, t)}
${concessionTable(ctx, deal, t)}
${freedTable(ctx, registry, deal.freed, t)}
${heldTable(ctx, registry, deal.held, t)}`,
    };
  },
});

export const releasePages = [releasesListPage, releaseDealPage];
