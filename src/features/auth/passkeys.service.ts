/**
 * Passkeys (WebAuthn): a member registers them from a signed-in session, and one of them then serves
 * as the second factor after the password step of sign-in. A challenge lives in the session and is
 * used up by the first attempt to answer it, whatever the outcome. Failed passkey sign-ins are
 * throttled and audited like failed passwords.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { z } from 'zod';
import { errors, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import {
  clearSigninFailures,
  credentialById,
  credentialsOf,
  deleteCredential,
  insertCredential,
  sessionByHash,
  takeSessionChallenge,
  updateCredentialCounter,
  updateSession,
  type CredentialRow,
} from '../../store/account.repository.js';
import { appendAudit } from '../audit/audit.service.js';
import type { Authenticated } from './authenticate.js';
import { recordSigninFailed, signinKeys, throttle, type Client } from './signin.service.js';

export interface RelyingParty {
  origin: string;
  rpID: string;
  rpName: string;
}

/** A cookie session, before or after its second factor. */
export type PasskeySession = Pick<NonNullable<Authenticated['session']>, 'idHash' | 'userId' | 'email' | 'mfaDone'>;

export interface PasskeyInfo {
  id: number;
  name: string | null;
  created_at: string;
  last_used_at: string | null;
}

type Purpose = 'register' | 'sign-in';

const Origin = z.url({ protocol: /^https?$/ });

/** The site passkeys are bound to: VIGIL_ORIGIN, the address members type into their browser. */
export function relyingParty(value = process.env.VIGIL_ORIGIN ?? 'http://localhost:8080'): RelyingParty {
  const parsed = Origin.safeParse(value);
  if (!parsed.success) throw new VigilError('config_invalid', `VIGIL_ORIGIN "${value}" is not an origin; set it to the site's address, such as https://vigil.example.org`, 500);
  const url = new URL(parsed.data);
  return { origin: url.origin, rpID: url.hostname, rpName: 'Vigil' };
}

const refusedSignIn = () =>
  new VigilError('passkey_invalid', 'the passkey was not accepted; ask for new options (POST /api/v1/auth/passkeys/sign-in/options) and try again', 401);

function signedIn(session: PasskeySession): void {
  if (!session.mfaDone) throw new VigilError('authentication_required', 'finish signing in before managing passkeys', 401);
}

function inPasskeyStep(session: PasskeySession): void {
  if (session.mfaDone) throw new VigilError('already_signed_in', 'this session has already passed its second factor', 409);
}

function descriptor(credential: CredentialRow): { id: string; transports: string[] } {
  const transports: unknown = JSON.parse(credential.transports);
  return { id: credential.credential_id, transports: Array.isArray(transports) ? transports.filter((t): t is string => typeof t === 'string') : [] };
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

async function keepChallenge(store: Store, idHash: string, purpose: Purpose, challenge: string): Promise<void> {
  await updateSession(store.db, idHash, { challenge: `${purpose}:${challenge}` });
}

/** The session's challenge for this purpose, used up here; null when there is none left to use. */
async function useChallenge(store: Store, idHash: string, purpose: Purpose): Promise<string | null> {
  const stored = (await sessionByHash(store.db, idHash))?.challenge;
  if (!stored || !(await takeSessionChallenge(store.db, idHash, stored))) return null;
  return stored.startsWith(`${purpose}:`) ? stored.slice(purpose.length + 1) : null;
}

export async function registrationOptions(store: Store, session: PasskeySession): Promise<PublicKeyCredentialCreationOptionsJSON> {
  signedIn(session);
  const rp = relyingParty();
  // No userID given: the library makes a random one, so the authenticator holds nothing that links
  // the passkey to an account number. Sign-in names the credentials itself (allowCredentials).
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: session.email,
    attestationType: 'none',
    excludeCredentials: (await credentialsOf(store.db, session.userId)).map(descriptor),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
  await keepChallenge(store, session.idHash, 'register', options.challenge);
  return options;
}

export async function verifyRegistration(
  store: Store,
  session: PasskeySession,
  input: { name?: string | undefined; credential: RegistrationResponseJSON },
  ip: string | null,
): Promise<PasskeyInfo> {
  signedIn(session);
  const refuse = async (reason: string): Promise<never> => {
    await store.db.transaction().execute((trx) => appendAudit(trx, { actor: session.email, action: 'passkey_add_failed', ip, detail: { reason } }));
    throw new VigilError('passkey_invalid', `the passkey was not registered (${reason}); ask for new options and try again`, 400);
  };
  const challenge = await useChallenge(store, session.idHash, 'register');
  if (!challenge) return refuse('no registration challenge in this session, or it was already used');
  const rp = relyingParty();
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response: input.credential, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: true });
  } catch (error) {
    return refuse(reasonOf(error));
  }
  if (!verified.verified) return refuse('the attestation did not verify');
  const { credential } = verified.registrationInfo;
  if (await credentialById(store.db, credential.id)) return refuse('this passkey is already registered');
  const name = input.name?.trim() || 'passkey';
  const stored = await store.db.transaction().execute(async (trx) => {
    await insertCredential(trx, {
      user_id: session.userId, credential_id: credential.id, public_key: isoBase64URL.fromBuffer(credential.publicKey), counter: credential.counter,
      transports: JSON.stringify(input.credential.response.transports ?? []), name, created_at: new Date().toISOString(),
    });
    const row = (await credentialById(trx, credential.id))!;
    await appendAudit(trx, { actor: session.email, action: 'passkey_add', entity: 'webauthn_credential', entityId: row.id, ip, detail: { name } });
    return row;
  });
  return { id: stored.id, name: stored.name, created_at: stored.created_at, last_used_at: stored.last_used_at };
}

