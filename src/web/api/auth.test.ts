import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { PASSWORD, setUpAccount, signInAs } from '../../test-support/accounts.js';
import { buildApp } from '../app.js';
import { currentTotp } from '../../features/auth/totp.js';
import { addUser } from '../../features/auth/accounts.service.js';
import { createToken, revokeToken } from '../../features/auth/tokens.service.js';
import { auditEntries, verifyAudit } from '../../features/audit/audit.service.js';
import { LIMITS } from '../../features/auth/signin.service.js';

const person = { external_id: 'a1', names: [{ family: 'Лосік', given: 'Ігар', lang: 'be' }], change_reason: 'court list' };

describeBothBackends('accounts and sign-in', (backend) => {
  it('sets up an account with a one-time code, signs in with password and TOTP, and needs CSRF for writes', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const secret = await setUpAccount(app, store, 'editor@example.org', 'editor');
    const session = await signInAs(app, 'editor@example.org', secret);
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session.cookie } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().role, 'editor');

    const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: { cookie: session.cookie }, payload: person });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().error.id, 'csrf_failed');
    const created = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, payload: person });
    assert.equal(created.statusCode, 201, created.body);

    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    assert.equal(out.statusCode, 204);
    const after = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session.cookie } });
    assert.equal(after.statusCode, 401, 'the session is gone on the server, not just the cookie');

    const actions = (await auditEntries(store.db, { limit: 50 })).map((entry) => entry.action).reverse();
    assert.deepEqual(actions, ['user_add', 'account_setup', 'sign_in', 'create', 'sign_out']);
    assert.equal((await verifyAudit(store.db)).ok, true);
    await app.close();
  });

  it('sets the session cookie http-only, secure and same-site strict', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const secret = await setUpAccount(app, store, 'r@example.org', 'researcher');
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'r@example.org', password: PASSWORD, totp: currentTotp(secret) } });
    const cookie = response.cookies.find((c) => c.name === 'vigil_session')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'Strict');
    await app.close();
  });

  it('accepts a one-time code only once', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const secret = await setUpAccount(app, store, 'v@example.org', 'volunteer');
    const now = Date.now();
    await signInAs(app, 'v@example.org', secret, now);
    const replay = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'v@example.org', password: PASSWORD, totp: currentTotp(secret, now) } });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().error.id, 'invalid_credentials');
    await app.close();
  });

  it('refuses a password without a second factor, and never says whether an account exists', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await setUpAccount(app, store, 'v@example.org', 'volunteer');
    const noCode = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'v@example.org', password: PASSWORD } });
    const nobody = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'nobody@example.org', password: PASSWORD, totp: '123456' } });
    assert.equal(noCode.statusCode, 401);
    assert.equal(nobody.statusCode, 401);
    assert.deepEqual(noCode.json(), nobody.json());
    await app.close();
  });

  it('limits failed sign-ins per account with a clear message, even for the right password', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const secret = await setUpAccount(app, store, 'e@example.org', 'editor');
    for (let i = 0; i < LIMITS.perAccount; i++) {
      const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'e@example.org', password: 'wrong password!', totp: '000000' } });
      assert.equal(wrong.statusCode, 401);
    }
    const blocked = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'e@example.org', password: PASSWORD, totp: currentTotp(secret) } });
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.json().error.message, /too many failed sign-ins for this account; wait 15 minutes/);
    const failures = (await auditEntries(store.db, { limit: 50, action: 'sign_in_failed' })).length;
    assert.equal(failures, LIMITS.perAccount, 'every failed attempt is in the audit trail');
    await app.close();
  });

  it('limits failed sign-ins per address across accounts', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    for (let i = 0; i < LIMITS.perAddress; i++) {
      await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: `guess${i}@example.org`, password: 'x', totp: '000000' } });
    }
    const blocked = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'another@example.org', password: 'x', totp: '000000' } });
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.json().error.message, /from this address/);
    await app.close();
  });

  it('rejects a weak password and a wrong authenticator code at set-up, and a set-up code works once', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const setup = await addUser(store, 'n@example.org', 'researcher', 'test');
    const start = await app.inject({ method: 'POST', url: '/api/v1/auth/setup/start', payload: { code: setup.code } });
    const secret = start.json().totp_secret as string;
    const weak = await app.inject({ method: 'POST', url: '/api/v1/auth/setup/finish', payload: { code: setup.code, password: 'short', totp: currentTotp(secret) } });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.json().error.message, /at least 12 characters/);
    const badCode = await app.inject({ method: 'POST', url: '/api/v1/auth/setup/finish', payload: { code: setup.code, password: PASSWORD, totp: '000000' } });
    assert.equal(badCode.json().error.id, 'totp_invalid');
    const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/setup/finish', payload: { code: setup.code, password: PASSWORD, totp: currentTotp(secret) } });
    assert.equal(ok.statusCode, 204);
    const again = await app.inject({ method: 'POST', url: '/api/v1/auth/setup/start', payload: { code: setup.code } });
    assert.equal(again.json().error.id, 'setup_code_invalid');
    const stored = await store.db.selectFrom('app_user').select('password_hash').executeTakeFirstOrThrow();
    assert.match(stored.password_hash!, /^\$argon2id\$/);
    await app.close();
  });

  it('authenticates API tokens, scoped to their role, stored hashed, and revocable', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await setUpAccount(app, store, 'ed@example.org', 'editor');
    const writer = await createToken(store, { email: 'ed@example.org', name: 'import script', role: 'editor' }, 'test');
    const reader = await createToken(store, { email: 'ed@example.org', name: 'dashboard', role: 'researcher' }, 'test');
    await assert.rejects(createToken(store, { email: 'ed@example.org', name: 'too much', role: 'admin' }, 'test'), /cannot carry more than its owner/);
    const stored = await store.db.selectFrom('api_token').select('token_hash').execute();
    assert.ok(stored.every((row) => row.token_hash !== writer.token && row.token_hash !== reader.token), 'tokens are stored hashed');

    const asWriter = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: { authorization: `Bearer ${writer.token}` }, payload: person });
    assert.equal(asWriter.statusCode, 201, 'bearer tokens need no CSRF token');
    const asReader = await app.inject({ method: 'POST', url: '/api/v1/persons', headers: { authorization: `Bearer ${reader.token}` }, payload: { ...person, external_id: 'a2' } });
    assert.equal(asReader.statusCode, 403);
    assert.match(asReader.json().error.message, /your role \(researcher\) may not write/);

    await revokeToken(store, writer.id, null, 'test');
    const revoked = await app.inject({ method: 'GET', url: '/api/v1/persons', headers: { authorization: `Bearer ${writer.token}` } });
    assert.equal(revoked.statusCode, 401);
    assert.equal(revoked.json().error.id, 'token_invalid');
    await app.close();
  });
});
