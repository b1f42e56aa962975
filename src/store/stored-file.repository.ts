/** Stored file contents (schema-files.ts), addressed by the SHA-256 of their original bytes. */
import type { Selectable } from 'kysely';
import type { Executor } from './history.repository.js';
import type { StoredFileTable } from './schema-files.js';

export type StoredFileRow = Selectable<StoredFileTable>;
export type StoredFileInfo = Omit<StoredFileRow, 'content' | 'nonce' | 'auth_tag'>;

const INFO = ['sha256', 'media_type', 'size_bytes', 'stored_at', 'stored_by', 'encryption', 'key_id'] as const;

export async function storedFileInfo(db: Executor, sha256: string): Promise<StoredFileInfo | undefined> {
  return db.selectFrom('stored_file').select(INFO).where('sha256', '=', sha256).executeTakeFirst();
}

export async function storedFileRow(db: Executor, sha256: string): Promise<StoredFileRow | undefined> {
  return db.selectFrom('stored_file').selectAll().where('sha256', '=', sha256).executeTakeFirst();
}

/** Inserts the file unless its bytes are already stored (by someone else, even at this moment); true when inserted. */
export async function insertStoredFile(db: Executor, row: StoredFileRow): Promise<boolean> {
  const result = await db.insertInto('stored_file').values(row).onConflict((conflict) => conflict.column('sha256').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Files not sealed the way `keyId` says (null: not sealed at all), in key order. */
export async function filesNotSealedBy(db: Executor, keyId: string | null): Promise<string[]> {
  let query = db.selectFrom('stored_file').select('sha256').orderBy('sha256');
  query = keyId === null ? query.where('encryption', '!=', 'none') : query.where((eb) => eb.or([eb('key_id', 'is', null), eb('key_id', '!=', keyId)]));
  return (await query.execute()).map((row) => row.sha256);
}

/** How many files are sealed under a key other than `keyId` (any key, when null). */
export async function countSealedElsewhere(db: Executor, keyId: string | null): Promise<number> {
  let query = db.selectFrom('stored_file').select((eb) => eb.fn.countAll().as('n')).where('encryption', '!=', 'none');
  if (keyId !== null) query = query.where('key_id', '!=', keyId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function anySealedFile(db: Executor): Promise<boolean> {
  return (await db.selectFrom('stored_file').select('sha256').where('encryption', '!=', 'none').limit(1).executeTakeFirst()) !== undefined;
}

export async function updateSeal(db: Executor, sha256: string, sealed: Pick<StoredFileRow, 'encryption' | 'key_id' | 'nonce' | 'auth_tag' | 'content'>): Promise<void> {
  await db.updateTable('stored_file').set(sealed).where('sha256', '=', sha256).execute();
}
