/** /api/v1/tokens: members create, list and revoke their API tokens (admins: everyone's). */
import { z } from 'zod';
import type { Store } from '../../store/connection.js';
import { createToken, revokeToken, tokensVisibleTo } from '../../features/auth/tokens.service.js';
import { allow } from './guards.js';
import type { App } from './app-types.js';
import { ErrorBody, NumericIdParam, Role } from './schemas.js';

const errorsOf = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const TokenInfo = z.object({
  id: z.number().int(), user_id: z.number().int(), email: z.string(), name: z.string(), role: z.string(), created_at: z.string(),
  expires_at: z.string().nullable(), last_used_at: z.string().nullable(), revoked_at: z.string().nullable(),
});

export function tokenRoutes(app: App, store: Store): void {
  app.get('/api/v1/tokens', {
    schema: { tags: ['tokens'], summary: 'Your API tokens (all tokens for admins); never the secrets', response: { 200: z.object({ items: z.array(TokenInfo) }), ...errorsOf } },
  }, async (request) => ({ items: await tokensVisibleTo(store, allow(request, 'manage_own_tokens')) }));

  app.post('/api/v1/tokens', {
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token for yourself; the secret is shown once',
      body: z.object({ name: z.string().min(1).max(100), role: Role, expires_days: z.number().int().min(1).max(3650).optional() }),
      response: { 201: z.object({ id: z.number().int(), token: z.string(), name: z.string(), role: z.string(), expires_at: z.string().nullable() }), ...errorsOf },
    },
  }, async (request, reply) => {
    const viewer = allow(request, 'manage_own_tokens');
    const created = await createToken(store, { email: viewer.email, name: request.body.name, role: request.body.role, expiresDays: request.body.expires_days }, viewer.email);
    return reply.status(201).send({ id: created.id, token: created.token, name: created.name, role: created.role, expires_at: created.expires_at });
  });

  app.delete('/api/v1/tokens/:id', {
    schema: { tags: ['tokens'], summary: 'Revoke a token', params: NumericIdParam, response: { 204: z.null(), ...errorsOf } },
  }, async (request, reply) => {
    const viewer = allow(request, 'manage_own_tokens');
    await revokeToken(store, request.params.id, viewer, viewer.email);
    return reply.status(204).send(null);
  });
}
