/**
 * Browser tests: a real Vigil (buildApp + listen on a free port) driven through Debian's Chromium by
 * playwright-core (no browser download). One browser and one server per test file; each test opens its
 * pages in fresh browser contexts. Anything the browser complains about — console errors (Chromium
 * reports Content-Security-Policy violations there), uncaught page errors, failed requests, responses
 * with an error status — fails the test, and a failed test leaves a full-page screenshot in
 * test-results/<test name>.png.
 *
 * Without Chromium the tests fail and say how to install it; VIGIL_SKIP_BROWSER_TESTS=1 skips them and
 * prints why. They never pass silently.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContextOptions, type Page, type Response } from 'playwright-core';
import { openStore, type Store } from '../store/connection.js';
import { buildApp } from '../web/app.js';
import type { App } from '../web/api/app-types.js';

export const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];
const RESULTS = 'test-results';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export const MISSING_CHROMIUM =
  `Chromium is not installed at ${CHROMIUM}: the browser tests drive Debian's chromium. ` +
  'Install it with "apt-get install chromium" (as root), or set VIGIL_SKIP_BROWSER_TESTS=1 to skip the browser tests.';

export interface BrowserTest {
  /** The Vigil under test, e.g. `http://127.0.0.1:41234`. */
  readonly base: string;
  readonly store: Store;
  readonly app: App;
  /** A new page in a fresh browser context; everything it reports counts against the test. */
  page(options?: BrowserContextOptions): Promise<Page>;
  /** Navigates `page` to `path` and checks the status (200 unless told). */
  open(page: Page, path: string, status?: number): Promise<Response>;
  /** The problems reported so far, which then no longer fail the test (for tests of the watch itself). */
  takeProblems(): string[];
}

export interface BrowserSuite {
  /** A test that fails on any console error, page error or failed request in the pages it opened. */
  test(name: string, body: (t: BrowserTest) => Promise<void>, options?: { timeoutMs?: number }): void;
}

interface Running {
  browser: Browser;
  app: App;
  store: Store;
  base: string;
  dir: string;
}

/** What a page reported that a healthy page never does. */
class Problems {
  readonly list: string[] = [];
  /** URLs whose error status the test asked for (a 404 page), so the browser's own notice is not a problem. */
  readonly expected = new Map<string, number>();

  watch(page: Page): void {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      if (this.expected.has(where) && message.text().startsWith('Failed to load resource')) return;
      this.list.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
    });
    page.on('pageerror', (error) => this.list.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => this.list.push(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'unknown error'}`));
    page.on('response', (response) => {
      const status = response.status();
      if (status >= 400 && this.expected.get(response.url()) !== status) this.list.push(`HTTP ${status}: ${response.request().method()} ${response.url()}`);
    });
  }
}

function slug(name: string): string {
  return name.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'test';
}

async function screenshot(page: Page | undefined, name: string): Promise<string> {
  if (!page || page.isClosed()) return '';
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${slug(name)}.png`);
  try {
    await page.screenshot({ path, fullPage: true });
    return path;
  } catch {
    return '';
  }
}

