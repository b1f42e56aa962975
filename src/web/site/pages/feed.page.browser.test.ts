/**
 * The counter in a partner's page, in a real browser: another site can frame /embed/counter, and the
 * browser refuses to frame any other page of the site (clickjacking protection stays on).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { today } from '../../../domain/partial-date.js';
import { seedPlaces } from '../../../features/public/places.fixture.js';
import { statsOn } from '../../../features/stats/stats.service.js';
import { describeInBrowser } from '../../../test-support/browser.js';

/**
 * Opens a partner's page that frames `url`, served by a small server of its own: another port is
 * another origin, and a local one (Chromium does not let public origins frame local addresses).
 * Returns the server, to be closed when the test is done with the page.
 */
async function partnerFraming(page: Page, url: string): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><head><title>Partner</title><link rel="icon" href="data:,"></head>
<body><iframe id="counter" src="${url}" title="counter" width="320" height="180"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForLoadState('load');
  return server;
}

describeInBrowser('the counter on a partner site', seedPlaces, ({ test }) => {
  test('another site can frame the counter, and it shows today’s number', async (t) => {
    const page = await t.page();
    const partner = await partnerFraming(page, `${t.base}/embed/counter?lang=be`);
    const frame = page.frameLocator('#counter');
    const shown = await frame.locator('data').getAttribute('value', { timeout: 10_000 });
    assert.equal(Number(shown), (await statsOn(t.store, today())).political_prisoners);
    assert.equal(await frame.locator('html').getAttribute('lang'), 'be');
    await page.close();
    partner.close();
  });

  test('the browser refuses to frame the other pages', async (t) => {
    for (const path of ['/regions?lang=en', '/embed?lang=en', '/?lang=en']) {
      const page = await t.page();
      const partner = await partnerFraming(page, `${t.base}${path}`);
      const problems = t.takeProblems();
      assert.ok(problems.some((problem) => problem.includes('frame-ancestors')), `${path} was framed: ${problems.join('; ')}`);
      assert.equal(await page.frameLocator('#counter').locator('main').count(), 0, `${path} content is not shown in the frame`);
      await page.close();
      partner.close();
    }
  });
});
