import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends, type TestBackend } from '../../test-support/stores.js';
import { memberWithToken, PASSWORD, setUpAccount, signInAs, type SessionClient } from '../../test-support/accounts.js';
import { SoftwareAuthenticator } from '../../test-support/authenticator.js';
import { buildApp } from '../app.js';
import { auditEntries, verifyAudit } from '../../features/audit/audit.service.js';
import { LIMITS } from '../../features/auth/signin.service.js';
import type { App } from './app-types.js';
import type { Store } from '../../store/connection.js';

const BASE = '/api/v1/auth/passkeys';

function post(app: App, path: string, session: SessionClient, payload?: object, csrf: string | null = session.csrf) {
  const headers: Record<string, string> = { cookie: session.cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) };
  return app.inject({ method: 'POST', url: `${BASE}${path}`, headers, ...(payload ? { payload } : {}) });
}

/** A member, signed in with password and TOTP, who registers one passkey. */
async function memberWithPasskey(app: App, store: Store, email: string): Promise<{ key: SoftwareAuthenticator; session: SessionClient }> {
  const session = await signInAs(app, email, await setUpAccount(app, store, email, 'editor'));
  const key = new SoftwareAuthenticator();
  const options = await post(app, '/register/options', session);
  assert.equal(options.statusCode, 200, options.body);
  const registered = await post(app, '/register/verify', session, { name: 'laptop', credential: key.register(options.json()) });
  assert.equal(registered.statusCode, 201, registered.body);
  return { key, session };
}

/** Sign-in with the password only: the session then waits for the passkey step. */
async function passwordStep(app: App, email: string): Promise<SessionClient> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password: PASSWORD } });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.json().second_factor, 'passkey');
  const cookie = response.cookies.find((c) => c.name === 'vigil_session')!;
  return { cookie: `vigil_session=${cookie.value}`, csrf: response.json().csrf_token as string };
}

/** A fresh app with a member who has a passkey and has just passed the password step of sign-in. */
async function atPasskeyStep(backend: TestBackend, email = 'e@example.org') {
  const store = await backend.fresh();
  const app = await buildApp({ store });
  const { key } = await memberWithPasskey(app, store, email);
  return { store, app, key, session: await passwordStep(app, email) };
}

async function signInOptions(app: App, session: SessionClient): Promise<{ challenge: string; allowCredentials: { id: string }[] }> {
  const options = await post(app, '/sign-in/options', session);
  assert.equal(options.statusCode, 200, options.body);
  return options.json();
}

function me(app: App, session: SessionClient) {
  return app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session.cookie } });
}

async function failureReasons(store: Store): Promise<string[]> {
  return (await auditEntries(store.db, { limit: 100, action: 'sign_in_failed' })).map((entry) => String(entry.detail.reason)).reverse();
}

