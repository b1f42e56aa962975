/** /api/v1/auth: account set-up, sign-in (password + TOTP), sign-out, who am I. */
import type {} from '@fastify/cookie';
import { z } from 'zod';
import type { Store } from '../../store/connection.js';
import { finishSetup, startSetup } from '../../features/auth/accounts.service.js';
import { signIn, signOut } from '../../features/auth/signin.service.js';
import { SESSION_COOKIE } from '../../features/auth/authenticate.js';
import { SESSION_MAX_HOURS } from '../../features/auth/signin.service.js';
import { clientOf, member } from './guards.js';
import { relyingParty } from '../../features/auth/passkeys.service.js';
import type { App } from './app-types.js';
import { ErrorBody } from './schemas.js';

const errorsOf = { 400: ErrorBody, 401: ErrorBody, 429: ErrorBody };

/**
 * Cookies are Secure except where Vigil is configured to be reached over plain http from another
 * machine (VIGIL_ORIGIN=http://192.168.1.5:8080 on an office LAN): browsers drop Secure cookies there,
 * and nobody could sign in. Over https, and on http://localhost (which browsers treat as secure),
 * they stay Secure.
 */
export function cookieSecure(origin?: string): boolean {
  try {
    const url = new URL(origin ?? relyingParty().origin);
    return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    // A wrong VIGIL_ORIGIN is reported where it is used; the cookie stays Secure meanwhile.
    return true;
  }
}

export const cookieOptions = {
  httpOnly: true,
  secure: cookieSecure(),
  sameSite: 'strict' as const,
  path: '/',
};

export function authRoutes(app: App, store: Store): void {
  app.post('/api/v1/auth/sign-in', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email, password and a one-time code (or a passkey afterwards)',
      body: z.object({ email: z.string().max(254), password: z.string().max(256), totp: z.string().max(10).optional() }),
      response: { 200: z.object({ csrf_token: z.string(), second_factor: z.enum(['done', 'passkey']), email: z.string(), role: z.string() }), ...errorsOf },
    },
  }, async (request, reply) => {
    const result = await signIn(store, request.body, clientOf(request));
    reply.setCookie(SESSION_COOKIE, result.sessionToken, { ...cookieOptions, maxAge: SESSION_MAX_HOURS * 3600 });
    return { csrf_token: result.csrfToken, second_factor: result.secondFactor, email: result.email, role: result.role };
  });

  app.post('/api/v1/auth/sign-out', {
    schema: { tags: ['auth'], summary: 'Sign out (ends the session on the server)', response: { 204: z.null(), ...errorsOf } },
  }, async (request, reply) => {
    const viewer = member(request);
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await signOut(store, cookie, viewer.email, request.ip);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: z.object({ email: z.string(), role: z.string(), via: z.string(), csrf_token: z.string().nullable() }), ...errorsOf } },
  }, async (request) => {
    const viewer = member(request);
    return { email: viewer.email, role: viewer.role, via: viewer.via, csrf_token: request.auth.session?.csrfToken ?? null };
  });

  app.post('/api/v1/auth/setup/start', {
    schema: {
      tags: ['auth'],
      summary: 'Account set-up, step 1: the authenticator secret for a set-up code',
      body: z.object({ code: z.string().min(10).max(100) }),
      response: { 200: z.object({ email: z.string(), totp_secret: z.string(), otpauth_uri: z.string() }), ...errorsOf },
    },
  }, async (request) => startSetup(store, request.body.code));

  app.post('/api/v1/auth/setup/finish', {
    schema: {
      tags: ['auth'],
      summary: 'Account set-up, step 2: choose the password and confirm the authenticator',
      body: z.object({ code: z.string().min(10).max(100), password: z.string().max(256), totp: z.string().max(10) }),
      response: { 204: z.null(), ...errorsOf },
    },
  }, async (request, reply) => {
    await finishSetup(store, request.body, request.ip);
    return reply.status(204).send(null);
  });
}