export async function authenticationOptions(store: Store, session: PasskeySession, client: Client): Promise<PublicKeyCredentialRequestOptionsJSON> {
  inPasskeyStep(session);
  await throttle(store, signinKeys(session.email, client.ip));
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    allowCredentials: (await credentialsOf(store.db, session.userId)).map(descriptor),
    userVerification: 'required',
  });
  await keepChallenge(store, session.idHash, 'sign-in', options.challenge);
  return options;
}

/** The second step of sign-in: on success the session counts as signed in. */
export async function verifyAuthentication(store: Store, session: PasskeySession, response: AuthenticationResponseJSON, client: Client): Promise<void> {
  inPasskeyStep(session);
  const keys = signinKeys(session.email, client.ip);
  await throttle(store, keys);
  const fail = async (reason: string, detail: Record<string, unknown> = {}): Promise<never> => {
    await recordSigninFailed(store, keys, session.email, client.ip, { reason, second_factor: 'passkey', ...detail });
    throw refusedSignIn();
  };
  const challenge = await useChallenge(store, session.idHash, 'sign-in');
  if (!challenge) return fail('no sign-in challenge in this session, or it was already used');
  const stored = await credentialById(store.db, response.id);
  if (!stored || stored.user_id !== session.userId) return fail('not a passkey of this account');
  const rp = relyingParty();
  let result;
  try {
    // The library is given counter 0 so that it checks everything but the counter; the counter is
    // compared below, once the signature is known to be genuine: only then does a counter that did
    // not increase mean a cloned authenticator rather than a forged answer.
    result = await verifyAuthenticationResponse({
      response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: true,
      credential: { id: stored.credential_id, publicKey: isoBase64URL.toBuffer(stored.public_key), counter: 0 },
    });
  } catch (error) {
    return fail(reasonOf(error));
  }
  if (!result.verified) return fail('the signature does not verify');
  const counter = result.authenticationInfo.newCounter;
  if ((counter > 0 || stored.counter > 0) && counter <= stored.counter) {
    return fail('the signature counter did not increase: the passkey may have been cloned', { suspected_clone: true, credential: stored.id, counter, stored_counter: stored.counter });
  }
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    await updateCredentialCounter(trx, stored.id, counter, now);
    await updateSession(trx, session.idHash, { mfa_done: 1 });
    await clearSigninFailures(trx, keys.account);
    await appendAudit(trx, { actor: session.email, action: 'sign_in', ip: client.ip, detail: { second_factor: 'passkey', credential: stored.id } });
  });
}

export async function passkeysOf(store: Store, userId: number): Promise<PasskeyInfo[]> {
  return (await credentialsOf(store.db, userId)).map(({ id, name, created_at, last_used_at }) => ({ id, name, created_at, last_used_at }));
}

export async function removePasskey(store: Store, session: PasskeySession, id: number, ip: string | null): Promise<void> {
  signedIn(session);
  await store.db.transaction().execute(async (trx) => {
    if (!(await deleteCredential(trx, id, session.userId))) throw errors.notFound(`passkey ${id} among your passkeys`);
    await appendAudit(trx, { actor: session.email, action: 'passkey_remove', entity: 'webauthn_credential', entityId: id, ip });
  });
}
