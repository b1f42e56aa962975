/**
 * Accounts. There is no default password: `vigil user add` (run by someone with access to the machine,
 * which is how the first admin is made) creates the account and a one-time set-up code; the person then
 * chooses a password and enrols a TOTP authenticator with that code.
 */
import { isRole, type Role } from '../../domain/policy.js';
import { errors, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { deleteUserSessions, insertSetupToken, insertUser, takeSetupToken, updateUser, userByEmail, userById } from '../../store/account.repository.js';
import { appendAudit } from '../audit/audit.service.js';
import { checkNewPassword, hashPassword } from './password.js';
import { randomSecret, sha256 } from './secrets.js';
import { newTotpSecret, totpStep, totpUri } from './totp.js';

const SETUP_HOURS = 48;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface SetupCode {
  email: string;
  role: Role;
  code: string;
  expires_at: string;
}

async function issueSetupCode(store: Store, userId: number, now: Date): Promise<{ code: string; expires_at: string }> {
  const code = randomSecret(24);
  const expires_at = new Date(now.getTime() + SETUP_HOURS * 3600_000).toISOString();
  await insertSetupToken(store.db, userId, sha256(code), now.toISOString(), expires_at);
  return { code, expires_at };
}

export async function addUser(store: Store, email: string, role: string, actor: string, displayName: string | null = null): Promise<SetupCode> {
  const address = email.trim().toLowerCase();
  if (!EMAIL.test(address)) throw errors.validation(`email: "${email}" is not an email address`);
  if (!isRole(role)) throw errors.validation(`role: "${role}" is not a role; use admin, editor, researcher or volunteer`);
  if (await userByEmail(store.db, address)) throw new VigilError('already_exists', `an account for ${address} already exists; use "vigil user reset" to issue a new set-up code`, 409);
  const now = new Date();
  return store.db.transaction().execute(async (trx) => {
    const tx = { ...store, db: trx };
    const id = await insertUser(trx, { email: address, role, display_name: displayName }, now.toISOString());
    const setup = await issueSetupCode(tx, id, now);
    await appendAudit(trx, { actor, action: 'user_add', entity: 'user', entityId: id, detail: { email: address, role } });
    return { email: address, role, ...setup };
  });
}

/** A new set-up code; the old password, authenticator and sessions stop working. */
export async function resetUser(store: Store, email: string, actor: string): Promise<SetupCode> {
  const user = await userByEmail(store.db, email);
  if (!user) throw errors.notFound(`account ${email}`);
  const now = new Date();
  return store.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { password_hash: null, totp_secret: null, totp_last_step: null, status: 'pending' }, now.toISOString());
    await deleteUserSessions(trx, user.id);
    const setup = await issueSetupCode({ ...store, db: trx }, user.id, now);
    await appendAudit(trx, { actor, action: 'user_reset', entity: 'user', entityId: user.id, detail: { email: user.email } });
    return { email: user.email, role: user.role as Role, ...setup };
  });
}

export async function disableUser(store: Store, email: string, actor: string): Promise<void> {
  const user = await userByEmail(store.db, email);
  if (!user) throw errors.notFound(`account ${email}`);
  await store.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { status: 'disabled' }, new Date().toISOString());
    await deleteUserSessions(trx, user.id);
    await appendAudit(trx, { actor, action: 'user_disable', entity: 'user', entityId: user.id, detail: { email: user.email } });
  });
}

async function pendingUserForCode(store: Store, code: string): Promise<number> {
  const row = await store.db
    .selectFrom('setup_token')
    .select('user_id')
    .where('token_hash', '=', sha256(code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date().toISOString())
    .executeTakeFirst();
  if (!row) throw new VigilError('setup_code_invalid', 'this set-up code is unknown, used or expired; ask an admin for a new one (vigil user reset)', 400);
  return row.user_id;
}

/** Step 1 of set-up: a TOTP secret for the authenticator app (shown to the person, not to the admin). */
export async function startSetup(store: Store, code: string): Promise<{ email: string; totp_secret: string; otpauth_uri: string }> {
  const userId = await pendingUserForCode(store, code);
  const user = (await userById(store.db, userId))!;
  const secret = newTotpSecret();
  await updateUser(store.db, userId, { totp_secret: secret, totp_last_step: null }, new Date().toISOString());
  return { email: user.email, totp_secret: secret, otpauth_uri: totpUri(user.email, secret) };
}

/** Step 2: the password, and a code from the authenticator to prove it was enrolled. Uses up the set-up code. */
export async function finishSetup(store: Store, input: { code: string; password: string; totp: string }, ip: string | null): Promise<void> {
  const userId = await pendingUserForCode(store, input.code);
  const user = (await userById(store.db, userId))!;
  if (!user.totp_secret) throw new VigilError('setup_not_started', 'start the set-up first: it gives the authenticator secret', 400);
  checkNewPassword(input.password, user.email);
  const step = totpStep(user.email, user.totp_secret, input.totp);
  if (step === null) throw new VigilError('totp_invalid', 'totp: the code from the authenticator app is wrong or expired; check the phone clock and try the next code', 400);
  const passwordHash = await hashPassword(input.password);
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    if ((await takeSetupToken(trx, sha256(input.code), now)) !== userId) {
      throw new VigilError('setup_code_invalid', 'this set-up code was used meanwhile; ask an admin for a new one', 400);
    }
    await updateUser(trx, userId, { password_hash: passwordHash, totp_last_step: step, status: 'active' }, now);
    await appendAudit(trx, { actor: user.email, action: 'account_setup', entity: 'user', entityId: userId, ip });
  });
}

export async function listUsers(store: Store) {
  return store.db.selectFrom('app_user').select(['id', 'email', 'display_name', 'role', 'status', 'created_at']).orderBy('id').execute();
}