async function start(seed: (store: Store) => Promise<void>): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-browser-'));
  const store = await openStore(join(dir, 'site.sqlite'));
  await seed(store);
  const app = await buildApp({ store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  return { browser, app, store, base: `http://127.0.0.1:${port}`, dir };
}

async function stop(running: Running | undefined): Promise<void> {
  if (!running) return;
  await running.browser.close();
  await running.app.close();
  await running.store.close();
  rmSync(running.dir, { recursive: true, force: true });
}

async function runTest(running: Running, name: string, body: (t: BrowserTest) => Promise<void>): Promise<void> {
  const problems = new Problems();
  const contexts: { close(): Promise<void> }[] = [];
  let last: Page | undefined;
  const t: BrowserTest = {
    base: running.base,
    store: running.store,
    app: running.app,
    async page(options = {}) {
      const context = await running.browser.newContext(options);
      contexts.push(context);
      last = await context.newPage();
      problems.watch(last);
      return last;
    },
    async open(page, path, status = 200) {
      const url = new URL(path, running.base).toString();
      if (status >= 400) problems.expected.set(url, status);
      const response = await page.goto(url);
      if (!response) throw new Error(`no response for ${path}`);
      if (response.status() !== status) throw new Error(`GET ${path} answered ${response.status()}, expected ${status}`);
      return response;
    },
    takeProblems: () => problems.list.splice(0),
  };
  try {
    await body(t);
    if (problems.list.length > 0) throw new Error(`the browser reported ${problems.list.length} problem(s):\n  ${problems.list.join('\n  ')}`);
  } catch (error) {
    const shot = await screenshot(last, name);
    if (shot && error instanceof Error) error.message += `\n  screenshot: ${shot}`;
    throw error;
  } finally {
    for (const context of contexts) await context.close();
  }
}

/**
 * One browser and one Vigil (SQLite, filled by `seed`) for the tests that `body` declares. Without
 * Chromium every test fails naming the fix, unless VIGIL_SKIP_BROWSER_TESTS=1.
 */
export function describeInBrowser(name: string, seed: (store: Store) => Promise<void>, body: (suite: BrowserSuite) => void): void {
  if (process.env.VIGIL_SKIP_BROWSER_TESTS === '1') {
    const reason = `VIGIL_SKIP_BROWSER_TESTS=1: browser tests skipped${existsSync(CHROMIUM) ? '' : ` (${MISSING_CHROMIUM.split(':')[0]})`}`;
    console.warn(`${name}: ${reason}`);
    describe(name, { skip: reason }, () => body({ test: (testName) => it(testName, () => {}) }));
    return;
  }
  // Tests mostly wait on the browser, so a few at a time finish sooner; each has its own contexts.
  describe(name, { concurrency: 3 }, () => {
    let running: Running | undefined;
    // Without Chromium nothing starts, and each test fails on its own with the message below.
    before(async () => {
      if (existsSync(CHROMIUM)) running = await start(seed);
    });
    after(() => stop(running));
    body({
      test(testName, testBody, options = {}) {
        it(testName, { timeout: options.timeoutMs ?? 30_000 }, () => {
          if (!existsSync(CHROMIUM)) throw new Error(MISSING_CHROMIUM);
          if (!running) throw new Error('the browser or the server did not start');
          return runTest(running, `${name} ${testName}`, testBody);
        });
      },
    });
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on `path`. The site's CSP forbids the injected script, so this one check uses a context
 * that bypasses CSP; every other check keeps the real CSP.
 */
export async function axeViolations(t: BrowserTest, path: string, options: BrowserContextOptions = {}): Promise<AxeViolation[]> {
  const page = await t.page({ ...options, bypassCSP: true });
  await t.open(page, path);
  return runAxe(page);
}

/** Runs axe-core on the document open in `page`, which must come from a context with `bypassCSP`. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axe.source });
  const run = `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })
    .then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((node) => node.target.join(' ')) })))`;
  return page.evaluate<AxeViolation[]>(run);
}

/** A readable list of axe violations: rule, impact, what it asks, and the elements (first ten). */
export function describeViolations(path: string, violations: readonly AxeViolation[]): string {
  const lines = violations.map((v) => {
    const targets = v.targets.slice(0, 10).join(', ') + (v.targets.length > 10 ? `, … (${v.targets.length} in all)` : '');
    return `- ${v.id} (${v.impact ?? 'no impact given'}): ${v.help}\n    ${targets}`;
  });
  return `axe found ${violations.length} accessibility violation(s) on ${path}:\n${lines.join('\n')}`;
}

/** Bytes on the wire for `path` when the client accepts gzip. */
export async function gzipWeight(app: App, path: string): Promise<{ bytes: number; encoding: string | undefined }> {
  const response = await app.inject({ url: path, headers: { 'accept-encoding': 'gzip' } });
  if (response.statusCode !== 200) throw new Error(`GET ${path} answered ${response.statusCode}`);
  const encoding = response.headers['content-encoding'];
  return { bytes: response.rawPayload.length, encoding: typeof encoding === 'string' ? encoding : undefined };
}
