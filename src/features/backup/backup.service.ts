/**
 * `vigil backup` and `vigil restore`. A backup reads every table inside one snapshot while the server
 * goes on writing, and streams it (backup-format.ts) through gzip, and encryption when there is a key
 * (backup-crypto.ts), into the file. A restore goes into an empty store in one transaction: all rows
 * with their ids, or nothing.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PassThrough, Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isVigilError, VigilError } from '../../errors.js';
import type { Dialect, Store } from '../../store/connection.js';
import { migrations } from '../../store/migrations.js';
import type { DB } from '../../store/schema.js';
import { recountStatusChanges } from '../../store/status.repository.js';
import { appendAudit, verifyAudit, type AuditVerification } from '../audit/audit.service.js';
import { checkFilesReadable } from '../files/file-store.service.js';
import { decryptingStream, ENCRYPTED_HEADER_BYTES, encryptingStream, fileKind } from './backup-crypto.js';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  parseHeader,
  parseRow,
  parseSection,
  sectionLine,
  splitLines,
  TABLES,
  type BackupHeader,
  type TableName,
  type TableSpec,
} from './backup-format.js';

// Table names come from TABLES, so queries over "any table" go through an untyped view of the database.
type AnyDb = Kysely<any>;
type Row = Record<string, unknown>;
type Counters = BackupHeader['sequences'];

export interface TableCount {
  name: TableName;
  rows: number;
}

export interface BackupReport {
  file: string;
  encrypted: boolean;
  bytes: number;
  tables: TableCount[];
  rows: number;
}

export interface RestoreReport {
  file: string;
  encrypted: boolean;
  source: Dialect;
  created_at: string;
  tables: TableCount[];
  rows: number;
  audit: AuditVerification;
}

const FETCH_ROWS = 1000;
/** Bound parameters per INSERT, well under SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_PARAMETERS = 16_000;

const total = (tables: readonly TableCount[]): number => tables.reduce((sum, table) => sum + table.rows, 0);

/** Runs `work` in a read transaction that sees one consistent state of the whole store. */
function inSnapshot<T>(store: Store, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  switch (store.dialect) {
    case 'postgres':
      // Every statement sees the database as of the first one; writers are neither blocked nor blocking.
      return store.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work);
    case 'sqlite':
      // In WAL mode a read transaction keeps the state of its first read while other connections write.
      return store.db.transaction().execute(work);
  }
}

/** The rows of one table in key order, a batch at a time, without holding the table in memory. */
async function* tableRows(trx: Transaction<DB>, dialect: Dialect, table: TableSpec): AsyncGenerator<Row[]> {
  const query = table.key.reduce((ordered, column) => ordered.orderBy(column), (trx as AnyDb).selectFrom(table.name).selectAll());
  switch (dialect) {
    case 'postgres': {
      // Kysely streams from pg only with the pg-cursor package; a server-side cursor does the same.
      await sql.raw(`declare vigil_backup no scroll cursor for ${query.compile().sql}`).execute(trx);
      for (;;) {
        const { rows } = await sql.raw<Row>(`fetch forward ${table.batchRows ?? FETCH_ROWS} from vigil_backup`).execute(trx);
        if (rows.length === 0) break;
        yield rows;
      }
      await sql.raw('close vigil_backup').execute(trx);
      return;
    }
    case 'sqlite': {
      let batch: Row[] = [];
      for await (const row of query.stream()) {
        batch.push(row);
        if (batch.length === (table.batchRows ?? FETCH_ROWS)) yield batch.splice(0);
      }
      if (batch.length > 0) yield batch;
      return;
    }
  }
}

/** The highest id each identity column has handed out, which can be above max(id) after deletions. */
async function readIdCounters(trx: Transaction<DB>, dialect: Dialect): Promise<Counters> {
  const counters: Counters = {};
  const identities = TABLES.filter((table) => table.identity).map((table) => table.name);
  switch (dialect) {
    case 'postgres':
      for (const name of identities) {
        const { rows } = await sql<{ value: number | null }>`select pg_sequence_last_value(pg_get_serial_sequence(${name}, 'id')::regclass) as value`.execute(trx);
        if (rows[0]?.value != null) counters[name] = Number(rows[0].value);
      }
      return counters;
    case 'sqlite': {
      const { rows } = await sql<{ name: string; seq: number }>`select name, seq from sqlite_sequence`.execute(trx);
      for (const row of rows) if ((identities as string[]).includes(row.name)) counters[row.name as TableName] = Number(row.seq);
      return counters;
    }
  }
}

