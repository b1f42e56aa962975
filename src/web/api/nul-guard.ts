/**
 * PostgreSQL cannot hold the character U+0000 (NUL) in text, and SQLite can: a request carrying one
 * (in the path, the query or a JSON body) would be a 500 on one backend and a stored value on the
 * other. It is refused before validation, with the same clear 400 on both.
 */
import { VigilError } from '../../errors.js';
import type { App } from './app-types.js';

export function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, item]) => key.includes('\u0000') || holdsNul(item));
  return false;
}

export function refuseNul(app: App): void {
  app.addHook('preValidation', async (request) => {
    if (/%00/i.test(request.url) || holdsNul(request.body)) {
      throw new VigilError('validation_failed', 'the request contains the character U+0000 (NUL), which no text field can hold; remove it', 400);
    }
  });
}
