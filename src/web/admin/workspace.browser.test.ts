/**
 * The documenter's main journeys in Chromium: set up an account and sign in with a one-time code; add
 * a person typed in Russian form (the other forms of the name appear while typing); add a detention and
 * a sentence; attach a source (an uploaded file, hashed at intake); give consent; see the person and
 * their public timeline on the public site. The browser watch fails the test on any console error (CSP
 * violations included), page error or failed request.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { addUser } from '../../features/auth/accounts.service.js';
import { currentTotp } from '../../features/auth/totp.js';
import { axeViolations, describeInBrowser, describeViolations, runAxe, type BrowserTest } from '../../test-support/browser.js';
import { PASSWORD, setupCode } from '../../test-support/accounts.js';

/** One account per test (tests run side by side), each with the set-up code an admin would hand out. */
const ACCOUNTS = ['documenter@example.org', 'coordinator@example.org', 'keyholder@example.org'] as const;
const setupCodes = new Map<string, string>();

async function seed(store: Parameters<Parameters<typeof describeInBrowser>[1]>[0]): Promise<void> {
  for (const email of ACCOUNTS) setupCodes.set(email, (await addUser(store, email, 'editor', 'test:admin')).code);
}

/** Sets up the account in the browser (the set-up code an admin handed out), then signs in with a one-time code. */
async function setUpAndSignIn(t: BrowserTest, page: Page, email: string, base = t.base): Promise<string> {
  await page.goto(`${base}/admin/setup?lang=ru`);
  await page.getByLabel('Код настройки').fill(setupCodes.get(email)!);
  await page.getByRole('button', { name: 'Далее' }).click();
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  await page.getByLabel('Придумайте пароль').fill(PASSWORD);
  await page.getByLabel('Код, который приложение показывает сейчас').fill(await setupCode(secret, 10_000));
  await page.getByRole('button', { name: 'Завершить настройку' }).click();
  await page.waitForURL(/\/admin\/sign-in\?lang=ru&done=setup/);
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Одноразовый код').fill(currentTotp(secret));
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL(/\/admin\?lang=ru$/);
  return secret;
}

/** Adds a public event of a type to the person through the two-step form (type first, then its fields). */
async function addEvent(t: BrowserTest, page: Page, personId: number, type: string, fill: () => Promise<void>): Promise<void> {
  await t.open(page, `/admin/persons/${personId}/events/new?lang=en`);
  await page.getByLabel('What happened?').selectOption(type);
  await page.getByRole('button', { name: 'Continue' }).click();
  await fill();
  await page.getByLabel('Who may see it').selectOption('public');
  await page.getByLabel('Why (a source or an explanation)').fill('court report (fictional test)');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/admin\/events\/\d+\?.*done=created/);
}

