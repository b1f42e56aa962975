/**
 * The page cache under concurrent requests: a page that misses the cache is rendered once, however many
 * requests ask for it while it renders; a failed render is not kept.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { pageCacheFor, servePage, type Rendered } from './page-cache.js';

const CONCURRENT = 40;

/**
 * A server with one page whose render is counted and held back until every request has reached the
 * cache, so all of them miss it at the same time.
 */
async function countedPage(result: () => Rendered) {
  const app = Fastify();
  const owner = {};
  let arrived = 0;
  let renders = 0;
  let release!: () => void;
  const everyoneArrived = new Promise<void>((resolve) => (release = resolve));
  app.get('/page', async (request, reply) => {
    if (++arrived === CONCURRENT) release();
    return servePage(pageCacheFor(owner), request, reply, `key|${String((request.query as { v?: string }).v ?? '')}`, async () => {
      renders += 1;
      await everyoneArrived;
      return result();
    });
  });
  await app.ready();
  return { app, owner, renders: () => renders };
}

const page = (text: string): Rendered => ({ status: 200, type: 'text/html; charset=utf-8', body: `<p>${text}</p>`.repeat(200) });

describe('page cache', () => {
  it('renders a page once for every concurrent request that misses it', async () => {
    const { app, renders } = await countedPage(() => page('one'));
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => app.inject({ url: '/page' })));
    assert.equal(renders(), 1);
    for (const answer of answers) {
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.body, page('one').body);
      assert.equal(answer.headers.etag, answers[0]!.headers.etag);
    }
    const later = await app.inject({ url: '/page', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(later.headers['content-encoding'], 'gzip');
    assert.equal(renders(), 1, 'kept after the render');
    await app.close();
  });

  it('renders each page key on its own', async () => {
    const { app, renders } = await countedPage(() => page('many'));
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => app.inject({ url: `/page?v=${i % 4}` })));
    assert.equal(renders(), 4);
    assert.ok(answers.every((answer) => answer.statusCode === 200));
    await app.close();
  });

  it('gives a failed render to everyone who waited for it, and renders again on the next request', async () => {
    let fail = true;
    const { app, renders } = await countedPage(() => {
      if (fail) throw new Error('render failed');
      return page('second try');
    });
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => app.inject({ url: '/page' })));
    assert.equal(renders(), 1);
    assert.ok(answers.every((answer) => answer.statusCode === 500), answers.map((answer) => answer.statusCode).join(','));
    fail = false;
    const next = await app.inject({ url: '/page' });
    assert.equal(next.statusCode, 200);
    assert.equal(next.body, page('second try').body);
    assert.equal(renders(), 2);
    await app.close();
  });

  it('keeps the page as bytes only, not the rendered string besides them', async () => {
    const { app, owner } = await countedPage(() => page('kept'));
    await Promise.all(Array.from({ length: CONCURRENT }, () => app.inject({ url: '/page' })));
    const entry = pageCacheFor(owner).entries.get('key|')!;
    assert.ok(entry.raw.length > 1024 && entry.gzip !== null);
    assert.deepEqual(Object.keys(entry).sort(), ['etag', 'gzip', 'raw', 'status', 'type']);
    await app.close();
  });
});
