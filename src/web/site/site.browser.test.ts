/**
 * The public site in a real browser (Debian's Chromium, see src/test-support/browser.ts), on the
 * fictional demo data. Every page the site registers renders in all three languages without a console
 * error, CSP violation or failed request, passes axe (WCAG 2.1 A and AA), weighs under 50 KB gzipped
 * and fits a phone screen; the language switch keeps the filters; the list's search and filters work
 * with JavaScript off.
 *
 * SQLite only: what the browser sees does not depend on the backend, and the database tests of every
 * page run on both SQLite and PostgreSQL beside the pages.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { loadDemo } from '../../features/demo/demo.service.js';
import { publicRegistry, type PublicPerson } from '../../features/public/public-registry.service.js';
import { axeViolations, describeInBrowser, describeViolations, gzipWeight, runAxe, type BrowserTest } from '../../test-support/browser.js';
import { LANGS } from './i18n.js';
import { SITE_PAGES } from './routes.js';

const MAX_GZIP_BYTES = 50 * 1024;
const PHONE = { width: 375, height: 667 };

/** Paths that name a file (feed, downloads) are documents for programs, not pages for people. */
const PAGE_PATHS = SITE_PAGES.map((page) => page.path).filter((path) => !/\.\w+$/.test(path));

/** A real value for each path parameter, taken from the demo data. */
async function samplePath(t: BrowserTest, path: string): Promise<string> {
  const registry = await publicRegistry(t.store);
  const samples: Record<string, () => Promise<string | undefined>> = {
    externalId: async () => richestPerson(registry.people)?.external_id,
    slug: async () => (await t.store.db.selectFrom('release_deal').select('slug').where('confidentiality', '=', 'public').orderBy('date').executeTakeFirst())?.slug,
  };
  let result = path;
  for (const [, name] of path.matchAll(/:(\w+)/g)) {
    const sample = samples[name!];
    assert.ok(sample, `site.browser.test.ts has no sample value for :${name} in ${path}: add one`);
    const value = await sample();
    assert.ok(value, `the demo data has no public value for :${name} in ${path}`);
    result = result.replace(`:${name}`, encodeURIComponent(value));
  }
  return result;
}

/** A person held now, with a place of detention and charges: the page with the most on it. */
function richestPerson(people: readonly PublicPerson[]): PublicPerson | undefined {
  return people.find((p) => p.status === 'held' && p.facility_id !== null && p.articles.length > 0) ?? people.find((p) => p.status !== null);
}

function withLang(path: string, lang: string, params: Record<string, string> = {}): string {
  return `${path}?${new URLSearchParams({ ...params, lang }).toString()}`;
}

/**
 * Whether the page scrolls sideways, and the outermost elements that stick out to the right (inside a
 * scrolling box such as .table-wrap sticking out is fine: only that box scrolls).
 */