/** Sets each identity counter to the larger of the restored max(id) and the counter in the backup. */
async function raiseIdCounters(trx: Transaction<DB>, dialect: Dialect, counters: Counters): Promise<void> {
  for (const table of TABLES.filter((spec) => spec.identity)) {
    const { rows } = await sql<{ top: number | null }>`select max(id) as top from ${sql.table(table.name)}`.execute(trx);
    const value = Math.max(Number(rows[0]?.top ?? 0), counters[table.name] ?? 0);
    if (value === 0) continue;
    switch (dialect) {
      case 'postgres':
        await sql`select setval(pg_get_serial_sequence(${table.name}, 'id'), ${value})`.execute(trx);
        break;
      case 'sqlite': {
        const updated = await sql`update sqlite_sequence set seq = ${value} where name = ${table.name}`.execute(trx);
        if (!updated.numAffectedRows) await sql`insert into sqlite_sequence (name, seq) values (${table.name}, ${value})`.execute(trx);
        break;
      }
    }
  }
}

async function countRows(db: Kysely<DB> | Transaction<DB>): Promise<TableCount[]> {
  const counts: TableCount[] = [];
  for (const table of TABLES) {
    const row = await (db as AnyDb).selectFrom(table.name).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    counts.push({ name: table.name, rows: Number(row.n) });
  }
  return counts;
}

async function readHeader(trx: Transaction<DB>, dialect: Dialect): Promise<BackupHeader> {
  const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(trx);
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    created_at: new Date().toISOString(),
    source: dialect,
    migrations: applied.rows.map((row) => row.name),
    tables: await countRows(trx),
    sequences: await readIdCounters(trx, dialect),
  };
}

/** Bytes as base64 text, and back: JSON has no bytes. */
function encodeBinary(spec: TableSpec, row: Row): Row {
  for (const column of spec.binary ?? []) if (Buffer.isBuffer(row[column])) row[column] = (row[column] as Buffer).toString('base64');
  return row;
}

function decodeBinary(spec: TableSpec, row: Row, label: string): Row {
  for (const column of spec.binary ?? []) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      throw new VigilError('backup_invalid', `${label} is not a usable Vigil backup: column ${column} of a row of table ${spec.name} is not base64; nothing was restored`);
    }
    row[column] = Buffer.from(value, 'base64');
  }
  return row;
}

