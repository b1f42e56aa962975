/**
 * A read replica for the public side. With VIGIL_PUBLIC_DATABASE set to a postgres:// URL of a
 * streaming replica of the primary, the public site, open data, the public API and the public
 * registry and search index read from the replica; sign-in, the workspace, the private API and every
 * write stay on the primary (VIGIL_DATABASE). The public side then shows a change once the replica
 * has replayed it, usually within a second.
 */
import { sql } from 'kysely';
import { VigilError } from '../errors.js';
import { isPostgresUrl, openStore, redactUrl, type Store } from './connection.js';
import { migrations } from './migrations.js';

export const PUBLIC_DATABASE_VARIABLE = 'VIGIL_PUBLIC_DATABASE';

/** The replica must hold the schema this version of Vigil works with: every migration applied. */
async function checkSchema(replica: Store): Promise<string[]> {
  const known = Object.keys(migrations(replica.dialect));
  let applied: Set<string>;
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(replica.db);
    applied = new Set(rows.rows.map((row) => row.name));
  } catch (error) {
    throw new VigilError('replica_unusable', `${replica.description} holds no Vigil store (${(error as Error).message}); ${PUBLIC_DATABASE_VARIABLE} must point at a read replica of the primary store`);
  }
  return known.filter((name) => !applied.has(name));
}

/**
 * The primary migrates when the server starts (an upgrade), and the replica shows the new schema only
 * once it has replayed it: wait for that, up to `waitMs`.
 */
async function waitForSchema(replica: Store, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const missing = await checkSchema(replica);
    if (missing.length === 0) return;
    if (Date.now() >= deadline) {
      throw new VigilError('replica_unusable', `${replica.description} still lacks the migrations ${missing.join(', ')} after ${Math.round(waitMs / 1000)} s: it is far behind the primary or not a replica of it`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Opens the public side's read replica at `location`, a replica of the PostgreSQL store `primary`. */
export async function openPublicReplica(location: string, primary: Store, waitMs = 30_000): Promise<Store> {
  if (!isPostgresUrl(location)) {
    throw new VigilError('usage', `${PUBLIC_DATABASE_VARIABLE} must be a postgres:// URL of a read replica, not "${location}"`);
  }
  if (primary.dialect !== 'postgres') {
    throw new VigilError('usage', `${PUBLIC_DATABASE_VARIABLE} (${redactUrl(location)}) needs a PostgreSQL primary store; ${primary.description} is not one`);
  }
  const replica = await openStore(location, { readOnly: true });
  try {
    await waitForSchema(replica, waitMs);
  } catch (error) {
    await replica.close();
    throw error;
  }
  return replica;
}
