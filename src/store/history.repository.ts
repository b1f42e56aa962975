/** The change log: who changed which record, when, from what to what, and why. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.js';

export type Executor = Kysely<DB> | Transaction<DB>;

export interface Change {
  entity: string;
  entityId: number;
  version: number;
  action: 'create' | 'update' | 'delete' | 'merge' | 'restore';
  actor: string;
  reason?: string | null;
  before: unknown;
  after: unknown;
}

export interface HistoryEntry {
  version: number;
  action: string;
  actor: string;
  at: string;
  reason: string | null;
  before: unknown;
  after: unknown;
}

const CHUNK = 200;

export async function recordChanges(db: Executor, changes: readonly Change[], at = new Date().toISOString()): Promise<void> {
  for (let i = 0; i < changes.length; i += CHUNK) {
    await db
      .insertInto('change_log')
      .values(
        changes.slice(i, i + CHUNK).map((change) => ({
          entity: change.entity,
          entity_id: change.entityId,
          version: change.version,
          action: change.action,
          actor: change.actor,
          at,
          reason: change.reason ?? null,
          before: change.before === null ? null : JSON.stringify(change.before),
          after: change.after === null ? null : JSON.stringify(change.after),
        })),
      )
      .execute();
  }
}

export async function historyOf(db: Executor, entity: string, entityId: number): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('change_log')
    .select(['version', 'action', 'actor', 'at', 'reason', 'before', 'after'])
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    ...row,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
  }));
}

/**
 * A value that changes whenever the registry's data does: every edit writes the change log and every
 * import writes an import batch. Caches built from the data (search index, public pages) compare it.
 */
export async function dataStamp(db: Executor): Promise<string> {
  const [changes, imports] = await Promise.all([
    db.selectFrom('change_log').select((eb) => eb.fn.max('id').as('last')).executeTakeFirst(),
    db.selectFrom('import_batch').select((eb) => eb.fn.max('id').as('last')).executeTakeFirst(),
  ]);
  return `${changes?.last ?? 0}.${imports?.last ?? 0}`;
}
