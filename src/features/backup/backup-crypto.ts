/**
 * Encrypted backup files. The key comes from a passphrase through scrypt with a random salt; the data is
 * cut into chunks of at most 64 KiB, each sealed with AES-256-GCM under its own random nonce. Each
 * chunk's associated data binds the file header, the chunk's index and whether it is the last one, so
 * chunks cannot be reordered, dropped, swapped between files or cut off at a chunk boundary unnoticed.
 *
 *   header  "VIGILENC" | version (1 byte) | scrypt log2 N, r, p (1 byte each) | salt (16) | key check (32)
 *   chunk   last flag (1) | ciphertext length (4, big-endian) | nonce (12) | ciphertext | GCM tag (16)
 *
 * The key check (an HMAC under a second key from the same scrypt output) tells a wrong key apart from a
 * damaged file; it lets no one test a passphrase more cheaply than the first chunk already would.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { VigilError } from '../../errors.js';

export const ENCRYPTED_MAGIC = Buffer.from('VIGILENC', 'ascii');
const VERSION = 1;
const SALT_BYTES = 16;
const CHECK_BYTES = 32;
const PREFIX_BYTES = ENCRYPTED_MAGIC.length + 4 + SALT_BYTES;
export const ENCRYPTED_HEADER_BYTES = PREFIX_BYTES + CHECK_BYTES;
/** OWASP's minimum for scrypt: 2^17 × 8 × 128 bytes = 128 MiB of memory per guess. */
const KDF = { logN: 17, r: 8, p: 1 };
const CHUNK_BYTES = 64 * 1024;
const FRAME_HEAD_BYTES = 1 + 4 + 12;
const TAG_BYTES = 16;

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

function associatedData(header: Buffer, index: number, last: boolean): Buffer {
  const position = Buffer.alloc(9);
  position.writeBigUInt64BE(BigInt(index));
  position[8] = last ? 1 : 0;
  return Buffer.concat([header, position]);
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
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keys.cipher, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(header, index++, last));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    const head = Buffer.alloc(5);
    head[0] = last ? 1 : 0;
    head.writeUInt32BE(sealed.length, 1);
    return Buffer.concat([head, nonce, sealed, cipher.getAuthTag()]);
  };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      pending = Buffer.concat([pending, chunk]);
      // Keep the tail back: only the flush knows which chunk is the last.
      while (pending.length > CHUNK_BYTES) {
        this.push(seal(pending.subarray(0, CHUNK_BYTES), false));
        pending = pending.subarray(CHUNK_BYTES);
      }
      done();
    },
    flush(done: TransformCallback) {
      this.push(seal(pending, true));
      done();
    },
  });
  stream.push(header);
  return stream;
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
  return chunkOpener(header, keys, label);
}

function chunkOpener(header: Buffer, keys: Keys, label: string): Transform {
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      try {
        while (pending.length > 0) {
          if (ended) throw damaged(label, 'there is data after the last chunk');
          if (pending.length < FRAME_HEAD_BYTES) break;
          const last = pending[0] === 1;
          const length = pending.readUInt32BE(1);
          if (pending[0]! > 1 || length > CHUNK_BYTES) throw damaged(label, `chunk ${index} has an impossible header`);
          const frame = FRAME_HEAD_BYTES + length + TAG_BYTES;
          if (pending.length < frame) break;
          const decipher = createDecipheriv('aes-256-gcm', keys.cipher, pending.subarray(5, FRAME_HEAD_BYTES), { authTagLength: TAG_BYTES });
          decipher.setAAD(associatedData(header, index, last));
          decipher.setAuthTag(pending.subarray(frame - TAG_BYTES, frame));
          const body = pending.subarray(FRAME_HEAD_BYTES, frame - TAG_BYTES);
          try {
            this.push(Buffer.concat([decipher.update(body), decipher.final()]));
          } catch {
            throw damaged(label, `chunk ${index} fails authentication`);
          }
          index += 1;
          ended = last;
          pending = pending.subarray(frame);
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      done(ended ? null : damaged(label, 'it ends early: the file is truncated'));
    },
  });
}
