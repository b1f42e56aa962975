/**
 * 0004_stored_files: the contents of uploaded source files, in the database itself, so that backups,
 * several processes over one PostgreSQL and encryption at rest cover them as they cover every other
 * value (schema-files.ts). Content-addressed: the primary key is the SHA-256 of the original bytes.
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../connection.js';

/** The one column type that differs by dialect here. */
function binaryType(dialect: Dialect): 'blob' | 'bytea' {
  switch (dialect) {
    case 'sqlite':
      return 'blob';
    case 'postgres':
      return 'bytea';
  }
}

export function storedFiles(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('stored_file')
        .addColumn('sha256', 'text', (col) => col.primaryKey())
        .addColumn('media_type', 'text', (col) => col.notNull())
        .addColumn('size_bytes', 'integer', (col) => col.notNull())
        .addColumn('stored_at', 'text', (col) => col.notNull())
        .addColumn('stored_by', 'text', (col) => col.notNull())
        .addColumn('encryption', 'text', (col) => col.notNull().defaultTo('none'))
        .addColumn('key_id', 'text')
        .addColumn('nonce', 'text')
        .addColumn('auth_tag', 'text')
        .addColumn('content', binaryType(dialect), (col) => col.notNull())
        .execute();
    },
  };
}
