/**
 * Who is asking: a bearer API token, a session cookie (signed in with both factors), or nobody (the
 * public). A presented token that is wrong is an error, not "anonymous", so a misconfigured client
 * hears about it.
 */
import { isRole, PUBLIC, type Viewer } from '../../domain/policy.js';
import { VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { apiTokenByHash, deleteSession, sessionByHash, touchApiToken, updateSession } from '../../store/account.repository.js';
import { sha256 } from './secrets.js';
import { SESSION_IDLE_MINUTES } from './signin.service.js';

export const SESSION_COOKIE = 'vigil_session';
export const TOKEN_PREFIX = 'vgl_';

export interface Authenticated {
  viewer: Viewer;
  /** Present when the viewer came by session cookie: the CSRF token their unsafe requests must carry. */
  session?: { idHash: string; csrfToken: string; mfaDone: boolean; userId: number; email: string };
}

const ANONYMOUS: Authenticated = { viewer: PUBLIC };

/**
 * Marks a session or token as used. With a read connection aside (SQLite), the request does not wait
 * for it: the write queues behind whatever holds the store (a long import) and lands afterwards.
 */
async function touch(store: Store, write: Promise<unknown>): Promise<void> {
  if (store.readsAside) void write.catch(() => {});
  else await write;
}

async function fromToken(store: Store, header: string): Promise<Authenticated> {
  const token = header.slice('Bearer '.length).trim();
  const row = token.startsWith(TOKEN_PREFIX) ? await apiTokenByHash(store.readsAside ?? store.db, sha256(token)) : undefined;
  const now = new Date().toISOString();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now) || row.status !== 'active' || !isRole(row.role)) {
    throw new VigilError('token_invalid', 'the API token is unknown, revoked or expired; create a new one with "vigil token create"', 401);
  }
  if (!row.last_used_at || row.last_used_at.slice(0, 16) !== now.slice(0, 16)) await touch(store, touchApiToken(store.db, row.id, now));
  return { viewer: { kind: 'member', userId: row.user_id, email: row.email, role: row.role, via: 'token' } };
}

/** The session behind a cookie, whether or not its second factor is done yet (null if none or expired). */
export async function sessionOf(store: Store, cookie: string | undefined): Promise<Authenticated['session'] & { role: string } | null> {
  if (!cookie) return null;
  const idHash = sha256(cookie);
  const session = await sessionByHash(store.readsAside ?? store.db, idHash);
  if (!session) return null;
  const now = new Date();
  const idleLimit = new Date(now.getTime() - SESSION_IDLE_MINUTES * 60_000).toISOString();
  if (session.expires_at <= now.toISOString() || session.last_seen_at <= idleLimit || session.status !== 'active') {
    await deleteSession(store.db, idHash);
    return null;
  }
  // One write a minute at most, not one per request.
  if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) await touch(store, updateSession(store.db, idHash, { last_seen_at: now.toISOString() }));
  return { idHash, csrfToken: session.csrf_token, mfaDone: session.mfa_done === 1, userId: session.user_id, email: session.email, role: session.role };
}

export async function authenticate(store: Store, headers: { authorization?: string | undefined; cookie?: string | undefined }): Promise<Authenticated> {
  if (headers.authorization) {
    if (!headers.authorization.startsWith('Bearer ')) throw new VigilError('token_invalid', 'Authorization must be "Bearer <token>"', 401);
    return fromToken(store, headers.authorization);
  }
  const session = await sessionOf(store, headers.cookie);
  if (!session || !session.mfaDone || !isRole(session.role)) return ANONYMOUS;
  const { role, ...rest } = session;
  return { viewer: { kind: 'member', userId: session.userId, email: session.email, role, via: 'session' }, session: rest };
}
