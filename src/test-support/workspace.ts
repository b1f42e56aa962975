/** The workspace driven as a browser would drive it without JavaScript: forms, cookies, redirects. */
import type { Role } from '../domain/policy.js';
import type { Store } from '../store/connection.js';
import { currentTotp } from '../features/auth/totp.js';
import type { App } from '../web/api/app-types.js';
import { PASSWORD, setUpAccount } from './accounts.js';

export interface Answer {
  status: number;
  body: string;
  location: string | undefined;
}

export interface WorkspaceClient {
  email: string;
  get(path: string): Promise<Answer>;
  /** Posts a form as url-encoded fields; adds the session's _csrf field unless `fields` has one. */
  post(path: string, fields: Record<string, string | string[]>): Promise<Answer>;
  /** The CSRF token the pages carry in their forms. */
  csrf: string;
  /** The session cookie header, for requests the helpers above do not make (multipart uploads). */
  cookie: string;
}

/** The value of a hidden or text input in a page (first match). */
export function inputValue(page: string, name: string): string | null {
  const match = page.match(new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`)) ?? page.match(new RegExp(`<input[^>]*value="([^"]*)"[^>]*name="${name}"`));
  return match ? match[1]!.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>') : null;
}

export function encodeForm(fields: Record<string, string | string[]>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of Array.isArray(value) ? value : [value]) form.append(name, one);
  return form.toString();
}

/** Signs in through /admin/sign-in with password and a one-time code, as a person at a browser would. */
export async function signInToWorkspace(app: App, email: string, secret: string): Promise<WorkspaceClient> {
  const form = await app.inject({ method: 'GET', url: '/admin/sign-in?lang=en' });
  const formCookie = form.cookies.find((c) => c.name === 'vigil_form')!;
  const signIn = await app.inject({
    method: 'POST', url: '/admin/sign-in?lang=en', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `vigil_form=${formCookie.value}` },
    payload: encodeForm({ _form: inputValue(form.body, '_form')!, next: '/admin', email, password: PASSWORD, totp: currentTotp(secret) }),
  });
  if (signIn.statusCode !== 303) throw new Error(`workspace sign-in: ${signIn.statusCode} ${signIn.body}`);
  const session = signIn.cookies.find((c) => c.name === 'vigil_session')!;
  const cookie = `vigil_session=${session.value}`;
  const home = await app.inject({ method: 'GET', url: '/admin?lang=en', headers: { cookie } });
  const csrf = inputValue(home.body, '_csrf');
  if (!csrf) throw new Error(`no CSRF field on the dashboard: ${home.statusCode} ${home.body.slice(0, 500)}`);
  const answer = (response: { statusCode: number; body: string; headers: Record<string, unknown> }): Answer => ({
    status: response.statusCode, body: response.body, location: response.headers.location as string | undefined,
  });
  return {
    email, csrf, cookie,
    get: async (path) => answer(await app.inject({ method: 'GET', url: path, headers: { cookie } })),
    post: async (path, fields) => answer(await app.inject({
      method: 'POST', url: path, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm({ _csrf: csrf, ...fields }),
    })),
  };
}

/** A new account of a role, set up and signed in to the workspace. */
export async function workspaceMember(app: App, store: Store, email: string, role: Role): Promise<WorkspaceClient> {
  const secret = await setUpAccount(app, store, email, role);
  return signInToWorkspace(app, email, secret);
}
