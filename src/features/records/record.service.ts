/**
 * Creating and editing versioned records (facilities, cases, sources, deals, sanction measures) the one
 * way the registry edits anything: in a transaction, the version checked inside the UPDATE, the change
 * logged with who, when, before, after and why, and an audit entry that commits with it.
 */
import { normalizePartialDate } from '../../domain/partial-date.js';
import { errors, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { recordChanges, type Executor } from '../../store/history.repository.js';
import { insertRecord, recordPage, recordRow, updateRecord, type ColumnFilter, type RecordColumns, type RecordRow, type VersionedTable } from '../../store/record.repository.js';
import { appendAudit } from '../audit/audit.service.js';
import type { EditContext } from '../persons/person.service.js';

export interface Versioned {
  id: number;
  version: number;
  created_at: string;
  updated_at: string;
}

/** How one kind of record is stored; `Data` is what the change log keeps as before and after. */
export interface RecordKind<T extends VersionedTable, Data, Rec extends Data & Versioned> {
  /** The name in the change log and the audit trail. */
  entity: string;
  table: T;
  columns(data: Data): RecordColumns<T>;
  /** The whole record from its row (and the rows linked to it). */
  record(db: Executor, row: RecordRow<T>): Promise<Rec>;
  data(record: Rec): Data;
  /** Writes what lives outside the record's own row (a deal's people and concessions). */
  link?(db: Executor, id: number, data: Data): Promise<void>;
}

export async function findRecord<T extends VersionedTable, Data, Rec extends Data & Versioned>(db: Executor, kind: RecordKind<T, Data, Rec>, id: number): Promise<Rec> {
  const row = await recordRow(db, kind.table, id);
  if (!row) throw errors.notFound(`${kind.entity} ${id}`);
  return kind.record(db, row);
}

/** The version and timestamps of a row. */
export function versionOf(row: Versioned): Versioned {
  return { id: row.id, version: row.version, created_at: row.created_at, updated_at: row.updated_at };
}

/** A record's content without its version and timestamps: what the change log keeps. */
export function withoutVersion<Data>(record: Data & Versioned): Data {
  const { id: _id, version: _version, created_at: _created, updated_at: _updated, ...data } = record;
  return data as Data;
}

export async function recordsPage<T extends VersionedTable, Data, Rec extends Data & Versioned>(
  store: Store,
  kind: RecordKind<T, Data, Rec>,
  page: { after: number; limit: number },
  filters: readonly ColumnFilter[],
): Promise<Rec[]> {
  return Promise.all((await recordPage(store.db, kind.table, page, filters)).map((row) => kind.record(store.db, row)));
}

export async function createRecord<T extends VersionedTable, Data, Rec extends Data & Versioned>(
  store: Store,
  kind: RecordKind<T, Data, Rec>,
  data: Data,
  context: EditContext,
): Promise<Rec> {
  return store.db.transaction().execute((trx) => insertNewRecord(trx, kind, data, context));
}

/** Creates a record in the caller's transaction, with its change-log and audit entries (for writes that do more in one transaction). */
export async function insertNewRecord<T extends VersionedTable, Data, Rec extends Data & Versioned>(
  trx: Executor,
  kind: RecordKind<T, Data, Rec>,
  data: Data,
  context: EditContext,
  now = new Date().toISOString(),
): Promise<Rec> {
  const id = await insertRecord(trx, kind.table, kind.columns(data), now);
  await kind.link?.(trx, id, data);
  await recordChanges(trx, [{ entity: kind.entity, entityId: id, version: 1, action: 'create', actor: context.actor, reason: context.reason || null, before: null, after: data }], now);
  await appendAudit(trx, { actor: context.actor, action: 'create', entity: kind.entity, entityId: id, ip: context.ip ?? null });
  return findRecord(trx, kind, id);
}

/**
 * Applies `change` to the record as it was at `expectedVersion`. If someone saved another version in
 * between, nothing is written and a version_conflict error (409) says so.
 */
export async function editRecord<T extends VersionedTable, Data, Rec extends Data & Versioned>(
  store: Store,
  kind: RecordKind<T, Data, Rec>,
  id: number,
  expectedVersion: number,
  change: (before: Data, db: Executor) => Data | Promise<Data>,
  context: EditContext,
): Promise<Rec> {
  if (!context.reason.trim()) throw errors.validation('change_reason: say why the record changes (a source or an explanation)');
  return store.db.transaction().execute(async (trx) => {
    const current = await findRecord(trx, kind, id);
    if (current.version !== expectedVersion) throw errors.conflict(`${kind.entity} ${id}`, expectedVersion, current.version);
    const before = kind.data(current);
    const after = await change(before, trx);
    const now = new Date().toISOString();
    const version = await updateRecord(trx, kind.table, id, expectedVersion, kind.columns(after), now, `${kind.entity} ${id}`);
    await kind.link?.(trx, id, after);
    await recordChanges(trx, [{ entity: kind.entity, entityId: id, version, action: 'update', actor: context.actor, reason: context.reason, before, after }], now);
    await appendAudit(trx, { actor: context.actor, action: 'update', entity: kind.entity, entityId: id, ip: context.ip ?? null, detail: { version, reason: context.reason } });
    return findRecord(trx, kind, id);
  });
}

/** A partial date in canonical form, or a validation error naming the field. */
export function checkedDate(field: string, value: string | null): string | null {
  if (value === null) return null;
  try {
    return normalizePartialDate(value);
  } catch (error) {
    throw errors.validation(`${field}: ${(error as Error).message}`);
  }
}

/** A value that must be unique in its table (a facility name, a deal slug) is taken. */
export function alreadyExists(field: string, value: string, what: string): VigilError {
  return new VigilError('already_exists', `${field}: ${what} ${value} already exists`, 409);
}

/** Only the fields given (undefined means "leave as it is"). */
export function given<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
