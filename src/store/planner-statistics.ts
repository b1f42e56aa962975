/**
 * After a large write in one transaction (an import), PostgreSQL's planner goes on believing the tables
 * are as small as before until autovacuum gets to them, which on a big table can take long after the
 * import: it then plans for a handful of rows. Seen at a million people: a whole-table scan for every
 * chunk of the status rebuild, and 0.5 s instead of 20 ms for each page of 5,000 people the name index
 * reads. ANALYZE, allowed inside the transaction and counting the transaction's own rows, fixes that
 * before the import commits. SQLite picks the indexes without statistics.
 */
import { sql } from 'kysely';
import type { Dialect } from './connection.js';
import type { Executor } from './history.repository.js';
import type { DB } from './schema.js';

/** Rows written past which an import refreshes the statistics of the tables it wrote. */
export const LARGE_WRITE_ROWS = 1000;

export async function refreshStatistics(db: Executor, dialect: Dialect, tables: readonly (keyof DB)[]): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const table of tables) await sql`ANALYZE ${sql.table(table)}`.execute(db);
}
