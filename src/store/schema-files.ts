/** Stored files (migration 0004_stored_files): the contents of uploaded sources, kept in the database itself. */

/** How a stored file's content is kept: as it is, or sealed with AES-256-GCM (features/files/file-crypto.ts). */
export type FileEncryption = 'none' | 'aes-256-gcm';

export interface StoredFileTable {
  /** SHA-256 of the original bytes, lower-case hex: the same bytes are stored once. */
  sha256: string;
  /** Detected from the content at intake, never taken from the client. */
  media_type: string;
  /** Size of the original bytes. */
  size_bytes: number;
  /** When and by whom the bytes were first stored (later uploads of the same bytes reuse them). */
  stored_at: string;
  stored_by: string;
  encryption: FileEncryption;
  /** Which key sealed the content (a fingerprint, not the key); null when not encrypted. */
  key_id: string | null;
  /** AES-GCM nonce and authentication tag, hex; null when not encrypted. */
  nonce: string | null;
  auth_tag: string | null;
  /** The bytes, or their ciphertext: blob on SQLite, bytea on PostgreSQL. */
  content: Buffer;
}
