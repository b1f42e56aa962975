/** Time-based one-time codes (RFC 6238) via otpauth, with replay protection by time step. */
import { Secret, TOTP } from 'otpauth';

/** Seconds per time step: a code changes this often. */
export const TOTP_STEP_SECONDS = 30;

function totpFor(email: string, secret: string): TOTP {
  return new TOTP({ issuer: 'Vigil', label: email, algorithm: 'SHA1', digits: 6, period: TOTP_STEP_SECONDS, secret: Secret.fromBase32(secret) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(email: string, secret: string): string {
  return totpFor(email, secret).toString();
}

/**
 * The time step a code belongs to, if it is valid now (one step of clock drift either way), or null.
 * The caller accepts a step only once (account.repository acceptTotpStep).
 */
export function totpStep(email: string, secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(email, secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_STEP_SECONDS) + delta;
}

/** The current code (used by tests and by the CLI's set-up check). */
export function currentTotp(secret: string, now = Date.now()): string {
  return totpFor('x', secret).generate({ timestamp: now });
}
