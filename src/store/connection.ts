/**
 * Opening the store: SQLite (a file path, the embedded default) or PostgreSQL (a postgres:// URL).
 * Both sit behind the same Kysely<DB>; the few places where SQL differs live in the repositories, side
 * by side, behind one function each.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { VigilError } from '../errors.js';
import type { DB } from './schema.js';
import { migrateToLatest } from './migrations.js';
import { fileKeyOf, type FileKey } from './file-key.js';
import { OwnSchemaPostgresDialect } from './pg-introspector.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** Where the store is, safe to print (no password). */
  readonly description: string;
  /** The key stored files are sealed with (derived from the store's key on first use), or null without one. */
  fileKey(): Promise<FileKey | null>;
  /**
   * SQLite only: a second, read-only connection to the same file for short reads that must not wait
   * behind a long write transaction on `db` (who is signed in, while a browser import runs). It sees
   * the last committed state (WAL). PostgreSQL's pool has several connections already.
   */
  readonly readsAside?: Kysely<DB>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * The store's key (VIGIL_DATABASE_KEY): on SQLite the file is encrypted with it; on both dialects
   * stored files are sealed with a key derived from it (file-key.ts).
   */
  key?: string | undefined;
  /** PostgreSQL only: schema to use instead of public (tests use one schema each). */
  schema?: string | undefined;
  /**
   * PostgreSQL only: a read replica (VIGIL_PUBLIC_DATABASE, see replica.ts). Every session is read-only,
   * and nothing is created or migrated: the schema comes from the primary.
   */
  readOnly?: boolean;
  /** Run pending migrations (default true). */
  migrate?: boolean;
}

export const DEFAULT_DATABASE = './data/vigil.sqlite';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(location: string): string {
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

// PostgreSQL returns bigint (count(*), sum) as strings; every such value here is far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));

/** A read-only connection to a store file the main connection has opened (and set to WAL). */
function openSqliteReader(path: string, key: string | undefined): Database.Database {
  const database = new Database(path, { readonly: true, fileMustExist: true });
  if (key !== undefined && key !== '') database.pragma(`key='${key.replaceAll("'", "''")}'`);
  database.pragma('busy_timeout = 10000');
  return database;
}

/** Without a reader (a file system that refuses a second handle, say) everything reads through the main connection. */
function tryOpenReader(path: string, key: string | undefined): Database.Database | undefined {
  try {
    return openSqliteReader(path, key);
  } catch {
    return undefined;
  }
}

function openSqliteFile(path: string, key: string | undefined): Database.Database {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new Database(path);
  try {
    if (key !== undefined && key !== '') database.pragma(`key='${key.replaceAll("'", "''")}'`);
    // Reading the schema is the first access that needs the right key.
    database.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    database.close();
    const encrypted = /not a database|encrypted/i.test(String(error));
    throw new VigilError(
      'store_unreadable',
      encrypted
        ? `cannot open ${path}: the file is encrypted and ${key ? 'the key is wrong' : 'no key was given'} (set VIGIL_DATABASE_KEY to its key)`
        : `cannot open ${path}: ${(error as Error).message}`,
    );
  }
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 10000');
  database.pragma('cache_size = -65536');
  return database;
}

/** Work on the store's content that must change with its key (re-sealing stored files), and its way back. */
export interface AlongWithRekey {
  apply(db: Kysely<DB>): Promise<void>;
  undo(db: Kysely<DB>): Promise<void>;
}

/**
 * Changes the encryption key of a SQLite store (or encrypts a plaintext one). SQLite3MultipleCiphers
 * rekeys only outside WAL mode, and leaving WAL needs the only connection: with `vigil serve` running
 * this fails with a message saying so, and the file is left as it was. `along` runs first, under the
 * same exclusive hold, and is undone when the key change fails.
 */
export async function rekeySqlite(path: string, oldKey: string | undefined, newKey: string, along?: AlongWithRekey): Promise<void> {
  if (!newKey) throw new VigilError('usage', 'the new key is empty; removing encryption is not supported');
  const database = openSqliteFile(path, oldKey);
  try {
    const mode = database.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') {
      throw new VigilError('store_busy', `cannot change the key of ${path} while another process uses it (stop vigil serve first)`);
    }
    // Not destroyed: that would close the connection, which the finally below closes.
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
    await along?.apply(db);
    try {
      database.pragma(`rekey='${newKey.replaceAll("'", "''")}'`);
    } catch (error) {
      await along?.undo(db);
      throw error;
    }
    database.pragma('journal_mode = WAL');
  } catch (error) {
    if (error instanceof VigilError) throw error;
    const busy = /locked|busy/i.test(String(error));
    throw new VigilError(busy ? 'store_busy' : 'rekey_failed', busy ? `cannot change the key of ${path} while another process uses it (stop vigil serve first)` : `changing the key of ${path} failed: ${(error as Error).message}`);
  } finally {
    database.close();
  }
}

