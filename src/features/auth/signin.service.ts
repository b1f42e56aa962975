/**
 * Signing in: password and a second factor (a TOTP code, or a passkey in a second step). Failed
 * attempts are counted per account and per address; past the limits the answer is a clear "wait".
 * The answer never says whether an email address has an account.
 */
import { VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import {
  acceptTotpStep,
  clearSigninFailures,
  countSigninFailures,
  credentialsOf,
  deleteSession,
  insertSession,
  recordSigninFailure,
  userByEmail,
} from '../../store/account.repository.js';
import { appendAudit } from '../audit/audit.service.js';
import { verifyAgainstDummy, verifyPassword } from './password.js';
import { randomSecret, sha256 } from './secrets.js';
import { totpStep } from './totp.js';

export const LIMITS = { windowMinutes: 15, perAccount: 5, perAddress: 20 };
export const SESSION_IDLE_MINUTES = 120;
export const SESSION_MAX_HOURS = 12;

export interface SignInInput {
  email: string;
  password: string;
  totp?: string | undefined;
}

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  /** The cookie value; only its hash is stored. */
  sessionToken: string;
  csrfToken: string;
  /** 'done' when signed in; 'passkey' when the passkey step must follow. */
  secondFactor: 'done' | 'passkey';
  email: string;
  role: string;
}

const invalid = () => new VigilError('invalid_credentials', 'the email, password or one-time code is wrong', 401);

export interface SigninKeys {
  account: string;
  address: string | null;
}

/** What failed attempts are counted against: the account and, when known, the address. */
export function signinKeys(email: string, ip: string | null): SigninKeys {
  return { account: `account:${email}`, address: ip ? `address:${ip}` : null };
}

export async function throttle(store: Store, keys: SigninKeys): Promise<void> {
  const since = new Date(Date.now() - LIMITS.windowMinutes * 60_000).toISOString();
  if ((await countSigninFailures(store.db, keys.account, since)) >= LIMITS.perAccount) {
    throw new VigilError('too_many_attempts', `too many failed sign-ins for this account; wait ${LIMITS.windowMinutes} minutes and try again, or ask an admin`, 429);
  }
  if (keys.address && (await countSigninFailures(store.db, keys.address, since)) >= LIMITS.perAddress) {
    throw new VigilError('too_many_attempts', `too many failed sign-ins from this address; wait ${LIMITS.windowMinutes} minutes and try again`, 429);
  }
}

/** Counts a failed attempt against its keys and audits it, both or neither. */
export async function recordSigninFailed(store: Store, keys: SigninKeys, actor: string, ip: string | null, detail: Record<string, unknown>): Promise<void> {
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    await recordSigninFailure(trx, [keys.account, ...(keys.address ? [keys.address] : [])], now);
    await appendAudit(trx, { actor, action: 'sign_in_failed', ip, detail });
  });
}

export async function signIn(store: Store, input: SignInInput, client: Client): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  const keys = signinKeys(email, client.ip);
  await throttle(store, keys);
  const fail = async (reason: string): Promise<never> => {
    await recordSigninFailed(store, keys, email, client.ip, { reason });
    throw invalid();
  };

  const user = await userByEmail(store.db, email);
  if (!user || !user.password_hash) {
    await verifyAgainstDummy(input.password);
    return fail(user ? 'account not set up' : 'no such account');
  }
  if (!(await verifyPassword(user.password_hash, input.password))) return fail('wrong password');
  if (user.status !== 'active') return fail(`account ${user.status}`);

  let secondFactor: SignedIn['secondFactor'];
  if (input.totp) {
    const step = user.totp_secret ? totpStep(email, user.totp_secret, input.totp) : null;
    if (step === null) return fail('wrong one-time code');
    if (!(await acceptTotpStep(store.db, user.id, step))) return fail('one-time code already used');
    secondFactor = 'done';
  } else if ((await credentialsOf(store.db, user.id)).length > 0) {
    secondFactor = 'passkey';
  } else {
    return fail('no second factor given');
  }

  const sessionToken = randomSecret(32);
  const csrfToken = randomSecret(24);
  const now = new Date();
  await store.db.transaction().execute(async (trx) => {
    await insertSession(trx, {
      id_hash: sha256(sessionToken), user_id: user.id, csrf_token: csrfToken, mfa_done: secondFactor === 'done' ? 1 : 0,
      challenge: null, created_at: now.toISOString(), last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_MAX_HOURS * 3600_000).toISOString(), ip: client.ip, user_agent: client.userAgent?.slice(0, 300) ?? null,
    });
    await clearSigninFailures(trx, keys.account);
    await appendAudit(trx, { actor: email, action: secondFactor === 'done' ? 'sign_in' : 'sign_in_password_step', ip: client.ip, detail: { second_factor: input.totp ? 'totp' : 'passkey' } });
  });
  return { sessionToken, csrfToken, secondFactor, email, role: user.role };
}

export async function signOut(store: Store, sessionToken: string, actor: string, ip: string | null): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await deleteSession(trx, sha256(sessionToken));
    await appendAudit(trx, { actor, action: 'sign_out', ip });
  });
}
