/**
 * Sealing stored files: AES-256-GCM under the store's file key (store/file-key.ts), a random 96-bit
 * nonce per file, and the file's SHA-256 as associated data, so a sealed content moved to another
 * file's row fails authentication. Opening checks, in this order, that there is a key, that it is the
 * key the file was sealed under, that the content authenticates, and that the bytes have the SHA-256
 * the file is stored under: a wrong key or a damaged row is a clear error, never wrong bytes.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { VigilError } from '../../errors.js';
import type { FileKey } from '../../store/file-key.js';
import type { FileEncryption } from '../../store/schema-files.js';

export interface Sealed {
  encryption: FileEncryption;
  key_id: string | null;
  nonce: string | null;
  auth_tag: string | null;
  content: Buffer;
}

const CIPHER = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function sha256Of(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

const associatedData = (sha256: string) => Buffer.from(`vigil stored file v1 ${sha256}`, 'utf8');

/** Seals `plain` (whose SHA-256 is `sha256`) under `key`; without a key it is kept as it is. */
export function seal(plain: Buffer, sha256: string, key: FileKey | null): Sealed {
  if (!key) return { encryption: 'none', key_id: null, nonce: null, auth_tag: null, content: plain };
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(CIPHER, key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(sha256));
  const content = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { encryption: CIPHER, key_id: key.id, nonce: nonce.toString('hex'), auth_tag: cipher.getAuthTag().toString('hex'), content };
}

const short = (sha256: string) => `${sha256.slice(0, 12)}…`;

function damaged(sha256: string, why: string): VigilError {
  return new VigilError('file_damaged', `stored file ${short(sha256)} is damaged or was altered (${why}); restore it from a backup`, 500);
}

function decrypt(row: Sealed & { sha256: string }, key: FileKey): Buffer {
  if (!row.nonce || !row.auth_tag || row.nonce.length !== NONCE_BYTES * 2 || row.auth_tag.length !== TAG_BYTES * 2) throw damaged(row.sha256, 'its nonce or tag is missing');
  try {
    const decipher = createDecipheriv(CIPHER, key.key, Buffer.from(row.nonce, 'hex'), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(row.sha256));
    decipher.setAuthTag(Buffer.from(row.auth_tag, 'hex'));
    return Buffer.concat([decipher.update(row.content), decipher.final()]);
  } catch {
    throw damaged(row.sha256, 'its content fails authentication');
  }
}

/** The original bytes of a stored file, or an error saying why they cannot be had. */
export function unseal(row: Sealed & { sha256: string }, key: FileKey | null): Buffer {
  let plain: Buffer;
  switch (row.encryption) {
    case 'none':
      plain = row.content;
      break;
    case CIPHER:
      if (!key) {
        throw new VigilError('file_key_missing', `stored file ${short(row.sha256)} is encrypted and no key is set: set VIGIL_DATABASE_KEY to the store's key`, 500);
      }
      if (row.key_id !== key.id) {
        throw new VigilError(
          'file_key_wrong',
          `stored file ${short(row.sha256)} was sealed under another key (key id ${row.key_id}; the key given has id ${key.id}): set VIGIL_DATABASE_KEY to the key it was stored under (after an interrupted "vigil rekey", run it again with the same keys)`,
          500,
        );
      }
      plain = decrypt(row, key);
      break;
    default:
      throw damaged(row.sha256, `its encryption "${String(row.encryption)}" is unknown`);
  }
  if (sha256Of(plain) !== row.sha256) throw damaged(row.sha256, 'its bytes no longer have the SHA-256 recorded at intake');
  return plain;
}
