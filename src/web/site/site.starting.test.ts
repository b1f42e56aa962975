/**
 * While the public registry is still being built (minutes at a million people, when `vigil serve`
 * starts), a public page answers 503 with Retry-After after a short wait instead of keeping the visitor
 * (or the proxy in front) waiting; once it is built the pages show as usual.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { describeBothBackends } from '../../test-support/stores.js';
import type { Store } from '../../store/connection.js';
import { createPerson } from '../../features/persons/person.service.js';
import { createEvent } from '../../features/events/event.service.js';
import { buildApp } from '../app.js';

/** Holds every query's result back until released: a registry build that takes as long as the test wants. */
class Gate implements KyselyPlugin {
  release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await this.released;
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
    } finally {
      gate.release();
      await app.close();
    }
  });
});
