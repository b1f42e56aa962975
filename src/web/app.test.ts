import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../test-support/stores.js';
import { buildApp } from './app.js';

describeBothBackends('web app', (backend) => {
  it('answers /healthz with 200 while the store is reachable and 503 when it is not', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const ok = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { status: 'ok' });
    await store.close();
    const down = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(down.statusCode, 503);
    await app.close();
  });

  it('reports counts as JSON and explains a bad date without a stack trace', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const counts = await app.inject({ method: 'GET', url: '/api/v1/stats?on=2024-01-01' });
    assert.equal(counts.statusCode, 200);
    assert.deepEqual(counts.json(), { date: '2024-01-01', in_custody: 0, political_prisoners: 0, released_political_prisoners: 0, died_in_custody: 0 });
    const bad = await app.inject({ method: 'GET', url: '/api/v1/stats?on=yesterday' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.id, 'validation_failed');
    assert.doesNotMatch(bad.body, /at .*\.ts:\d+/);
    await app.close();
  });
});
