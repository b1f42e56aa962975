/**
 * The browser harness itself: it must notice what a broken page does under the site's real
 * Content-Security-Policy (inline script and style refused, a missing image), and axe must find known
 * accessibility faults — otherwise the site's browser tests could pass without checking anything.
 */
import assert from 'node:assert/strict';
import { describeInBrowser, describeViolations, runAxe } from './browser.js';

const html = (body: string) => `<!doctype html><html lang="en"><head><title>check</title></head><body>${body}</body></html>`;

describeInBrowser('browser harness', async () => {}, (suite) => {
  suite.test('reports CSP violations and failed requests under the site\'s own CSP', async (t) => {
    const csp = (await t.app.inject({ url: '/?lang=en' })).headers['content-security-policy'];
    assert.equal(typeof csp, 'string', 'the site sends a Content-Security-Policy');
    const page = await t.page();
    await page.route(`${t.base}/harness-check`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': String(csp) },
        body: html('<p style="color:red">styled</p><script>window.ran = 1</script><img src="/missing.png" alt="">'),
      }),
    );
    await t.open(page, '/harness-check');
    await page.waitForLoadState('load');
    const problems = t.takeProblems().join('\n');
    assert.match(problems, /Content Security Policy.*script/i, problems);
    assert.match(problems, /Content Security Policy.*style/i, problems);
    assert.match(problems, /HTTP 404: GET .*\/missing\.png/, problems);
  });

  suite.test('reports uncaught errors of the page\'s scripts', async (t) => {
    const page = await t.page();
    await page.route(`${t.base}/throws`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html('<script>throw new Error("boom from page")</script>') }));
    await t.open(page, '/throws');
    assert.match(t.takeProblems().join('\n'), /page error: boom from page/);
  });

  suite.test('axe names an image without alternative text and a field without a label', async (t) => {
    const page = await t.page({ bypassCSP: true });
    await page.route(`${t.base}/axe-check`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: html('<main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input name="q"></main>') }),
    );
    await t.open(page, '/axe-check');
    const violations = await runAxe(page);
    const ids = violations.map((v) => v.id);
    assert.ok(ids.includes('image-alt') && ids.includes('label'), ids.join(', '));
    const report = describeViolations('/axe-check', violations);
    assert.match(report, /- image-alt \(critical\): .*\n {4}img/, report);
  });
});