describeBothBackends('passkeys', (backend) => {
  it('registers a passkey from a signed-in session, lists it, and not with an API token', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { key, session } = await memberWithPasskey(app, store, 'e@example.org');
    const list = await app.inject({ method: 'GET', url: BASE, headers: { cookie: session.cookie } });
    assert.equal(list.statusCode, 200);
    const [item, ...rest] = list.json().items;
    assert.equal(rest.length, 0);
    assert.equal(item.name, 'laptop');
    assert.equal(item.last_used_at, null);
    const stored = await store.db.selectFrom('webauthn_credential').selectAll().executeTakeFirstOrThrow();
    assert.equal(stored.credential_id, key.id);
    assert.deepEqual(JSON.parse(stored.transports), ['internal']);

    const again = await post(app, '/register/options', session);
    assert.deepEqual(again.json().excludeCredentials.map((c: { id: string }) => c.id), [key.id], 'the same authenticator is not registered twice');
    assert.equal(again.json().authenticatorSelection.userVerification, 'required');

    const token = await memberWithToken(app, store, 'r@example.org', 'researcher');
    const byToken = await app.inject({ method: 'POST', url: `${BASE}/register/options`, headers: token });
    assert.equal(byToken.statusCode, 403);
    assert.equal(byToken.json().error.id, 'session_required');
    await app.close();
  });

  it('signs in with password then passkey; the session is not signed in before the passkey step', async () => {
    const { store, app, key, session } = await atPasskeyStep(backend);
    assert.equal((await me(app, session)).statusCode, 401);

    const options = await signInOptions(app, session);
    assert.deepEqual(options.allowCredentials.map((c) => c.id), [key.id]);
    assert.equal((await me(app, session)).statusCode, 401, 'asking for options does not sign in');
    const verified = await post(app, '/sign-in/verify', session, { credential: key.assert(options) });
    assert.equal(verified.statusCode, 200, verified.body);
    assert.equal(verified.json().second_factor, 'done');
    const after = await me(app, session);
    assert.equal(after.statusCode, 200);
    assert.equal(after.json().email, 'e@example.org');

    const stored = await store.db.selectFrom('webauthn_credential').selectAll().executeTakeFirstOrThrow();
    assert.equal(stored.counter, key.counter);
    assert.notEqual(stored.last_used_at, null);
    const signIns = (await auditEntries(store.db, { limit: 100 })).filter((e) => e.action.startsWith('sign_in')).reverse();
    assert.deepEqual(signIns.map((e) => [e.action, e.detail.second_factor]), [['sign_in', 'totp'], ['sign_in_password_step', 'passkey'], ['sign_in', 'passkey']]);
    assert.equal((await verifyAudit(store.db)).ok, true);
    await app.close();
  });

  it('refuses a replayed assertion and a counter that does not increase, and audits the suspected clone', async () => {
    const { store, app, key, session: first } = await atPasskeyStep(backend);
    const used = key.assert(await signInOptions(app, first));
    assert.equal((await post(app, '/sign-in/verify', first, { credential: used })).statusCode, 200);

    const second = await passwordStep(app, 'e@example.org');
    await signInOptions(app, second);
    const replay = await post(app, '/sign-in/verify', second, { credential: used });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().error.id, 'passkey_invalid');
    const clone = await post(app, '/sign-in/verify', second, { credential: key.assert(await signInOptions(app, second), key.counter) });
    assert.equal(clone.statusCode, 401);
    assert.equal((await me(app, second)).statusCode, 401);

    const reasons = await failureReasons(store);
    assert.equal(reasons.length, 2);
    assert.match(reasons[0]!, /challenge/);
    assert.match(reasons[1]!, /counter did not increase/);
    const [cloneEntry] = await auditEntries(store.db, { limit: 1, action: 'sign_in_failed' });
    assert.equal(cloneEntry!.detail.suspected_clone, true);

    const genuine = await post(app, '/sign-in/verify', second, { credential: key.assert(await signInOptions(app, second)) });
    assert.equal(genuine.statusCode, 200, 'the same passkey with a higher counter is still accepted');
    await app.close();
  });

  it('refuses an answer to another challenge, and the challenge is then used up', async () => {
    const { store, app, key, session } = await atPasskeyStep(backend);
    const options = await signInOptions(app, session);
    const wrong = await post(app, '/sign-in/verify', session, { credential: key.assert({ challenge: Buffer.from('not the challenge').toString('base64url') }) });
    assert.equal(wrong.statusCode, 401);
    const late = await post(app, '/sign-in/verify', session, { credential: key.assert(options) });
    assert.equal(late.statusCode, 401, 'a challenge works for one attempt only');
    assert.equal((await me(app, session)).statusCode, 401);
    const reasons = await failureReasons(store);
    assert.match(reasons[0]!, /Unexpected authentication response challenge/);
    assert.match(reasons[1]!, /no sign-in challenge/);
    await app.close();
  });

  it("refuses another account's passkey", async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const alice = await memberWithPasskey(app, store, 'alice@example.org');
    await memberWithPasskey(app, store, 'bob@example.org');
    const bob = await passwordStep(app, 'bob@example.org');
    const answer = await post(app, '/sign-in/verify', bob, { credential: alice.key.assert(await signInOptions(app, bob)) });
    assert.equal(answer.statusCode, 401);
    assert.equal((await me(app, bob)).statusCode, 401);
    const [entry] = await auditEntries(store.db, { limit: 1, action: 'sign_in_failed' });
    assert.equal(entry!.actor, 'bob@example.org');
    assert.equal(entry!.detail.reason, 'not a passkey of this account');
    await app.close();
  });

  it('needs the CSRF token of the sign-in response in the passkey step', async () => {
    const { app, key, session } = await atPasskeyStep(backend);
    const noToken = await post(app, '/sign-in/options', session, undefined, null);
    assert.equal(noToken.statusCode, 403);
    assert.equal(noToken.json().error.id, 'csrf_failed');
    const options = await signInOptions(app, session);
    const credential = key.assert(options);
    for (const csrf of [null, 'wrong-token']) {
      const refused = await post(app, '/sign-in/verify', session, { credential }, csrf);
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.id, 'csrf_failed');
    }
    assert.equal((await me(app, session)).statusCode, 401);
    const ok = await post(app, '/sign-in/verify', session, { credential });
    assert.equal(ok.statusCode, 200, 'a refused CSRF check does not use up the challenge');
    await app.close();
  });

  it('throttles failed passkey steps like failed passwords', async () => {
    const { app, key, session } = await atPasskeyStep(backend);
    for (let i = 0; i < LIMITS.perAccount; i++) {
      const wrong = await post(app, '/sign-in/verify', session, { credential: key.assert({ challenge: 'AAAA' }) });
      assert.equal(wrong.statusCode, 401);
    }
    const blocked = await post(app, '/sign-in/verify', session, { credential: key.assert({ challenge: 'AAAA' }) });
    assert.equal(blocked.statusCode, 429);
    const password = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'e@example.org', password: PASSWORD } });
    assert.equal(password.statusCode, 429, 'the account is throttled for every way in');
    await app.close();
  });

  it('removes a passkey; a password-only sign-in is then refused again', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { session } = await memberWithPasskey(app, store, 'e@example.org');
    const other = await memberWithPasskey(app, store, 'o@example.org');
    const [mine] = (await app.inject({ method: 'GET', url: BASE, headers: { cookie: session.cookie } })).json().items;
    const notYours = await app.inject({ method: 'DELETE', url: `${BASE}/${mine.id}`, headers: { cookie: other.session.cookie, 'x-csrf-token': other.session.csrf } });
    assert.equal(notYours.statusCode, 404);

    const removed = await app.inject({ method: 'DELETE', url: `${BASE}/${mine.id}`, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    assert.equal(removed.statusCode, 204);
    assert.deepEqual((await app.inject({ method: 'GET', url: BASE, headers: { cookie: session.cookie } })).json().items, []);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'e@example.org', password: PASSWORD } });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error.id, 'invalid_credentials');
    const actions = (await auditEntries(store.db, { limit: 100, actor: 'e@example.org' })).map((e) => e.action).reverse();
    assert.deepEqual(actions.slice(-3), ['passkey_add', 'passkey_remove', 'sign_in_failed']);
    await app.close();
  });
});
