/**
 * The file store: intake (size limit, SHA-256, type by content, sealed when the store has a key),
 * reading back, and re-sealing under a new key. Contents live in the database (stored_file), so
 * backups, several processes over one PostgreSQL and encryption at rest cover them like every other
 * value. Content-addressed: the same bytes are stored once, whoever sends them and however often.
 */
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { VigilError } from '../../errors.js';
import type { Executor } from '../../store/history.repository.js';
import type { FileKey } from '../../store/file-key.js';
import type { DB } from '../../store/schema.js';
import {
  anySealedFile,
  countSealedElsewhere,
  filesNotSealedBy,
  insertStoredFile,
  storedFileInfo,
  storedFileRow,
  updateSeal,
  type StoredFileInfo,
} from '../../store/stored-file.repository.js';
import { seal, sha256Of, unseal } from './file-crypto.js';
import { detectFileType } from './file-type.js';

export const DEFAULT_UPLOAD_MAX_MB = 25;
/** A file travels whole through memory and, base64-encoded, as one line of a backup. */
const UPLOAD_MAX_MB_CEILING = 100;
const MB = 1024 * 1024;

/** The largest file accepted, in bytes: VIGIL_UPLOAD_MAX_MB (whole megabytes, 1–100), default 25. */
export function uploadLimitBytes(value: string | undefined = process.env.VIGIL_UPLOAD_MAX_MB): number {
  if (value === undefined || value.trim() === '') return DEFAULT_UPLOAD_MAX_MB * MB;
  const mb = Number(value);
  if (!Number.isInteger(mb) || mb < 1 || mb > UPLOAD_MAX_MB_CEILING) {
    throw new VigilError('config_invalid', `VIGIL_UPLOAD_MAX_MB is "${value}": it must be a whole number of megabytes from 1 to ${UPLOAD_MAX_MB_CEILING}`);
  }
  return mb * MB;
}

export function fileTooLarge(limit: number): VigilError {
  return new VigilError('file_too_large', `the file is larger than ${Math.round(limit / MB)} MB, the most this Vigil accepts (VIGIL_UPLOAD_MAX_MB); nothing was stored`, 413);
}

/** The whole content of a stream, refused as soon as it passes `limit` bytes. */
export async function readLimited(source: AsyncIterable<Uint8Array | string>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += bytes.length;
    if (size > limit) {
      if (source instanceof Readable) source.destroy();
      throw fileTooLarge(limit);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

/** A file read, measured, hashed and typed, ready to be stored. */
export interface FileIntake {
  content: Buffer;
  sha256: string;
  media_type: string;
  size_bytes: number;
}

/** Everything about a file that needs no database: limit, type by content, hash. */
export async function examineFile(source: Buffer | AsyncIterable<Uint8Array | string>, limit = uploadLimitBytes()): Promise<FileIntake> {
  const content = Buffer.isBuffer(source) ? source : await readLimited(source, limit);
  if (content.length > limit) throw fileTooLarge(limit);
  const { mediaType } = await detectFileType(content);
  return { content, sha256: sha256Of(content), media_type: mediaType, size_bytes: content.length };
}

export interface StoredFile {
  info: StoredFileInfo;
  /** The bytes were already held before this intake (stored once, reused). */
  alreadyHeld: boolean;
}

/**
 * Stores the file in the caller's transaction unless its bytes are already held. A store without a
 * key refuses to add plaintext beside files sealed under a key: a server started without
 * VIGIL_DATABASE_KEY must not quietly stop encrypting.
 */
export async function storeFile(db: Executor, key: FileKey | null, file: FileIntake, actor: string, now = new Date().toISOString()): Promise<StoredFile> {
  const held = await storedFileInfo(db, file.sha256);
  if (held) return { info: held, alreadyHeld: true };
  if (!key && (await anySealedFile(db))) {
    throw new VigilError('file_key_missing', 'this store keeps its files encrypted, and this process has no key: set VIGIL_DATABASE_KEY to the store\'s key; nothing was stored', 500);
  }
  const inserted = await insertStoredFile(db, {
    sha256: file.sha256,
    media_type: file.media_type,
    size_bytes: file.size_bytes,
    stored_at: now,
    stored_by: actor,
    ...seal(file.content, file.sha256, key),
  });
  const info = await storedFileInfo(db, file.sha256);
  if (!info) throw new Error(`stored file ${file.sha256} is missing right after it was stored`);
  return { info, alreadyHeld: !inserted };
}

/** The original bytes and what is known about them. */
export async function readFile(db: Executor, key: FileKey | null, sha256: string): Promise<{ info: StoredFileInfo; content: Buffer }> {
  const row = await storedFileRow(db, sha256);
  if (!row) throw new VigilError('not_found', `the stored file ${sha256.slice(0, 12)}… is not held in this store`, 404);
  const { content: _sealed, nonce: _nonce, auth_tag: _tag, ...info } = row;
  return { info, content: unseal(row, key) };
}

/**
 * Re-seals every stored file under `to` (null: unsealed), in one transaction: all of them or none.
 * Files already sealed under `to` are left alone, so a run cut short can simply be run again.
 */
export async function resealFiles(db: Kysely<DB>, from: FileKey | null, to: FileKey | null): Promise<number> {
  return db.transaction().execute((trx) => resealFilesIn(trx, from, to));
}

/** resealFiles in the caller's transaction. */
export async function resealFilesIn(trx: Executor, from: FileKey | null, to: FileKey | null): Promise<number> {
  const pending = await filesNotSealedBy(trx, to?.id ?? null);
  // One file in memory at a time.
  for (const sha256 of pending) {
    const row = await storedFileRow(trx, sha256);
    if (row) await updateSeal(trx, sha256, seal(unseal(row, from), sha256, to));
  }
  return pending.length;
}

/** Refuses a state where some files are sealed under a key other than the store's: they could not be read. */
export async function checkFilesReadable(db: Executor, key: FileKey | null, what: string, outcome = ''): Promise<void> {
  const elsewhere = await countSealedElsewhere(db, key?.id ?? null);
  if (elsewhere === 0) return;
  throw new VigilError(
    'file_key_wrong',
    `${what}: ${elsewhere} stored file(s) are sealed under ${key ? 'another key than' : 'a key, and there is none for'} this store; set VIGIL_DATABASE_KEY to the key of the store they come from (change it afterwards with "vigil rekey")${outcome}`,
    409,
  );
}
