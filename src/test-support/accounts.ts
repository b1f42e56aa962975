/** Team members for API tests: real accounts, set up and signed in the way a person would. */
import type { Role } from '../domain/policy.js';
import type { Store } from '../store/connection.js';
import { addUser } from '../features/auth/accounts.service.js';
import { createToken } from '../features/auth/tokens.service.js';
import { currentTotp, TOTP_STEP_SECONDS } from '../features/auth/totp.js';
import type { App } from '../web/api/app-types.js';

export const PASSWORD = 'correct horse battery staple';

/** Sets up an account through the set-up endpoints; returns its TOTP secret. */
export async function setUpAccount(app: App, store: Store, email: string, role: Role): Promise<string> {
  const setup = await addUser(store, email, role, 'test:admin');
  const start = await app.inject({ method: 'POST', url: '/api/v1/auth/setup/start', payload: { code: setup.code } });
  if (start.statusCode !== 200) throw new Error(`setup/start: ${start.body}`);
  const secret = start.json().totp_secret as string;
  const finish = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/setup/finish',
    payload: { code: setup.code, password: PASSWORD, totp: await setupCode(secret) },
  });
  if (finish.statusCode !== 204) throw new Error(`setup/finish: ${finish.body}`);
  return secret;
}

const STEP_MS = TOTP_STEP_SECONDS * 1000;

/**
 * A code for finishing set-up: the previous time step's, so the current step's code is left for
 * signing in (a step is accepted once). The server accepts one step of drift, so the previous step's
 * code stops working when the next step begins; if fewer than `marginMs` are left before then, this
 * waits for the next step first, so the code cannot expire between here and the server.
 */
export async function setupCode(secret: string, marginMs = 3_000): Promise<string> {
  const left = STEP_MS - (Date.now() % STEP_MS);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
  return currentTotp(secret, Date.now() - STEP_MS);
}

export interface SessionClient {
  cookie: string;
  csrf: string;
}

export async function signInAs(app: App, email: string, secret: string, now = Date.now()): Promise<SessionClient> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password: PASSWORD, totp: currentTotp(secret, now) } });
  if (response.statusCode !== 200) throw new Error(`sign-in: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'vigil_session')!;
  return { cookie: `vigil_session=${cookie.value}`, csrf: response.json().csrf_token as string };
}

/** An active member with an API token of their role; returns the Authorization header. */
export async function memberWithToken(app: App, store: Store, email: string, role: Role): Promise<{ authorization: string }> {
  await setUpAccount(app, store, email, role);
  const token = await createToken(store, { email, name: 'tests', role }, 'test:admin');
  return { authorization: `Bearer ${token.token}` };
}
