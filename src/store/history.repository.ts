/** The change log: who changed which record, when, from what to what, and why. */
import { sql, type Kysely, type Transaction } from 'kysely';
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

/** PostgreSQL numbers query parameters ($1), SQLite does not (?): enough to tell them apart from a Kysely alone. */
function isPostgres(db: Executor): boolean {
  return sql`${0}`.compile(db).sql === '$1';
}

/** The first half of the advisory lock key: says what the lock is for (the second names the store). */
const DATA_WRITE_LOCK = 0x76676c31;

/**
 * Call inside the transaction before it writes the change log or an import batch. Readers take "every
 * change numbered up to N" as one state of the registry (dataMarks, peopleChangedBetween), so numbers
 * must become visible in order. SQLite lets one writer in at a time, so they do. PostgreSQL numbers a
 * row when it is inserted but commits in any order: a change numbered 7 could appear after 8 was read,
 * and caches would never see it. So on PostgreSQL such transactions take turns, from their first
 * numbered row until they end, with a lock of their own (keyed by this store's change_log table, so
 * stores in other schemas do not wait). Sign-ins and reads do not wait for it; data edits wait for an
 * import to finish, as they do on SQLite. Take it before appendAudit's lock, never after, or two
 * writers could each hold the lock the other waits for.
 */
export async function takeDataWriteTurn(db: Executor): Promise<void> {
  if (isPostgres(db)) await sql`SELECT pg_advisory_xact_lock(${DATA_WRITE_LOCK}, 'change_log'::regclass::oid::int)`.execute(db);
}

export async function recordChanges(db: Executor, changes: readonly Change[], at = new Date().toISOString()): Promise<void> {
  if (changes.length > 0) await takeDataWriteTurn(db);
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

/** The latest change-log entry and import batch: together they move whenever the registry's data does. */
export interface DataMarks {
  changes: number;
  imports: number;
}

export async function dataMarks(db: Executor): Promise<DataMarks> {
  const [changes, imports] = await Promise.all([
    db.selectFrom('change_log').select((eb) => eb.fn.max('id').as('last')).executeTakeFirst(),
    db.selectFrom('import_batch').select((eb) => eb.fn.max('id').as('last')).executeTakeFirst(),
  ]);
  return { changes: Number(changes?.last ?? 0), imports: Number(imports?.last ?? 0) };
}

/**
 * A value that changes whenever the registry's data does: every edit writes the change log and every
 * import writes an import batch. Caches built from the data (search index, public pages) compare it.
 */
export async function dataStamp(db: Executor): Promise<string> {
  const marks = await dataMarks(db);
  return `${marks.changes}.${marks.imports}`;
}

/**
 * The people whose records or events changed between two marks (from the change log and the events
 * of new import batches), or null when so much changed that starting over is simpler.
 */
export async function peopleChangedBetween(db: Executor, from: DataMarks, to: DataMarks, limit: number): Promise<Set<number> | null> {
  if (to.changes - from.changes > limit) return null;
  const people = new Set<number>();
  const rows = await db
    .selectFrom('change_log')
    .select(['entity', 'entity_id', 'before', 'after'])
    .where('id', '>', from.changes)
    .where('id', '<=', to.changes)
    .execute();
  for (const row of rows) {
    if (row.entity === 'person') people.add(row.entity_id);
    // Events name their person; merges name the record they were merged into.
    for (const json of [row.before, row.after]) {
      if (!json) continue;
      const value = JSON.parse(json) as { person_id?: unknown; merged_into?: unknown };
      if (typeof value.person_id === 'number') people.add(value.person_id);
      if (typeof value.merged_into === 'number') people.add(value.merged_into);
    }
  }
  if (to.imports > from.imports) {
    const imported = await db
      .selectFrom('event')
      .select('person_id')
      .distinct()
      .where('import_batch_id', '>', from.imports)
      .where('import_batch_id', '<=', to.imports)
      .execute();
    if (imported.length > limit) return null;
    for (const row of imported) people.add(row.person_id);
  }
  return people.size > limit ? null : people;
}
