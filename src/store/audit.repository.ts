/**
 * The audit trail's tables: `audit_log` (entries numbered 1, 2, 3, ... without gaps) and `audit_head`
 * (one row, id 1: the newest entry's number and hash). The hashing and the checks live in
 * features/audit; this file only reads and writes rows.
 */
import type { Selectable } from 'kysely';
import type { Executor } from './history.repository.js';
import type { AuditLogTable } from './schema.js';

export type AuditRow = Selectable<AuditLogTable>;

export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * Returns the head and holds it until the caller's transaction ends, so that concurrent appends take
 * turns. The lock is taken with a no-op UPDATE ... RETURNING rather than SELECT ... FOR UPDATE: on
 * PostgreSQL both lock the row and return its newest committed version after waiting, and on SQLite
 * (which has no FOR UPDATE) the UPDATE makes the transaction a writer at once, so a second process waits
 * here (busy_timeout) instead of failing later when it tries to write. One statement for both backends
 * means no dialect branch and no dialect argument: callers pass only their transaction.
 *
 * Before the first entry there is no row to lock. The row is then created (seq 0, the genesis hash)
 * with ON CONFLICT DO NOTHING: on PostgreSQL a concurrent first append waits on that insert until the
 * other transaction ends and then finds the row, so two first appends cannot both write entry 1.
 */
export async function lockAuditHead(db: Executor, genesisHash: string): Promise<AuditHead> {
  const touch = () =>
    db
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb.ref('seq') }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirst();
  const head = await touch();
  if (head) return head;
  await db
    .insertInto('audit_head')
    .values({ id: 1, seq: 0, hash: genesisHash })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const created = await touch();
  if (!created) throw new Error('audit_head row 1 could not be created');
  return created;
}

export async function insertAuditEntry(db: Executor, row: AuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

export async function setAuditHead(db: Executor, head: AuditHead): Promise<void> {
  await db.updateTable('audit_head').set({ seq: head.seq, hash: head.hash }).where('id', '=', 1).execute();
}

export async function readAuditHead(db: Executor): Promise<AuditHead | undefined> {
  return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
}

/** Up to `limit` entries after `afterSeq` (from the lowest number when null), oldest first. */
export async function auditPage(db: Executor, afterSeq: number | null, limit: number): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq').limit(limit);
  if (afterSeq !== null) query = query.where('seq', '>', afterSeq);
  return query.execute();
}

export async function auditEntryAt(db: Executor, seq: number): Promise<AuditRow | undefined> {
  return db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirst();
}

export interface AuditFilter {
  limit: number;
  beforeSeq?: number | undefined;
  actor?: string | undefined;
  action?: string | undefined;
}

/** Newest first. */
export async function listAuditEntries(db: Executor, filter: AuditFilter): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(filter.limit);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  return query.execute();
}
