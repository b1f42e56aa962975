/**
 * Encrypted backup files. The key comes from a passphrase through scrypt with a random salt; the data
 * follows the header in sealed chunks (sealed-chunks.ts), each bound to the file's header.
 *
 *   header  "VIGILENC" | version (1 byte) | scrypt log2 N, r, p (1 byte each) | salt (16) | key check (32)
 *
 * The key check (an HMAC under a second key from the same scrypt output) tells a wrong key apart from a
 * damaged file; it lets no one test a passphrase more cheaply than the first chunk already would.
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Transform } from 'node:stream';
import { VigilError } from '../../errors.js';
import { openingChunks, sealingChunks } from '../files/sealed-chunks.js';

export const ENCRYPTED_MAGIC = Buffer.from('VIGILENC', 'ascii');
const VERSION = 1;
const SALT_BYTES = 16;
const CHECK_BYTES = 32;
const PREFIX_BYTES = ENCRYPTED_MAGIC.length + 4 + SALT_BYTES;
export const ENCRYPTED_HEADER_BYTES = PREFIX_BYTES + CHECK_BYTES;
/** OWASP's minimum for scrypt: 2^17 × 8 × 128 bytes = 128 MiB of memory per guess. */
const KDF = { logN: 17, r: 8, p: 1 };

interface Keys {
  cipher: Buffer;
  check: Buffer;
}

function deriveKeys(passphrase: string, prefix: Buffer): Promise<Keys> {
  const [logN, r, p] = [prefix[9]!, prefix[10]!, prefix[11]!];
  const salt = prefix.subarray(12, 12 + SALT_BYTES);
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scrypt(passphrase, salt, 64, { N, r, p, maxmem: 256 * N * r }, (error, out) => {
      if (error) return reject(error);
      const check = createHmac('sha256', out.subarray(32)).update(prefix).digest();
      resolve({ cipher: out.subarray(0, 32), check });
    }),
  );
}

/** What the first bytes of a backup file say it is. */
export async function fileKind(path: string): Promise<'encrypted' | 'gzip' | 'unknown'> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(ENCRYPTED_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead === head.length && head.equals(ENCRYPTED_MAGIC)) return 'encrypted';
    return bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b ? 'gzip' : 'unknown';
  } finally {
    await handle.close();
  }
}

/** A stream that writes the header, then the input sealed chunk by chunk. */
export async function encryptingStream(passphrase: string): Promise<Transform> {
  const prefix = Buffer.concat([ENCRYPTED_MAGIC, Buffer.from([VERSION, KDF.logN, KDF.r, KDF.p]), randomBytes(SALT_BYTES)]);
  const keys = await deriveKeys(passphrase, prefix);
  const header = Buffer.concat([prefix, keys.check]);
  return sealingChunks(keys.cipher, header, header);
}

function damaged(label: string, what: string): VigilError {
  return new VigilError('backup_damaged', `${label} is damaged or was altered (${what}); nothing was restored`);
}

/**
 * Reads the header of an encrypted backup and checks the passphrase against it. Returns the stream that
 * turns the rest of the file (from `ENCRYPTED_HEADER_BYTES` on) back into the plain data.
 */
export async function decryptingStream(path: string, label: string, passphrase: string | undefined): Promise<Transform> {
  const header = Buffer.alloc(ENCRYPTED_HEADER_BYTES);
  const handle = await open(path, 'r');
  try {
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    if (bytesRead < header.length) throw damaged(label, 'the header is cut short');
  } finally {
    await handle.close();
  }
  if (header[ENCRYPTED_MAGIC.length] !== VERSION) {
    throw new VigilError('backup_unsupported', `${label} is encrypted with format version ${header[ENCRYPTED_MAGIC.length]}, which this Vigil does not know; use a newer Vigil`);
  }
  if (!passphrase) {
    throw new VigilError('backup_key_missing', `${label} is an encrypted backup and no key was given: set VIGIL_DATABASE_KEY (or use --key-from-env NAME) to the key it was made with`);
  }
  const prefix = header.subarray(0, PREFIX_BYTES);
  const keys = await deriveKeys(passphrase, prefix).catch(() => {
    throw damaged(label, 'its key derivation parameters are invalid');
  });
  if (!timingSafeEqual(keys.check, header.subarray(PREFIX_BYTES))) {
    throw new VigilError('backup_key_wrong', `cannot decrypt ${label}: the key is wrong (it must be the key the backup was made with)`);
  }
  return openingChunks(keys.cipher, header, (what) => damaged(label, what));
}