const HORIZONTAL_OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth;
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 1;
  const clipped = (el) => { for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) if (getComputedStyle(up).overflowX !== 'visible') return true; return false; };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' "' + (el.textContent || '').trim().slice(0, 40) + '" (right edge ' + Math.round(el.getBoundingClientRect().right) + 'px)';
  const culprits = [...document.body.querySelectorAll('*')]
    .filter((el) => sticksOut(el) && !clipped(el) && !(el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement)))
    .slice(0, 5)
    .map(describe);
  return { scrollWidth: document.scrollingElement.scrollWidth, width, culprits };
})()`;

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().innerText()).trim();
}

/** The external ids the result table links to, in order. */
async function listedIds(page: Page): Promise<string[]> {
  const hrefs = await page.locator('table tbody th a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.map((href) => decodeURIComponent(href.split('?')[0]!.replace('/prisoners/', '')));
}

/** The texts of the data cells of each row of the result table (one round trip to the browser). */
async function rowCells(page: Page): Promise<string[][]> {
  return page.locator('table tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').trim())));
}

/** The number in "Results: 123 people". */
async function foundCount(page: Page): Promise<number> {
  const heading = await text(page, 'h2#results');
  const digits = heading.replace(/[\s\u00a0\u202f,.]/g, '').match(/\d+/);
  assert.ok(digits, `no count in "${heading}"`);
  return Number(digits[0]);
}

/** Belarusian Cyrillic → Latin as a Belarusian passport writes it; the test's own table, not the app's. */
const PASSPORT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'ie', ё: 'io', ж: 'zh', з: 'z', і: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n',
  о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ў: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia', "'": '', '’': '',
};

function passportLatin(cyrillic: string): string {
  const latin = [...cyrillic.toLowerCase()].map((ch) => PASSPORT[ch] ?? ch).join('');
  return latin.charAt(0).toUpperCase() + latin.slice(1);
}

describeInBrowser('public site', (store) => loadDemo(store), (suite) => {
  PAGE_PATHS.forEach((path, index) => {
    // On a phone, since console errors and CSP violations do not depend on the screen: one pass checks both.
    suite.test(`${path} renders in ${LANGS.join(', ')} without console errors, CSP violations or failed requests, and fits a ${PHONE.width}×${PHONE.height} phone screen`, async (t) => {
      const page = await t.page({ viewport: PHONE, isMobile: true, hasTouch: true });
      for (const lang of LANGS) {
        await t.open(page, withLang(await samplePath(t, path), lang));
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        assert.ok((await page.title()).length > 0, 'the page has a title');
        // Pages in the site's layout have one main heading; embeds (framed by other sites) have none.
        if (await page.locator('header.site').count()) assert.equal(await page.locator('h1').count(), 1, 'the page has one h1');
        const overflow = await page.evaluate<{ scrollWidth: number; width: number; culprits: string[] }>(HORIZONTAL_OVERFLOW);
        assert.ok(overflow.scrollWidth <= overflow.width, `${path} in ${lang} is ${overflow.scrollWidth}px wide on a ${overflow.width}px screen; too wide: ${overflow.culprits.join(', ')}`);
      }
    });

    // One language per page for axe (it is the slowest check); the pages take turns so each language is checked.
    const axeLang = LANGS[index % LANGS.length]!;
    suite.test(`${path} passes axe (WCAG 2.1 A and AA) in ${axeLang}`, async (t) => {
      const url = withLang(await samplePath(t, path), axeLang);
      const violations = await axeViolations(t, url);
      assert.equal(violations.length, 0, describeViolations(url, violations));
    });

    suite.test(`${path} weighs under 50 KB gzipped in every language`, async (t) => {
      for (const lang of LANGS) {
        const url = withLang(await samplePath(t, path), lang);
        const { bytes, encoding } = await gzipWeight(t.app, url);
        if (bytes > 1024) assert.equal(encoding, 'gzip', `${url} is sent compressed`);
        assert.ok(bytes < MAX_GZIP_BYTES, `${url}: ${bytes} bytes gzipped, the limit is ${MAX_GZIP_BYTES}`);
      }
    });
  });

  suite.test('the not-found page answers 404 in the visitor\'s language and passes axe', async (t) => {
    const page = await t.page();
    await t.open(page, '/prisoners/no-such-person?lang=ru', 404);
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    assert.match(await text(page, 'h1'), /Страница не найдена/);
    const axePage = await t.page({ bypassCSP: true });
    await t.open(axePage, '/no-such-page?lang=be', 404);
    const violations = await runAxe(axePage);
    assert.equal(violations.length, 0, describeViolations('/no-such-page', violations));
  });

  suite.test('the language switch on the home page changes the language and the visible texts', async (t) => {
    const page = await t.page();
    await t.open(page, '/?lang=be');
    const before = { nav: await text(page, 'nav.main'), h1: await page.locator('h1').innerText(), title: await page.title() };
    await Promise.all([page.waitForURL(/lang=en/), page.getByRole('link', { name: 'English', exact: true }).click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.notEqual(await text(page, 'nav.main'), before.nav, 'the navigation is in English now');
    assert.notEqual(await page.locator('h1').innerText(), before.h1);
    assert.notEqual(await page.title(), before.title);
    assert.match(await text(page, 'nav.main'), /Political prisoners/);
  });

  suite.test('/prisoners: the language switch keeps the filters and changes the texts', async (t) => {
    const page = await t.page();
    await t.open(page, '/prisoners?lang=be');
    const region = await page.locator('#f-region option').nth(1).getAttribute('value');
    assert.ok(region, 'the region filter offers regions');
    await t.open(page, withLang('/prisoners', 'be', { status: 'released', region }));
    const before = { h1: await text(page, 'h1'), label: await text(page, 'label[for="f-q"]') };
    await Promise.all([page.waitForURL(/lang=ru/), page.locator('nav.langs').getByRole('link', { name: 'Русский', exact: true }).click()]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('lang'), 'ru');
    assert.equal(url.searchParams.get('status'), 'released');
    assert.equal(url.searchParams.get('region'), region);
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    assert.notEqual(await text(page, 'h1'), before.h1);
    assert.notEqual(await text(page, 'label[for="f-q"]'), before.label);
    assert.equal(await page.locator('#f-status').inputValue(), 'released', 'the status filter is still chosen');
    assert.equal(await page.locator('#f-region').inputValue(), region, 'the region filter is still chosen');
  });

  suite.test('/prisoners: with JavaScript off, the filter form submits and every row matches the filters', async (t) => {
    const page = await t.page({ javaScriptEnabled: false });
    await t.open(page, '/prisoners?lang=en&status=all');
    const everyone = await foundCount(page);
    await page.getByLabel('Status').selectOption('released');
    const regionSelect = page.getByLabel('Region', { exact: true });
    const region = await regionSelect.locator('option').nth(1).getAttribute('value');
    await regionSelect.selectOption(region!);
    const wanted = { status: await page.getByLabel('Status').locator('option:checked').innerText(), region: await regionSelect.locator('option:checked').innerText() };
    await Promise.all([page.waitForURL(/status=released/), page.getByRole('button', { name: 'Show' }).click()]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('region'), region);
    const found = await foundCount(page);
    assert.ok(found > 0 && found < everyone, `the filters narrow the list (${found} of ${everyone})`);
    const rows = await rowCells(page);
    assert.equal(rows.length, Math.min(found, 50));
    for (const cells of rows) {
      assert.ok(cells.includes(wanted.region), `row ${cells.join(' | ')} is in ${wanted.region}`);
      assert.ok(cells.some((cell) => cell.startsWith(wanted.status)), `row ${cells.join(' | ')} is ${wanted.status}`);
    }
  });

  suite.test('/prisoners: with JavaScript off, the article, gender and place filters narrow the list to matching people', async (t) => {
    const registry = await publicRegistry(t.store);
    const page = await t.page({ javaScriptEnabled: false });
    const submit = () => Promise.all([page.waitForURL(/[?&]status=/), page.getByRole('button', { name: 'Show' }).click()]);
    await t.open(page, '/prisoners?lang=en&status=all');
    const article = (await page.getByLabel('Article').locator('option').nth(1).getAttribute('value'))!;
    await page.getByLabel('Article').selectOption(article);
    await page.getByLabel('Gender').selectOption('female');
    await submit();
    const ids = await listedIds(page);
    assert.ok(ids.length > 0, `someone is charged under ${article}`);
    for (const id of ids) {
      const person = registry.byExternalId.get(id)!;
      assert.ok(person.articles.includes(article) && person.gender === 'female', `${id} is a woman charged under ${article}`);
    }

    await t.open(page, '/prisoners?lang=en');
    const facility = page.getByLabel('Place of detention');
    const place = (await facility.locator('option').nth(1).getAttribute('value'))!;
    await facility.selectOption(place);
    const placeName = await facility.locator('option:checked').innerText();
    await submit();
    const rows = await rowCells(page);
    assert.ok(rows.length > 0, `someone is held at ${placeName}`);
    for (const cells of rows) assert.ok(cells.includes(placeName), `row ${cells.join(' | ')} is held at ${placeName}`);
  });

  suite.test('/prisoners: the pager moves through the filtered list and keeps the filters', async (t) => {
    const page = await t.page({ javaScriptEnabled: false });
    await t.open(page, '/prisoners?lang=en&status=released');
    assert.ok((await foundCount(page)) > 50, 'the demo has more than one page of released people');
    const first = await listedIds(page);
    await Promise.all([page.waitForURL(/page=2/), page.locator('nav.pager').getByRole('link', { name: 'Next page' }).click()]);
    assert.equal(new URL(page.url()).searchParams.get('status'), 'released');
    const second = await listedIds(page);
    assert.ok(second.length > 0 && second.every((id) => !first.includes(id)), 'page 2 shows other people');
    assert.equal(await page.getByLabel('Status').inputValue(), 'released');
  });

  suite.test('/prisoners: typing a Latin spelling of a person written only in Cyrillic finds them', async (t) => {
    const registry = await publicRegistry(t.store);
    const person = registry.ordered('en').find((p) => p.names.every((n) => n.script === 'Cyrl') && p.names.some((n) => n.lang === 'be' && n.family && n.given));
    assert.ok(person, 'the demo data has a published person with only Cyrillic names');
    const be = person.names.find((n) => n.lang === 'be')!;
    const query = `${passportLatin(be.given!)} ${passportLatin(be.family!)}`;
    const page = await t.page({ javaScriptEnabled: false });
    await t.open(page, '/prisoners?lang=en');
    await page.getByLabel('Name (any spelling)').fill(query);
    await Promise.all([page.waitForURL(/[?&]q=/), page.getByLabel('Name (any spelling)').press('Enter')]);
    const ids = await listedIds(page);
    assert.ok(ids.includes(person.external_id), `"${query}" finds ${person.external_id} (${be.given} ${be.family}); found ${ids.join(', ') || 'nobody'}`);
    assert.ok(ids.length < registry.ordered('en').length, 'the search narrows the list');
  });

  suite.test('/prisoners: a name in the list opens the person\'s page', async (t) => {
    const page = await t.page();
    await t.open(page, '/prisoners?lang=be');
    const first = page.locator('table tbody th a').first();
    const name = (await first.innerText()).trim();
    await Promise.all([page.waitForURL(/\/prisoners\/[^?]+\?lang=be/), first.click()]);
    assert.equal(await text(page, 'h1'), name);
  });
});
