import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { buildApp } from '../app.js';
import { LIMITS } from '../../features/auth/signin.service.js';

describeBothBackends('JSON API', (backend) => {
  it('publishes OpenAPI 3.1 generated from the same zod schemas that validate requests', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const doc = response.json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v1/persons', '/api/v1/persons/{id}', '/api/v1/persons/{id}/history', '/api/v1/events', '/api/v1/events/{id}', '/api/v1/auth/sign-in', '/api/v1/tokens', '/api/v1/public/persons', '/api/v1/stats']) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    const create = doc.paths['/api/v1/persons'].post.requestBody.content['application/json'].schema;
    assert.ok(create.required.includes('external_id') && create.required.includes('names'));
    assert.equal(create.properties.gender.enum.join(','), 'female,male,other,unknown');
    assert.ok(doc.components.securitySchemes.token);
    await app.close();
  });

  it('validates every input and says which field is wrong', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const noNames = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: editor, payload: { external_id: 'x', names: [] } });
    assert.equal(noNames.statusCode, 400);
    assert.equal(noNames.json().error.id, 'validation_failed');
    assert.match(noNames.json().error.message, /^body\.names: /);
    const badDate = await app.inject({ method: 'POST', url: '/api/v1/events', headers: editor, payload: { person: 'x', type: 'detained', date: '31.12.2021' } });
    assert.match(badDate.json().error.message, /^body\.date: .*YYYY/);
    const badQuery = await app.inject({ method: 'GET', url: '/api/v1/persons?limit=100000', headers: editor });
    assert.equal(badQuery.statusCode, 400);
    assert.match(badQuery.json().error.message, /^querystring\.limit/);
    await app.close();
  });

  it('detects a concurrent edit (409) and keeps the full history of the record', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    await app.inject({ method: 'POST', url: '/api/v1/persons', headers: editor, payload: { external_id: 'p1', names: [{ family: 'Бяляцкі', given: 'Алесь' }], change_reason: 'Viasna list' } });
    const first = await app.inject({ method: 'PATCH', url: '/api/v1/persons/p1', headers: editor, payload: { version: 1, change_reason: 'verdict', region: 'Minsk' } });
    assert.equal(first.statusCode, 200);
    assert.equal(first.json().version, 2);
    const stale = await app.inject({ method: 'PATCH', url: '/api/v1/persons/p1', headers: editor, payload: { version: 1, change_reason: 'old tab', region: 'Brest' } });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.id, 'version_conflict');
    const history = (await app.inject({ method: 'GET', url: '/api/v1/persons/p1/history', headers: editor })).json().items;
    assert.deepEqual(history.map((h: { version: number; actor: string; reason: string }) => [h.version, h.actor, h.reason]), [[1, 'editor@example.org', 'Viasna list'], [2, 'editor@example.org', 'verdict']]);
    assert.equal(history[1].before.region, null);
    assert.equal(history[1].after.region, 'Minsk');
    await app.close();
  });

  it('sends strict security headers with a nonce-based CSP and no inline scripts allowed', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+'/);
    const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src'))!;
    assert.doesNotMatch(scriptSrc, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
    assert.ok(response.headers['strict-transport-security']);
    await app.close();
  });

  it('refuses oversized bodies and answers unknown paths with a JSON error', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const huge = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: { ...editor, 'content-type': 'application/json' }, payload: JSON.stringify({ external_id: 'x', names: [{ family: 'x'.repeat(2_000_000) }] }) });
    assert.equal(huge.statusCode, 413);
    assert.equal(huge.json().error.id, 'body_too_large');
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.id, 'not_found');
    await app.close();
  });
});

describeBothBackends('audit API', (backend) => {
  it('lets admins read and verify the audit trail, and nobody else', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const admin = await memberWithToken(app, store, 'admin@example.org', 'admin');
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const list = await app.inject({ method: 'GET', url: '/api/v1/audit?limit=5', headers: admin });
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().items.some((entry: { action: string }) => entry.action === 'token_create'));
    const verify = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: admin });
    assert.equal(verify.json().ok, true);
    assert.match(verify.json().head_hash, /^[0-9a-f]{64}$/);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/audit', headers: editor })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode, 401);
    await app.close();
  });
});

describeBothBackends('behind a reverse proxy', (backend) => {
  it('counts failed sign-ins per client address when VIGIL_TRUST_PROXY names the proxy, and ignores the header otherwise', async () => {
    const store = await backend.fresh();
    const attempt = (app: Awaited<ReturnType<typeof buildApp>>, client: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'x-forwarded-for': client }, payload: { email: `${client}@example.org`, password: 'x', totp: '000000' } });
    process.env.VIGIL_TRUST_PROXY = '127.0.0.1';
    const proxied = await buildApp({ store });
    delete process.env.VIGIL_TRUST_PROXY;
    for (let i = 0; i < LIMITS.perAddress; i++) await attempt(proxied, '203.0.113.7');
    assert.equal((await attempt(proxied, '203.0.113.7')).statusCode, 429, 'the guessing client is stopped');
    assert.equal((await attempt(proxied, '198.51.100.2')).statusCode, 401, 'another client behind the same proxy is not');
    const direct = await buildApp({ store: await backend.fresh() });
    for (let i = 0; i < LIMITS.perAddress; i++) await attempt(direct, `192.0.2.${i}`);
    assert.equal((await attempt(direct, '192.0.2.200')).statusCode, 429, 'without trust, a forged header changes nothing');
    await proxied.close();
    await direct.close();
  });
});

describeBothBackends('simultaneous creation', (backend) => {
  it('gives one 201 and clear 409s, never a 500, when several create the same facility at once', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        app.inject({ method: 'POST', url: '/api/v1/facilities', headers: editor, payload: { name: 'Penal Colony No. 4 Gomel', type: 'penal_colony', change_reason: 'directory' } }),
      ),
    );
    assert.deepEqual(responses.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409], responses.map((r) => r.body).join('\n'));
    await app.close();
  });
});
