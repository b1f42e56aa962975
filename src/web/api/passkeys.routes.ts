/**
 * /api/v1/auth/passkeys: register, list and remove your passkeys (from a signed-in session), and the
 * passkey step of sign-in (from the session the password step opened).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { SESSION_COOKIE, sessionOf } from '../../features/auth/authenticate.js';
import {
  authenticationOptions,
  passkeysOf,
  registrationOptions,
  removePasskey,
  verifyAuthentication,
  verifyRegistration,
  type PasskeySession,
} from '../../features/auth/passkeys.service.js';
import { clientOf, member } from './guards.js';
import type { App } from './app-types.js';
import { ErrorBody, NumericIdParam } from './schemas.js';
import { AuthenticationCredential, CreationOptions, PasskeyInfo, RegistrationCredential, RequestOptions } from './passkeys.schemas.js';

const errorsOf = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const tags = ['auth'];

/** Passkeys change only from a browser session (which the app already holds to its CSRF token), never with an API token. */
function browserSession(request: FastifyRequest): PasskeySession {
  member(request);
  const session = request.auth.session;
  if (!session) throw new VigilError('session_required', 'passkeys are managed from a signed-in browser session, not with an API token', 403);
  return session;
}

/**
 * The session between the password step and the passkey step. It is not signed in yet, so the app's
 * CSRF check does not cover it: it is done here, with the token the password step returned.
 */
async function passkeyStep(store: Store, request: FastifyRequest): Promise<PasskeySession & { role: string }> {
  const session = await sessionOf(store, request.cookies[SESSION_COOKIE]);
  if (!session) throw new VigilError('authentication_required', 'sign in with email and password first (POST /api/v1/auth/sign-in)', 401);
  if (request.headers['x-csrf-token'] !== session.csrfToken) {
    throw new VigilError('csrf_failed', 'this request needs the X-CSRF-Token header of your session (from sign-in or GET /api/v1/auth/me)', 403);
  }
  return session;
}

export function passkeyRoutes(app: App, store: Store): void {
  app.get('/api/v1/auth/passkeys', {
    schema: { tags, summary: 'Your passkeys', response: { 200: z.object({ items: z.array(PasskeyInfo) }), ...errorsOf } },
  }, async (request) => ({ items: await passkeysOf(store, member(request).userId) }));

  app.post('/api/v1/auth/passkeys/register/options', {
    schema: { tags, summary: 'Register a passkey, step 1: options for navigator.credentials.create', response: { 200: CreationOptions, ...errorsOf } },
  }, async (request) => registrationOptions(store, browserSession(request)));

  app.post('/api/v1/auth/passkeys/register/verify', {
    schema: {
      tags,
      summary: 'Register a passkey, step 2: the new credential (attestation "none" is enough)',
      body: z.object({ name: z.string().max(100).optional().describe('to tell your passkeys apart, such as "laptop"'), credential: RegistrationCredential }),
      response: { 201: PasskeyInfo, ...errorsOf },
    },
  }, async (request, reply) => {
    const session = browserSession(request);
    const created = await verifyRegistration(store, session, request.body, request.ip);
    return reply.status(201).send(created);
  });

  app.post('/api/v1/auth/passkeys/sign-in/options', {
    schema: { tags, summary: 'Sign in, passkey step 1 (after the password step): options for navigator.credentials.get', response: { 200: RequestOptions, ...errorsOf } },
  }, async (request) => authenticationOptions(store, await passkeyStep(store, request), clientOf(request)));

  app.post('/api/v1/auth/passkeys/sign-in/verify', {
    schema: {
      tags,
      summary: 'Sign in, passkey step 2: the assertion; the session is then signed in',
      body: z.object({ credential: AuthenticationCredential }),
      response: { 200: z.object({ second_factor: z.literal('done'), email: z.string(), role: z.string() }), ...errorsOf },
    },
  }, async (request) => {
    const session = await passkeyStep(store, request);
    await verifyAuthentication(store, session, request.body.credential, clientOf(request));
    return { second_factor: 'done' as const, email: session.email, role: session.role };
  });

  app.delete('/api/v1/auth/passkeys/:id', {
    schema: { tags, summary: 'Remove one of your passkeys', params: NumericIdParam, response: { 204: z.null(), ...errorsOf } },
  }, async (request, reply) => {
    await removePasskey(store, browserSession(request), request.params.id, request.ip);
    return reply.status(204).send(null);
  });
}
