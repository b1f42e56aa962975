/** API tokens: shown once, stored as a hash, scoped to a role no higher than their owner's, revocable. */
import { can, isRole, roleAtMost, type Role, type Viewer } from '../../domain/policy.js';
import { errors, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { insertApiToken, listApiTokens, revokeApiToken, userByEmail } from '../../store/account.repository.js';
import { appendAudit } from '../audit/audit.service.js';
import { TOKEN_PREFIX } from './authenticate.js';
import { randomSecret, sha256 } from './secrets.js';

export interface NewToken {
  id: number;
  token: string;
  name: string;
  role: Role;
  email: string;
  expires_at: string | null;
}

export async function createToken(
  store: Store,
  input: { email: string; name: string; role: string; expiresDays?: number | undefined },
  actor: string,
): Promise<NewToken> {
  const user = await userByEmail(store.db, input.email);
  if (!user) throw errors.notFound(`account ${input.email}`);
  if (user.status !== 'active') throw errors.validation(`account ${user.email} is ${user.status}; tokens are for active accounts`);
  if (!isRole(input.role)) throw errors.validation(`role: "${input.role}" is not a role; use admin, editor, researcher or volunteer`);
  if (!isRole(user.role) || !roleAtMost(input.role, user.role)) {
    throw new VigilError('forbidden', `a token cannot carry more than its owner: ${user.email} is ${user.role}`, 403);
  }
  if (!input.name.trim() || input.name.length > 100) throw errors.validation('name: say what the token is for (1-100 characters)');
  if (input.expiresDays !== undefined && !(Number.isInteger(input.expiresDays) && input.expiresDays > 0 && input.expiresDays <= 3650)) {
    throw errors.validation('expires: a whole number of days from 1 to 3650');
  }
  const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const now = new Date();
  const expires_at = input.expiresDays ? new Date(now.getTime() + input.expiresDays * 86_400_000).toISOString() : null;
  const id = await store.db.transaction().execute(async (trx) => {
    const created = await insertApiToken(trx, { user_id: user.id, name: input.name.trim(), token_hash: sha256(token), role: input.role, created_at: now.toISOString(), expires_at });
    await appendAudit(trx, { actor, action: 'token_create', entity: 'api_token', entityId: created, detail: { owner: user.email, role: input.role, name: input.name } });
    return created;
  });
  return { id, token, name: input.name.trim(), role: input.role, email: user.email, expires_at };
}

/** Members manage their own tokens; admins everyone's. */
export async function tokensVisibleTo(store: Store, viewer: Viewer) {
  if (viewer.kind !== 'member') return [];
  return listApiTokens(store.db, can(viewer, 'manage_all_tokens') ? undefined : viewer.userId);
}

export async function revokeToken(store: Store, id: number, viewer: Viewer | null, actor: string): Promise<void> {
  const token = (await listApiTokens(store.db)).find((t) => t.id === id);
  if (!token) throw errors.notFound(`token ${id}`);
  if (viewer && !(can(viewer, 'manage_all_tokens') || (viewer.kind === 'member' && viewer.userId === token.user_id))) {
    throw new VigilError('forbidden', 'you may revoke only your own tokens', 403);
  }
  await store.db.transaction().execute(async (trx) => {
    if (!(await revokeApiToken(trx, id, new Date().toISOString()))) throw errors.validation(`token ${id} is already revoked`);
    await appendAudit(trx, { actor, action: 'token_revoke', entity: 'api_token', entityId: id });
  });
}
