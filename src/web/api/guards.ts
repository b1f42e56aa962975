/** The steps every private route takes in the same order: who is it, may they do this. */
import type { FastifyRequest } from 'fastify';
import { can, type Action, type Viewer } from '../../domain/policy.js';
import { VigilError } from '../../errors.js';
import type { Authenticated } from '../../features/auth/authenticate.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated;
  }
}

export type Member = Extract<Viewer, { kind: 'member' }>;

export function member(request: FastifyRequest): Member {
  const viewer = request.auth.viewer;
  if (viewer.kind !== 'member') {
    throw new VigilError('authentication_required', 'sign in (POST /api/v1/auth/sign-in) or send an API token (Authorization: Bearer ...)', 401);
  }
  return viewer;
}

export function allow(request: FastifyRequest, action: Action): Member {
  const viewer = member(request);
  if (!can(viewer, action)) {
    throw new VigilError('forbidden', `your role (${viewer.role}) may not ${action.replaceAll('_', ' ')}; ask an admin if you need to`, 403);
  }
  return viewer;
}

export function clientOf(request: FastifyRequest): { ip: string | null; userAgent: string | null } {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
}
