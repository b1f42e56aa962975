/** Accounts, set-up codes, sessions, API tokens, passkeys and sign-in failures. */
import type { Selectable } from 'kysely';
import type { Executor } from './history.repository.js';
import type { ApiTokenTable, AppUserTable, SessionTable, WebauthnCredentialTable } from './schema.js';

export type UserRow = Selectable<AppUserTable>;
export type SessionRow = Selectable<SessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type CredentialRow = Selectable<WebauthnCredentialTable>;

export async function userByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function userById(db: Executor, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Executor, user: { email: string; role: string; display_name: string | null }, now: string): Promise<number> {
  const row = await db
    .insertInto('app_user')
    .values({ ...user, email: user.email.toLowerCase(), status: 'pending', version: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUser(
  db: Executor,
  id: number,
  changes: Partial<Pick<UserRow, 'password_hash' | 'totp_secret' | 'status' | 'role' | 'totp_last_step'>>,
  now: string,
): Promise<void> {
  await db.updateTable('app_user').set({ ...changes, updated_at: now }).where('id', '=', id).execute();
}

/** Accepts a TOTP time step only if it is newer than any accepted before: a code works once. */
export async function acceptTotpStep(db: Executor, userId: number, step: number): Promise<boolean> {
  const result = await db
    .updateTable('app_user')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertSetupToken(db: Executor, userId: number, tokenHash: string, now: string, expiresAt: string): Promise<void> {
  await db.insertInto('setup_token').values({ user_id: userId, token_hash: tokenHash, created_at: now, expires_at: expiresAt }).execute();
}

/** Uses up a set-up code: returns its user if the code exists, is unused and has not expired. */
export async function takeSetupToken(db: Executor, tokenHash: string, now: string): Promise<number | undefined> {
  const result = await db
    .updateTable('setup_token')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return result?.user_id;
}

export async function insertSession(db: Executor, session: SessionRow): Promise<void> {
  await db.insertInto('session').values(session).execute();
}

export async function sessionByHash(db: Executor, idHash: string): Promise<(SessionRow & { email: string; role: string; status: string }) | undefined> {
  return db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .selectAll('session')
    .select(['app_user.email', 'app_user.role', 'app_user.status'])
    .where('session.id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function updateSession(db: Executor, idHash: string, changes: Partial<Pick<SessionRow, 'last_seen_at' | 'mfa_done' | 'challenge'>>): Promise<void> {
  await db.updateTable('session').set(changes).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
}

export async function deleteUserSessions(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

export async function insertApiToken(db: Executor, token: Omit<ApiTokenRow, 'id' | 'last_used_at' | 'revoked_at'>): Promise<number> {
  const row = await db.insertInto('api_token').values(token).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function apiTokenByHash(db: Executor, tokenHash: string): Promise<(ApiTokenRow & { email: string; user_role: string; status: string }) | undefined> {
  return db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .selectAll('api_token')
    .select(['app_user.email', 'app_user.role as user_role', 'app_user.status'])
    .where('api_token.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function listApiTokens(db: Executor, userId?: number): Promise<(Omit<ApiTokenRow, 'token_hash'> & { email: string })[]> {
  let query = db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .select(['api_token.id', 'api_token.user_id', 'api_token.name', 'api_token.role', 'api_token.created_at', 'api_token.expires_at', 'api_token.last_used_at', 'api_token.revoked_at', 'app_user.email'])
    .orderBy('api_token.id');
  if (userId !== undefined) query = query.where('api_token.user_id', '=', userId);
  return query.execute();
}

export async function touchApiToken(db: Executor, id: number, now: string): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function revokeApiToken(db: Executor, id: number, now: string): Promise<boolean> {
  const result = await db.updateTable('api_token').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function recordSigninFailure(db: Executor, keys: readonly string[], at: string): Promise<void> {
  await db.insertInto('signin_failure').values(keys.map((key) => ({ key, at }))).execute();
}

export async function countSigninFailures(db: Executor, key: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('signin_failure')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', '=', key)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function clearSigninFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('signin_failure').where('key', '=', key).execute();
}

export async function credentialsOf(db: Executor, userId: number): Promise<CredentialRow[]> {
  return db.selectFrom('webauthn_credential').selectAll().where('user_id', '=', userId).execute();
}

export async function credentialById(db: Executor, credentialId: string): Promise<CredentialRow | undefined> {
  return db.selectFrom('webauthn_credential').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
}

export async function insertCredential(db: Executor, credential: Omit<CredentialRow, 'id' | 'last_used_at'>): Promise<void> {
  await db.insertInto('webauthn_credential').values(credential).execute();
}

export async function updateCredentialCounter(db: Executor, id: number, counter: number, now: string): Promise<void> {
  await db.updateTable('webauthn_credential').set({ counter, last_used_at: now }).where('id', '=', id).execute();
}

/** Clears a session's challenge if it is still the one read: true for the one caller that uses it up. */
export async function takeSessionChallenge(db: Executor, idHash: string, challenge: string): Promise<boolean> {
  const result = await db.updateTable('session').set({ challenge: null }).where('id_hash', '=', idHash).where('challenge', '=', challenge).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteCredential(db: Executor, id: number, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('webauthn_credential').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
