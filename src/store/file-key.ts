/**
 * The key stored files are sealed with, derived from the store's key (VIGIL_DATABASE_KEY). It is
 * derived on PostgreSQL too: there the files live in a database the server keeps unencrypted, so this
 * key is what keeps their content from anyone who reads the database or its dumps.
 *
 * The passphrase is first stretched with scrypt (as SQLite3MultipleCiphers stretches it for the file),
 * because on PostgreSQL whoever reads the table could otherwise test guesses at hash speed; HKDF then
 * gives two independent values from it: the AES-256 key, and a short fingerprint stored with each
 * file to tell "sealed under another key" apart from "damaged".
 */
import { createSecretKey, hkdf, scrypt, type KeyObject } from 'node:crypto';

export interface FileKey {
  /** Fingerprint of the key (16 hex digits), safe to store and print. */
  readonly id: string;
  /** A KeyObject: printing or logging it never shows the key material. */
  readonly key: KeyObject;
}

/** 2^15 × 8 × 128 bytes = 32 MiB and about 0.1 s, once per process that touches a file. */
const STRETCH = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const SALT = 'vigil stored files';

function stretch(secret: string): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, SALT, 32, STRETCH, (error, out) => (error ? reject(error) : resolve(out))));
}

function expand(material: Buffer, info: string, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => hkdf('sha256', material, Buffer.alloc(0), info, bytes, (error, out) => (error ? reject(error) : resolve(Buffer.from(out)))));
}

export async function deriveFileKey(secret: string): Promise<FileKey> {
  const material = await stretch(secret);
  const [key, id] = await Promise.all([expand(material, 'vigil stored file key v1', 32), expand(material, 'vigil stored file key id v1', 8)]);
  material.fill(0);
  const secretKey = createSecretKey(key);
  key.fill(0);
  return { id: id.toString('hex'), key: secretKey };
}

/** The file key for a store opened with `secret`: derived on first use, then kept. Null without a secret. */
export function fileKeyOf(secret: string | undefined): () => Promise<FileKey | null> {
  if (!secret) return async () => null;
  let derived: Promise<FileKey> | undefined;
  return () => (derived ??= deriveFileKey(secret));
}