async function* backupLines(trx: Transaction<DB>, dialect: Dialect, header: BackupHeader): AsyncGenerator<Buffer> {
  yield Buffer.from(`${JSON.stringify(header)}\n`);
  for (const counted of header.tables) {
    yield Buffer.from(`${sectionLine(counted.name, counted.rows)}\n`);
    let written = 0;
    const spec = TABLES.find((table) => table.name === counted.name)!;
    for await (const rows of tableRows(trx, dialect, spec)) {
      written += rows.length;
      yield Buffer.from(rows.map((row) => `${JSON.stringify(encodeBinary(spec, row))}\n`).join(''));
    }
    // Counted and read in one snapshot, so they agree unless the snapshot failed.
    if (written !== counted.rows) throw new Error(`table ${counted.name} changed during the backup (${counted.rows} rows counted, ${written} read)`);
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a backup of the whole store to `file` (replacing it only once the backup is complete), then
 * records it in the audit trail in a transaction of its own: the backup shows the state before it.
 */
export async function backupStore(store: Store, file: string, options: { actor: string; passphrase?: string | undefined }): Promise<BackupReport> {
  const encrypted = Boolean(options.passphrase);
  const partial = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  let header: BackupHeader;
  try {
    const sealer: Transform = options.passphrase ? await encryptingStream(options.passphrase) : new PassThrough();
    header = await inSnapshot(store, async (trx) => {
      const header = await readHeader(trx, store.dialect);
      // Only the owner may read the file: it holds everything, restricted records included.
      const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
      await pipeline(Readable.from(backupLines(trx, store.dialect, header)), createGzip(), sealer, out);
      return header;
    });
    await syncFile(partial);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    if (isVigilError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new VigilError('backup_failed', `cannot write the backup to ${file}: ${(error as Error).message}`);
    throw error;
  }
  const rows = total(header.tables);
  await store.db
    .transaction()
    .execute((trx) => appendAudit(trx, { actor: options.actor, action: 'backup', detail: { file: basename(file), tables: header.tables.length, rows, encrypted } }));
  return { file, encrypted, bytes: (await stat(file)).size, tables: header.tables, rows };
}

async function refuseUnlessEmpty(trx: Transaction<DB>, store: Store): Promise<void> {
  const filled = (await countRows(trx)).filter((table) => table.rows > 0);
  if (filled.length === 0) return;
  const what = filled.map((table) => `${table.rows} ${table.name}`).join(', ');
  throw new VigilError('store_not_empty', `cannot restore into ${store.description}: it is not empty (${what}); restore only into a new, empty database`, 409);
}

async function insertRows(trx: Transaction<DB>, table: TableName, rows: Row[]): Promise<void> {
  if (rows.length > 0) await (trx as AnyDb).insertInto(table).values(rows).execute();
}

/** Inserts one table's rows; columns pointing into the same table are filled in once all rows are there. */
async function restoreTable(trx: Transaction<DB>, spec: TableSpec, count: number, next: () => Promise<string | undefined>, label: string): Promise<void> {
  const later: { key: Row; references: Row }[] = [];
  let batch: Row[] = [];
  let batchSize = 1;
  for (let i = 0; i < count; i += 1) {
    const row = decodeBinary(spec, parseRow(await next(), spec.name, label), label);
    if (batch.length === 0) batchSize = Math.min(spec.batchRows ?? Infinity, Math.max(1, Math.floor(INSERT_PARAMETERS / Math.max(1, Object.keys(row).length))));
    const references = Object.fromEntries((spec.selfReferences ?? []).filter((column) => row[column] != null).map((column) => [column, row[column]]));
    if (Object.keys(references).length > 0) {
      later.push({ key: Object.fromEntries(spec.key.map((column) => [column, row[column]])), references });
      for (const column of Object.keys(references)) row[column] = null;
    }
    batch.push(row);
    if (batch.length >= batchSize) await insertRows(trx, spec.name, batch.splice(0));
  }
  await insertRows(trx, spec.name, batch);
  for (const { key, references } of later) {
    let update = (trx as AnyDb).updateTable(spec.name).set(references);
    for (const [column, value] of Object.entries(key)) update = update.where(column, '=', value);
    await update.execute();
  }
}

/** Reads the header and every table from the lines of a backup and inserts the rows. */
async function restoreLines(trx: Transaction<DB>, lines: AsyncGenerator<string>, label: string): Promise<BackupHeader> {
  const next = async (): Promise<string | undefined> => {
    const line = await lines.next();
    return line.done ? undefined : line.value;
  };
  const header = parseHeader(await next(), label, Object.keys(migrations('sqlite')));
  for (const counted of header.tables) {
    parseSection(await next(), counted, label);
    await restoreTable(trx, TABLES.find((table) => table.name === counted.name)!, counted.rows, next, label);
  }
  if ((await next()) !== undefined) throw new VigilError('backup_invalid', `${label} is not a usable Vigil backup: it has lines after the last table; nothing was restored`);
  return header;
}

function restoreError(error: unknown, label: string): unknown {
  if (isVigilError(error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
    return new VigilError('backup_damaged', `${label} is damaged or cut short (its compressed data does not check out); nothing was restored`);
  }
  return new VigilError('restore_failed', `cannot restore ${label}: ${(error as Error).message}; nothing was restored`);
}

/**
 * Restores a backup into `store`, which must be empty: every row with its id, in one transaction. The
 * audit trail is then verified; a trail that was already broken in the backup is restored as it was
 * and reported.
 */
export async function restoreStore(store: Store, file: string, options: { passphrase?: string | undefined } = {}): Promise<RestoreReport> {
  const kind = await fileKind(file).catch((error: NodeJS.ErrnoException) => {
    throw new VigilError('not_found', `cannot read ${file}: ${error.code === 'ENOENT' ? 'there is no such file' : error.message}`, 404);
  });
  if (kind === 'unknown') throw new VigilError('backup_invalid', `${file} is not a Vigil backup (neither gzip nor an encrypted backup); nothing was restored`);
  // An encrypted backup authenticates each chunk before its rows are read; a plain one is checked whole
  // first, so a damaged byte anywhere is reported as damage rather than as whatever its rows turn into.
  if (kind === 'gzip') {
    try {
      await pipeline(createReadStream(file), createGunzip(), new Writable({ write: (_chunk, _encoding, done) => done() }));
    } catch (error) {
      throw restoreError(error, file);
    }
  }
  const opener = kind === 'encrypted' ? await decryptingStream(file, file, options.passphrase) : new PassThrough();
  const input = createReadStream(file, { start: kind === 'encrypted' ? ENCRYPTED_HEADER_BYTES : 0 });
  let header: BackupHeader | undefined;
  try {
    header = await store.db.transaction().execute(async (trx) => {
      await refuseUnlessEmpty(trx, store);
      let restored: BackupHeader | undefined;
      await pipeline(input, opener, createGunzip(), async (source: AsyncIterable<Buffer>) => {
        restored = await restoreLines(trx, splitLines(source, file), file);
      });
      await raiseIdCounters(trx, store.dialect, restored!.sequences);
      // Derived from the intervals, so not in the backup (older backups could not have it).
      await recountStatusChanges(trx);
      // Files sealed under a key this store does not have would come back unreadable.
      await checkFilesReadable(trx, await store.fileKey(), `cannot restore ${file} into ${store.description}`, '; nothing was restored');
      const counted = await countRows(trx);
      // Tables an older backup does not list were added by later migrations: they stay empty.
      const listed = (name: string) => restored!.tables.find((table) => table.name === name)?.rows ?? 0;
      const differs = counted.find((table) => table.rows !== listed(table.name));
      if (differs) throw new Error(`table ${differs.name} has ${differs.rows} rows after the restore, the backup lists ${listed(differs.name)}`);
      return restored!;
    });
  } catch (error) {
    input.destroy();
    throw restoreError(error, file);
  }
  const audit = await verifyAudit(store.db);
  return { file, encrypted: kind === 'encrypted', source: header.source, created_at: header.created_at, tables: header.tables, rows: total(header.tables), audit };
}