describeInBrowser('workspace journeys', seed, (suite) => {
  suite.test('anonymous visitors land on the sign-in form, which passes axe', async (t) => {
    const page = await t.page();
    await t.open(page, '/admin/persons?lang=en');
    assert.match(page.url(), /\/admin\/sign-in\?lang=en&next=/);
    const violations = await axeViolations(t, '/admin/sign-in?lang=en');
    assert.deepEqual(violations, [], describeViolations('/admin/sign-in', violations));
  });

  suite.test('set up, sign in with TOTP, add a person typed in Russian form, give consent, see them on the public site', async (t) => {
    const page = await t.page();
    await setUpAndSignIn(t, page, ACCOUNTS[0]);
    assert.match(await page.locator('h1').innerText(), /Обзор/);

    await page.getByRole('link', { name: 'Люди', exact: true }).click();
    await page.getByRole('link', { name: 'Добавить человека' }).click();
    await page.getByLabel('Идентификатор записи').fill('BY-2021-0042');
    await page.locator('#f-name_family_0').fill('Тихановская');
    await page.locator('#f-name_given_0').fill('Светлана');
    await page.locator('#f-name_lang_0').selectOption('ru');
    await page.locator('#f-name_level_0').selectOption('public');
    // The other forms of the name appear while typing (the script asks the server after a pause).
    await page.locator('#live-suggestions').getByText('Ціханоўская Святлана').waitFor();
    await page.locator('#live-suggestions').getByText('Tikhanovskaya Svetlana').waitFor();
    await page.locator('#f-name_family_1').fill('Ціханоўская');
    await page.locator('#f-name_given_1').fill('Святлана');
    await page.locator('#f-name_lang_1').selectOption('be');
    await page.locator('#f-name_level_1').selectOption('public');
    await page.getByLabel('Дата рождения').fill('1982-09');
    await page.locator('#f-confidentiality').selectOption('public');
    await page.getByLabel('Почему').fill('приговор суда, 2021');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Создано.').waitFor();
    assert.match(await page.locator('h1').innerText(), /Светлана Тихановская|Тихановская Светлана/);
    assert.match(await page.locator('main').innerText(), /Не опубликовано/);

    const id = Number(page.url().match(/\/admin\/persons\/(\d+)/)![1]);

    // A detention and a sentence, public, each form fitted to its type (in English this time).
    await addEvent(t, page, id, 'detained', async () => {
      await page.getByLabel('Date', { exact: true }).fill('2021-05-28');
      await page.getByLabel('Facility').fill('SIZO-1 Minsk (fictional test)');
    });
    await addEvent(t, page, id, 'sentenced', async () => {
      await page.getByLabel('Date', { exact: true }).fill('2021-12-14');
      await page.getByLabel('Articles of the criminal code').fill('342; 361-1');
      await page.getByLabel('years').fill('3');
      await page.getByLabel('months').fill('6');
    });
    await t.open(page, `/admin/persons/${id}?lang=en`);
    const events = await page.locator('main table').innerText();
    assert.match(events, /May 28, 2021/);
    assert.match(events, /art\. 342, 361-1/);
    assert.match(events, /342/);

    // A source: a file uploaded for the person, hashed at intake.
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await t.open(page, `/admin/sources/upload?person=${id}&lang=en`);
    await page.getByLabel('Title').fill('Court verdict (fictional test scan)');
    await page.getByLabel('Why (a source or an explanation)').fill('scan received from the family');
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'verdict.pdf', mimeType: 'application/pdf', buffer: png });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(createHash('sha256').update(png).digest('hex')).first().waitFor();
    assert.match(await page.locator('main').innerText(), /image\/png/);

    // Consent, as an edit of the record (back in Russian).
    await t.open(page, `/admin/persons/${id}/edit?lang=ru`);
    await page.getByLabel(/Согласие на публикацию/).check();
    await page.getByLabel('Почему').fill('согласие семьи получено');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено.').waitFor();
    await page.getByRole('link', { name: '/prisoners/BY-2021-0042' }).click();
    await page.waitForURL(/\/prisoners\/BY-2021-0042\?lang=ru/);
    assert.match(await page.locator('h1').innerText(), /Тихановская|Ціханоўская/);
    const timeline = await page.locator('main').innerText();
    assert.match(timeline, /28 мая 2021/);
    assert.match(timeline, /342/);
  }, { timeoutMs: 120_000 });

  suite.test('adds a passkey on the account page, then signs in with it instead of a one-time code', async (t) => {
    // WebAuthn wants a host name, not an IP address, and the origin the server expects.
    const base = t.base.replace('127.0.0.1', 'localhost');
    const saved = process.env.VIGIL_ORIGIN;
    process.env.VIGIL_ORIGIN = base;
    try {
      const page = await t.page();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } });
      await setUpAndSignIn(t, page, ACCOUNTS[2], base);
      await page.goto(`${base}/admin/account?lang=en`);
      await page.locator('#no-passkeys').waitFor();
      await page.getByLabel('Name for the new passkey').fill('test laptop');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.locator('#passkeys').getByText('test laptop').waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/admin\/sign-in/);
      await page.goto(`${base}/admin/sign-in?lang=en`);
      await page.getByLabel('Email').fill(ACCOUNTS[2]);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Use my passkey' }).click();
      await page.waitForURL(/\/admin\?lang=en$/);
      assert.match(await page.locator('h1').innerText(), /Dashboard/);
    } finally {
      if (saved === undefined) delete process.env.VIGIL_ORIGIN;
      else process.env.VIGIL_ORIGIN = saved;
    }
  }, { timeoutMs: 90_000 });

  suite.test('the workspace pages pass axe and work at phone width', async (t) => {
    const page = await t.page({ bypassCSP: true, viewport: { width: 375, height: 667 } });
    await setUpAndSignIn(t, page, ACCOUNTS[1]);
    for (const path of ['/admin?lang=en', '/admin/persons?lang=en', '/admin/persons/new?lang=en']) {
      await t.open(page, path);
      const violations = await runAxe(page);
      assert.deepEqual(violations, [], describeViolations(path, violations));
      const wide = await page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1');
      assert.equal(wide, false, `${path} scrolls sideways at 375 px`);
    }
  });
});
