/**
 * The backup format: logical and dialect-neutral, so a backup of SQLite restores into PostgreSQL and
 * back. Newline-delimited JSON, gzip-compressed (and then encrypted, see backup-crypto.ts):
 *
 *   line 1       the header: {"format":"vigil-backup","version":1,"created_at":…,"source":"sqlite"|"postgres",
 *                "migrations":[…],"tables":[{"name":…,"rows":N},…],"sequences":{table: highest id issued}}
 *   per table    {"table":NAME,"rows":N}, then exactly N lines, one JSON object per row (column → value),
 *                in the order of `TABLES` (parents before children), rows in key order.
 *
 * Values are what both dialects store: integers, doubles, text and null; bytes (the columns a table lists
 * as `binary`) are written as base64 text.
 */
import { VigilError } from '../../errors.js';
import type { Dialect } from '../../store/connection.js';
import type { DB } from '../../store/schema.js';

export const BACKUP_FORMAT = 'vigil-backup';
export const BACKUP_VERSION = 1;

export type TableName = keyof DB;

export interface TableSpec {
  name: TableName;
  /** The order rows are written in: the primary key (status_interval has none, so its natural key). */
  key: readonly string[];
  /** An identity id whose counter must not fall back after a restore (ids of deleted rows stay unused). */
  identity?: true;
  /** Columns that point at rows of the same table: restored after all its rows, in a second pass. */
  selfReferences?: readonly string[];
  /** Columns holding bytes (base64 in the backup). */
  binary?: readonly string[];
  /** Rows read and inserted at a time, for tables whose rows are large (stored files: one at a time). */
  batchRows?: number;
}

const id = ['id'] as const;

/** Every table, parents before children; but status_count_change, which a restore recounts from status_interval. */
export const TABLES: readonly TableSpec[] = [
  { name: 'facility', key: id, identity: true },
  { name: 'source', key: id, identity: true },
  { name: 'stored_file', key: ['sha256'], binary: ['content'], batchRows: 1 },
  { name: 'person', key: id, identity: true, selfReferences: ['merged_into'] },
  { name: 'person_name', key: id, identity: true },
  { name: 'legal_case', key: id, identity: true },
  { name: 'sanction_measure', key: id, identity: true },
  { name: 'release_deal', key: id, identity: true },
  { name: 'deal_person', key: ['deal_id', 'person_id'] },
  { name: 'deal_concession', key: ['deal_id', 'measure_id'] },
  { name: 'after_release', key: id, identity: true },
  { name: 'import_batch', key: id, identity: true },
  { name: 'event', key: id, identity: true },
  { name: 'event_source', key: ['event_id', 'source_id'] },
  { name: 'source_link', key: ['source_id', 'entity', 'entity_id'] },
  { name: 'change_log', key: id, identity: true },
  { name: 'status_interval', key: ['person_id', 'kind', 'start_day', 'end_day'] },
  { name: 'duplicate_decision', key: ['person_low', 'person_high'] },
  { name: 'proposal', key: id, identity: true },
  { name: 'assistance_case', key: id, identity: true },
  { name: 'assistance_aid', key: id, identity: true },
  { name: 'follow_up', key: id, identity: true },
  { name: 'letter', key: id, identity: true },
  { name: 'official', key: id, identity: true },
  { name: 'official_link', key: ['official_id', 'entity', 'entity_id'] },
  { name: 'violation', key: id, identity: true },
  { name: 'violation_official', key: ['violation_id', 'official_id'] },
  { name: 'health_flag', key: id, identity: true },
  { name: 'app_user', key: id, identity: true },
  { name: 'setup_token', key: id, identity: true },
  { name: 'session', key: ['id_hash'] },
  { name: 'api_token', key: id, identity: true },
  { name: 'webauthn_credential', key: id, identity: true },
  { name: 'signin_failure', key: id, identity: true },
  { name: 'audit_log', key: ['seq'] },
  { name: 'audit_head', key: id },
];

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  created_at: string;
  source: Dialect;
  migrations: string[];
  tables: { name: TableName; rows: number }[];
  sequences: Partial<Record<TableName, number>>;
}

