/**
 * Versioned records that live in one row of their own table (facility, legal_case, source, release_deal,
 * sanction_measure): every change bumps `version`, and the version check sits in the UPDATE itself, so
 * two concurrent editors cannot both win.
 */
import type { Insertable, Selectable } from 'kysely';
import { errors } from '../errors.js';
import type { Executor } from './history.repository.js';
import type { DB } from './schema.js';

export type VersionedTable = 'facility' | 'legal_case' | 'source' | 'release_deal' | 'sanction_measure' | 'after_release'
  | 'assistance_case' | 'assistance_aid' | 'follow_up' | 'letter' | 'official' | 'violation' | 'health_flag';
export type RecordColumns<T extends VersionedTable> = Omit<Insertable<DB[T]>, 'id' | 'version' | 'created_at' | 'updated_at'>;
export type RecordRow<T extends VersionedTable> = Selectable<DB[T]>;

/** A filter on one column of a list: equality, or a bound of a range (partial dates compare as text). */
export type ColumnFilter = [column: string, op: '=' | '>=' | '<=', value: string | number];

/** Equality filters for the fields given (undefined: no filter). */
export function equalTo(filter: Record<string, string | number | undefined>): ColumnFilter[] {
  return Object.entries(filter).flatMap(([column, value]) => (value === undefined ? [] : [[column, '=', value] as ColumnFilter]));
}

// The tables share id, version, created_at and updated_at. Kysely cannot type one query over a union of
// tables, so each query below is typed as one of them; the callers' types come from RecordColumns/RecordRow.
const as = (table: VersionedTable) => table as 'facility';

export async function insertRecord<T extends VersionedTable>(db: Executor, table: T, values: RecordColumns<T>, now: string): Promise<number> {
  const row = await db
    .insertInto(as(table))
    .values({ ...(values as RecordColumns<'facility'>), version: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function recordRow<T extends VersionedTable>(db: Executor, table: T, id: number): Promise<RecordRow<T> | undefined> {
  return (await db.selectFrom(as(table)).selectAll().where('id', '=', id).executeTakeFirst()) as RecordRow<T> | undefined;
}

/** Replaces the row's content if nobody changed it since `expectedVersion`; returns the new version. */
export async function updateRecord<T extends VersionedTable>(
  db: Executor,
  table: T,
  id: number,
  expectedVersion: number,
  values: RecordColumns<T>,
  now: string,
  what: string,
): Promise<number> {
  const result = await db
    .updateTable(as(table))
    .set({ ...(values as RecordColumns<'facility'>), version: expectedVersion + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    const current = await db.selectFrom(as(table)).select('version').where('id', '=', id).executeTakeFirst();
    if (!current) throw errors.notFound(what);
    throw errors.conflict(what, expectedVersion, current.version);
  }
  return expectedVersion + 1;
}

/** One page of rows in id order after the cursor `after` (keyset pagination). */
export async function recordPage<T extends VersionedTable>(
  db: Executor,
  table: T,
  page: { after: number; limit: number },
  filters: readonly ColumnFilter[],
): Promise<RecordRow<T>[]> {
  let select = db.selectFrom(as(table)).selectAll().where('id', '>', page.after).orderBy('id').limit(page.limit);
  for (const [column, op, value] of filters) select = select.where(column as 'name', op, value as string);
  return (await select.execute()) as RecordRow<T>[];
}
