/** What every command shares: which store, who is acting, how to print, how to fail. */
import { userInfo } from 'node:os';
import { DEFAULT_DATABASE, openStore, type Store } from '../store/connection.js';
import { isVigilError } from '../errors.js';

export interface GlobalOptions {
  database?: string;
}

export function databaseLocation(options: GlobalOptions): string {
  return options.database ?? process.env.VIGIL_DATABASE ?? DEFAULT_DATABASE;
}

/** Who the change log names for CLI work: VIGIL_ACTOR, or the operating-system account. */
export function actor(): string {
  if (process.env.VIGIL_ACTOR) return process.env.VIGIL_ACTOR;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

export async function withStore<T>(options: GlobalOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(databaseLocation(options), { key: process.env.VIGIL_DATABASE_KEY });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function printJson(value: unknown, compact = false): void {
  process.stdout.write(`${JSON.stringify(value, null, compact ? undefined : 2)}\n`);
}

/** Prints the one-line reason on stderr (and, with --json, the error as JSON on stdout) and sets the exit code. */
export function fail(error: unknown, json: boolean): void {
  const id = isVigilError(error) ? error.id : 'internal_error';
  const message = isVigilError(error) ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
  process.stderr.write(`vigil: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  if (process.env.VIGIL_DEBUG && error instanceof Error && !isVigilError(error)) process.stderr.write(`${error.stack}\n`);
  if (json) printJson({ error: { id, message, ...(isVigilError(error) && error.details ? { details: error.details } : {}) } });
  process.exitCode = 1;
}

/** Wraps a command action so that every failure is a one-line reason and a non-zero exit. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    const command = args.at(-1) as { opts(): { json?: boolean } } | undefined;
    const json = Boolean(command?.opts?.().json);
    try {
      await run(...args);
    } catch (error) {
      fail(error, json);
    }
  };
}
