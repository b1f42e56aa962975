/**
 * While the public registry is still being built (minutes at a million people, when `vigil serve`
 * starts), a public page answers 503 with Retry-After after a short wait instead of keeping the visitor
 * (or the proxy in front) waiting; once it is built the pages show as usual. The same for a name search
 * (list page or public API) while the name index, built after the registry, is not there yet.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { describeBothBackends } from '../../test-support/stores.js';
import type { Store } from '../../store/connection.js';
import { createPerson } from '../../features/persons/person.service.js';
import { createEvent } from '../../features/events/event.service.js';
import { buildApp } from '../app.js';

/**
 * Holds back the result of every query that reads records until released: a build that takes as long as
 * the test wants. The data marks (the newest change and import) pass, as they do at once on a real store.
 */
class Gate implements KyselyPlugin {
  release!: () => void;
  private released!: Promise<void>;
  private readonly marks = new WeakSet<QueryId>();

  constructor() {
    this.close();
  }

  close(): void {
    this.released = new Promise<void>((resolve) => (this.release = resolve));
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const text = JSON.stringify(args.node);
    if (args.node.kind === 'SelectQueryNode' && /"name":"(change_log|import_batch)"/.test(text)) this.marks.add(args.queryId);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (!this.marks.has(args.queryId)) await this.released;
    return args.result;
  }
}

describeBothBackends('public site while the registry is being built', (backend) => {
  it('answers 503 with Retry-After in the visitor’s language, caches nothing, and shows the page once the registry is there', { timeout: 60_000 }, async () => {
    const store = await backend.fresh();
    const ctx = { actor: 'test', reason: 'fixture' };
    const person = await createPerson(store, {
      external_id: 'p1', birth_date: null, gender: 'unknown', region: null, occupation: null, tags: [], biography: {}, field_levels: {},
      publish: true, confidentiality: 'public',
      names: [{ family: 'Чакальнік', given: 'Ян', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }],
    }, ctx);
    await createEvent(store, person.id, { type: 'detained', date: '2021-05-01', confidentiality: 'public' }, ctx);
    await createEvent(store, person.id, { type: 'recognized', date: '2021-06-01', confidentiality: 'public' }, ctx);

    const gate = new Gate();
    const slow: Store = { ...store, db: store.db.withPlugin(gate) };
    const app = await buildApp({ store, publicStore: slow, siteStartWaitMs: 200 });
    try {
      for (const [url, text] of [['/?lang=be', 'Сайт запускаецца'], ['/prisoners?lang=ru', 'Сайт запускается'], ['/no-such-page?lang=en', 'The site is starting']] as const) {
        const started = performance.now();
        const answer = await app.inject({ url });
        assert.equal(answer.statusCode, 503, url);
        assert.equal(answer.headers['retry-after'], '30', url);
        assert.equal(answer.headers['cache-control'], 'no-store', url);
        assert.match(answer.headers['content-type'] as string, /^text\/html/);
        assert.ok(answer.body.includes(text), `${url}: ${answer.body.slice(0, 300)}`);
        assert.ok(!answer.body.includes('Чакальнік'), 'no data while starting');
        assert.ok(performance.now() - started < 5000, `${url} answered after the wait, not after the build`);
      }

      gate.release();
      const home = await app.inject({ url: '/?lang=be' });
      assert.equal(home.statusCode, 200);
      assert.ok(!home.body.includes('Сайт запускаецца'), 'the starting page was not cached');
      const list = await app.inject({ url: '/prisoners?lang=ru' });
      assert.equal(list.statusCode, 200);
      assert.ok(list.body.includes('Чакальнік'), 'the person is listed once the registry is built');
      assert.equal((await app.inject({ url: '/no-such-page?lang=en' })).statusCode, 404);

      // The registry is there; the name index (built on the first search) is not yet.
      gate.close();
      const searching = performance.now();
      const search = await app.inject({ url: `/prisoners?lang=en&q=${encodeURIComponent('Чакальнік')}` });
      assert.equal(search.statusCode, 503, 'a list search waits for the index no longer than the start wait');
      assert.equal(search.headers['retry-after'], '30');
      assert.equal(search.headers['cache-control'], 'no-store');
      assert.ok(search.body.includes('The site is starting'), search.body.slice(0, 300));
      for (const url of [`/api/v1/public/persons?q=${encodeURIComponent('Chakalnik')}`, '/api/v1/public/persons']) {
        const answer = await app.inject({ url });
        assert.equal(answer.statusCode, 503, url);
        assert.equal(answer.headers['retry-after'], '30', url);
        assert.equal(answer.headers['cache-control'], 'no-store', url);
        const body = answer.json() as { error: { id: string; message: string } };
        assert.equal(body.error.id, 'starting', url);
        assert.match(body.error.message, /name index is still being built/);
      }
      assert.equal((await app.inject({ url: '/api/v1/public/persons?q=%20' })).statusCode, 503, 'a blank query lists, and listing needs the index too');
      assert.equal((await app.inject({ url: `/api/v1/public/persons?q=${'x'.repeat(301)}` })).statusCode, 400, 'a bad query is refused at once, index or not');
      assert.ok(performance.now() - searching < 10_000, 'each answered after the wait, not after the build');

      gate.release();
      const found = await app.inject({ url: `/prisoners?lang=en&q=${encodeURIComponent('Чакальнік')}` });
      assert.equal(found.statusCode, 200, 'the starting answer was not cached');
      assert.ok(found.body.includes('Чакальнік'));
      const api = await app.inject({ url: `/api/v1/public/persons?q=${encodeURIComponent('Chakalnik')}` });
      assert.equal(api.statusCode, 200);
      assert.deepEqual((api.json() as { persons: { external_id: string }[] }).persons.map((hit) => hit.external_id), ['p1']);
    } finally {
      gate.release();
      await app.close();
    }
  });
});
