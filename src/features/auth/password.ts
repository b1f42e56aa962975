/** Password hashing with argon2id (OWASP's recommended parameters) and the rules a new password must meet. */
import { hash, verify } from '@node-rs/argon2';
import { errors } from '../../errors.js';

// 19 MiB, 2 passes, 1 lane: OWASP Password Storage Cheat Sheet, argon2id minimum configuration.
const OPTIONS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verifying against this when the account does not exist keeps the answer time the same, so timing
// does not tell which email addresses have accounts.
let dummy: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummy ??= hashPassword('vigil-timing-equaliser');
  await verifyPassword(await dummy, password);
}

export function checkNewPassword(password: string, email: string): void {
  if (password.length < 12) throw errors.validation('password: use at least 12 characters (a few random words work well)');
  if (password.length > 256) throw errors.validation('password: at most 256 characters');
  const name = email.split('@')[0]!.toLowerCase();
  // Short names (r@, ed@) occur inside any phrase by chance; only a real name is a giveaway.
  if (name.length >= 4 && password.toLowerCase().includes(name)) {
    throw errors.validation('password: must not contain your email name');
  }
  if (new Set(password).size < 5) throw errors.validation('password: too repetitive; use more different characters');
}
