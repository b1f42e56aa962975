/**
 * The counter in a partner's page, in a real browser: another site can frame /embed/counter, and the
 * browser refuses to frame any other page of the site (clickjacking protection stays on).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { seedPlaces } from '../../../features/public/places.fixture.js';
import { statsOn } from '../../../features/stats/stats.service.js';
import { describeInBrowser } from '../../../test-support/browser.js';

const PARTNER = 'https://partner.example/';

/** A partner's page on another origin (answered by the browser's router) that frames `url`. */
async function partnerFraming(page: Page, url: string): Promise<void> {
  await page.route(PARTNER, (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><title>Partner</title><iframe id="counter" src="${url}" title="counter" width="320" height="180"></iframe></html>`,
  }));
  await page.goto(PARTNER);
  await page.waitForLoadState('load');
}

describeInBrowser('the counter on a partner site', seedPlaces, ({ test }) => {
  test('another site can frame the counter, and it shows today’s number', async (t) => {
    const page = await t.page();
    await partnerFraming(page, `${t.base}/embed/counter?lang=be`);
    const frame = page.frameLocator('#counter');
    const shown = await frame.locator('data').getAttribute('value');
    assert.equal(Number(shown), (await statsOn(t.store, new Date().toISOString().slice(0, 10))).political_prisoners);
    assert.equal(await frame.locator('html').getAttribute('lang'), 'be');
  });

  test('the browser refuses to frame the other pages', async (t) => {
    for (const path of ['/regions?lang=en', '/embed?lang=en', '/?lang=en']) {
      const page = await t.page();
      await partnerFraming(page, `${t.base}${path}`);
      const problems = t.takeProblems();
      assert.ok(problems.some((problem) => problem.includes('frame-ancestors')), `${path} was framed: ${problems.join('; ')}`);
      assert.equal(await page.frameLocator('#counter').locator('main').count(), 0, `${path} content is not shown in the frame`);
    }
  });
});
