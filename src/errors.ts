/**
 * Errors a user sees: a stable machine-readable id, a message that says what was wrong and how to fix
 * it, and an HTTP status for the API. The CLI prints the same message on one line.
 */
export class VigilError extends Error {
  constructor(
    readonly id: string,
    message: string,
    readonly status: number = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'VigilError';
  }
}

/** What a "starting" answer asks clients to wait before trying again (Retry-After, seconds). */
export const STARTING_RETRY_SECONDS = 30;

export const errors = {
  validation: (message: string, details?: unknown) => new VigilError('validation_failed', message, 400, details),
  notFound: (what: string) => new VigilError('not_found', `${what} was not found`, 404),
  conflict: (what: string, expected: number, actual: number) =>
    new VigilError(
      'version_conflict',
      `${what} was changed by someone else (you edited version ${expected}, it is now at version ${actual}); reload it and apply your change again`,
      409,
      { expected, actual },
    ),
  importRejected: (message: string, details: unknown) => new VigilError('import_rejected', message, 422, details),
  /** Something built when the server starts (minutes on a large store) is not ready yet: 503, ask again later. */
  starting: (what: string) =>
    new VigilError('starting', `${what} is still being built after the server started; try again in ${STARTING_RETRY_SECONDS} s`, 503, { retry_after_seconds: STARTING_RETRY_SECONDS }),
};

export function isVigilError(error: unknown): error is VigilError {
  return error instanceof VigilError;
}