/** Prepared statements kept per connection, by SQL text. */
const KEPT_STATEMENTS = 200;

/**
 * The connection as Kysely's SQLite driver sees it, with prepared statements kept (least recently used
 * dropped first): the driver prepares every query anew, which was a tenth of an import's time and of a
 * busy server's. A statement still being iterated is not handed out twice.
 */
function keepingStatements(database: Database.Database): SqliteDatabase {
  const kept = new Map<string, Database.Statement>();
  return {
    close: () => {
      kept.clear();
      database.close();
    },
    prepare(text: string) {
      const known = kept.get(text);
      kept.delete(text);
      const statement = known && !known.busy ? known : database.prepare(text);
      kept.set(text, statement);
      if (kept.size > KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
      return statement;
    },
  };
}

async function openSqlite(path: string, options: OpenOptions): Promise<Store> {
  const database = openSqliteFile(path, options.key);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: keepingStatements(database) }) });
  const reader = path === ':memory:' ? undefined : tryOpenReader(path, options.key);
  const readsAside = reader ? new Kysely<DB>({ dialect: new SqliteDialect({ database: keepingStatements(reader) }) }) : undefined;
  const close = async () => {
    await readsAside?.destroy();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', description: `SQLite ${path}`, fileKey: fileKeyOf(options.key), close, ...(readsAside ? { readsAside } : {}) };
}

/** The URL with one more setting in its startup options (PostgreSQL applies them to every session). */
function withSessionSetting(url: string, setting: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `${parsed.searchParams.get('options') ?? ''} -c ${setting}`.trim());
  return parsed.toString();
}

async function openPostgres(url: string, options: OpenOptions): Promise<Store> {
  const description = `PostgreSQL ${redactUrl(url)}`;
  const pool = new pg.Pool({
    // As a startup option the server itself holds every session to it, whatever the URL points at.
    connectionString: options.readOnly ? withSessionSetting(url, 'default_transaction_read_only=on') : url,
    max: 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // A dropped idle connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    if (options.schema && !options.readOnly) await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replaceAll('"', '')}"`);
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new VigilError('store_unreachable', `cannot reach ${description}: ${(error as Error).message}`);
  }
  const db = new Kysely<DB>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
  return { db, dialect: 'postgres', description, fileKey: fileKeyOf(options.key), close: () => db.destroy() };
}

/** Opens the store at `location` and brings its schema up to date. */
export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  const store = isPostgresUrl(location) ? await openPostgres(location, options) : await openSqlite(location, options);
  if (options.migrate !== false && !options.readOnly) {
    try {
      await migrateToLatest(store);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

export async function isReachable(store: Store): Promise<boolean> {
  try {
    // One row, not a count: counting a million people took a while on every health check.
    await store.db.selectFrom('person').select('id').limit(1).execute();
    return true;
  } catch {
    return false;
  }
}
