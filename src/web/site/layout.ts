/** The page shell every public page shares: language, navigation, language switch, footer. */
import { html, type Child, type Html } from './html.js';
import { LANG_NAMES, LANGS, messages, say, type Lang, type Messages, type Params } from './i18n.js';

export const common = messages('common', {
  en: {
    site: 'Vigil', tagline: 'Political prisoners in Belarus', skip: 'Skip to content', menu: 'Sections', languages: 'Language',
    home: 'Home', prisoners: 'Political prisoners', releases: 'Releases', regions: 'Where they are held', opendata: 'Open data',
    feed: 'News feed (Atom)', embed: 'Counter for your website',
    footer: 'Counts are computed from documented events and include everyone; personal details are shown only with consent. Data as of {date}',
    demo: 'This site shows fictional demonstration data. None of these people exist.',
    not_found_title: 'Page not found', not_found: 'There is no such page. It may have been moved, or the person’s record is not public.',
    bad_request_title: 'Something in the address is wrong', bad_request: 'The address has a value this page does not understand: {what}',
    starting_title: 'The site is starting', starting: 'After a restart the register is being prepared; on a large register this takes a few minutes. Please try again shortly.', try_again: 'Try again',
  },
  be: {
    site: 'Vigil', tagline: 'Палітвязні ў Беларусі', skip: 'Перайсці да зместу', menu: 'Раздзелы', languages: 'Мова',
    home: 'Галоўная', prisoners: 'Палітвязні', releases: 'Вызваленні', regions: 'Дзе ўтрымліваюць', opendata: 'Адкрытыя даныя',
    feed: 'Стужка навін (Atom)', embed: 'Лічыльнік для вашага сайта',
    footer: 'Лічбы вылічаныя з задакументаваных падзей і ўлічваюць усіх; асабістыя звесткі паказваюцца толькі са згоды. Даныя на {date}',
    demo: 'Сайт паказвае выдуманыя дэманстрацыйныя даныя. Такіх людзей не існуе.',
    not_found_title: 'Старонка не знойдзена', not_found: 'Такой старонкі няма. Магчыма, яе перанеслі, або запіс пра чалавека не публічны.',
    bad_request_title: 'У адрасе памылка', bad_request: 'Адрас мае значэнне, якога гэтая старонка не разумее: {what}',
    starting_title: 'Сайт запускаецца', starting: 'Пасля перазапуску рыхтуецца рэестр; калі ён вялікі, гэта займае некалькі хвілін. Паспрабуйце крыху пазней.', try_again: 'Паспрабаваць зноў',
  },
  ru: {
    site: 'Vigil', tagline: 'Политзаключённые в Беларуси', skip: 'Перейти к содержанию', menu: 'Разделы', languages: 'Язык',
    home: 'Главная', prisoners: 'Политзаключённые', releases: 'Освобождения', regions: 'Где содержат', opendata: 'Открытые данные',
    feed: 'Лента новостей (Atom)', embed: 'Счётчик для вашего сайта',
    footer: 'Числа вычислены из задокументированных событий и учитывают всех; личные сведения показываются только с согласия. Данные на {date}',
    demo: 'Сайт показывает вымышленные демонстрационные данные. Таких людей не существует.',
    not_found_title: 'Страница не найдена', not_found: 'Такой страницы нет. Возможно, её перенесли, или запись о человеке не публичная.',
    bad_request_title: 'В адресе ошибка', bad_request: 'Адрес содержит значение, которое эта страница не понимает: {what}',
    starting_title: 'Сайт запускается', starting: 'После перезапуска готовится реестр; если он большой, это занимает несколько минут. Попробуйте чуть позже.', try_again: 'Попробовать снова',
  },
});

export interface PageContext {
  lang: Lang;
  /** The request path (without the query string). */
  path: string;
  /** The request's query parameters other than lang (for the language switch). */
  query: Record<string, string>;
  today: string;
  demo: boolean;
}

/** A site link in the current language: every link carries ?lang=, so pages cache per language. */
export function link(ctx: Pick<PageContext, 'lang'>, path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  search.set('lang', ctx.lang);
  return `${path}?${search.toString()}`;
}

/** A translator bound to one message set and the page's language. */
export function translator<K extends string>(ctx: Pick<PageContext, 'lang'>, set: Messages<K>): (key: K, params?: Params) => string {
  return (key, params) => say(ctx.lang, set, key, params);
}

const NAV = ['home', 'prisoners', 'releases', 'regions', 'opendata'] as const;
const NAV_PATHS: Record<(typeof NAV)[number], string> = { home: '/', prisoners: '/prisoners', releases: '/releases', regions: '/regions', opendata: '/opendata' };

export interface PageParts {
  title: string;
  main: Child;
  description?: string;
}

export function layout(ctx: PageContext, parts: PageParts, formatDate: (date: string) => string): Html {
  const c = (key: keyof typeof common.texts.en, params?: Params) => say(ctx.lang, common, key, params);
  const section = NAV.find((item) => NAV_PATHS[item] !== '/' && ctx.path.startsWith(NAV_PATHS[item])) ?? (ctx.path === '/' ? 'home' : null);
  const title = parts.title === c('site') ? `${c('site')} — ${c('tagline')}` : `${parts.title} — ${c('site')}`;
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${parts.description ? html`<meta name="description" content="${parts.description}">` : ''}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/site.css">
<link rel="alternate" type="application/atom+xml" title="${c('feed')}" href="${link(ctx, '/feed.atom')}">
${LANGS.map((lang) => html`<link rel="alternate" hreflang="${lang}" href="${link({ lang }, ctx.path, ctx.query)}">`)}
</head>
<body>
<a class="skip" href="#main">${c('skip')}</a>
<header class="site"><div class="bar">
<a class="brand" href="${link(ctx, '/')}">${c('site')} · ${c('tagline')}</a>
<nav class="main" aria-label="${c('menu')}"><ul>${NAV.map((item) => html`<li><a href="${link(ctx, NAV_PATHS[item])}"${item === section ? html` aria-current="page"` : ''}>${c(item)}</a></li>`)}</ul></nav>
<nav class="langs" aria-label="${c('languages')}"><ul>${LANGS.map((lang) => html`<li><a href="${link({ lang }, ctx.path, ctx.query)}" hreflang="${lang}" lang="${lang}"${lang === ctx.lang ? html` aria-current="true"` : ''}>${LANG_NAMES[lang]}</a></li>`)}</ul></nav>
</div></header>
<main id="main" tabindex="-1">
${ctx.demo ? html`<p class="notice" role="note">${c('demo')}</p>` : ''}
${parts.main}
</main>
<footer class="site">
<p>${c('footer', { date: formatDate(ctx.today) })}</p>
<p><a href="${link(ctx, '/feed.atom')}">${c('feed')}</a> · <a href="${link(ctx, '/embed')}">${c('embed')}</a> · <a href="${link(ctx, '/opendata')}">${c('opendata')}</a></p>
</footer>
</body>
</html>`;
}