export interface SectionLine {
  table: string;
  rows: number;
}

function invalid(label: string, why: string): VigilError {
  return new VigilError('backup_invalid', `${label} is not a usable Vigil backup: ${why}; nothing was restored`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Every name in `names` is in `order`, once, in the same order as there. */
function isSubsequence(names: readonly unknown[], order: readonly string[]): boolean {
  let at = 0;
  for (const name of names) {
    const found = order.indexOf(name as string, at);
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}

/** Checks the header line: our format, a version and migrations this Vigil knows, every table once. */
export function parseHeader(line: string | undefined, label: string, knownMigrations: readonly string[]): BackupHeader {
  let header: unknown;
  try {
    header = JSON.parse(line ?? '');
  } catch {
    throw invalid(label, 'its first line is not a backup header');
  }
  if (!isObject(header) || header.format !== BACKUP_FORMAT) throw invalid(label, 'its first line is not a backup header');
  if (typeof header.version !== 'number' || header.version > BACKUP_VERSION) {
    throw new VigilError('backup_unsupported', `${label} is in backup format version ${String(header.version)}, which this Vigil does not know; use a newer Vigil`);
  }
  const migrations = Array.isArray(header.migrations) ? header.migrations : [];
  const unknown = migrations.filter((name) => !knownMigrations.includes(name as string));
  if (migrations.length === 0 || unknown.length > 0) {
    throw new VigilError(
      'backup_unsupported',
      `${label} was made by a Vigil with database migrations this one does not have (${unknown.join(', ') || 'none listed'}); restore it with that version or newer`,
    );
  }
  const tables = Array.isArray(header.tables) ? header.tables : [];
  const expected = TABLES.map((table) => table.name);
  const names = tables.map((table: unknown) => (isObject(table) ? table.name : undefined));
  // A backup made before later migrations lacks the tables they added (restored empty); its tables
  // still come in TABLES order. A backup made by this version lists every table.
  const older = migrations.length < knownMigrations.length;
  const listed = older ? isSubsequence(names, expected) : names.join() === expected.join();
  if (!listed || !tables.every((table: unknown) => isObject(table) && isCount(table.rows))) {
    throw invalid(label, `its header does not list the tables ${expected.join(', ')} with their row counts`);
  }
  if (!isObject(header.sequences) || !Object.values(header.sequences).every(isCount)) throw invalid(label, 'its header has no valid id counters');
  return header as unknown as BackupHeader;
}

export function sectionLine(table: TableName, rows: number): string {
  return JSON.stringify({ table, rows } satisfies SectionLine);
}

export function parseSection(line: string | undefined, expected: { name: TableName; rows: number }, label: string): void {
  let section: unknown;
  try {
    section = JSON.parse(line ?? '');
  } catch {
    section = undefined;
  }
  if (!isObject(section) || section.table !== expected.name || section.rows !== expected.rows) {
    throw invalid(label, `where the ${expected.rows} rows of table ${expected.name} should begin, the file has something else`);
  }
}

export function parseRow(line: string | undefined, table: TableName, label: string): Record<string, unknown> {
  let row: unknown;
  try {
    row = JSON.parse(line ?? '');
  } catch {
    row = undefined;
  }
  if (!isObject(row)) throw invalid(label, `a row of table ${table} is ${line === undefined ? 'missing: the file ends early' : 'not a JSON object'}`);
  return row;
}

/** Splits a byte stream into lines without holding more than one line and one chunk in memory. */
export async function* splitLines(source: AsyncIterable<Buffer>, label: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  for await (const chunk of source) {
    let text: string;
    try {
      text = rest + decoder.decode(chunk, { stream: true });
    } catch {
      throw invalid(label, 'it holds text that is not UTF-8');
    }
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    if (rest.length > 256 * 1024 * 1024) throw invalid(label, 'it holds a line longer than any row can be');
    yield* lines;
  }
  if (rest !== '') throw invalid(label, 'its last line is cut short');
}
