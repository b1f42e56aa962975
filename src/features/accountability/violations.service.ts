/**
 * Violations suffered by a person (ill-treatment, incommunicado detention, denial of medical care,
 * forced labour, other), where and when, by which officials, on what evidence. Restricted by default:
 * descriptions name witnesses and describe bodies; an editor lowers the level once it is safe to share.
 * The sources cited and the officials involved are part of the violation's record (and its history).
 */
import type { Level } from '../../domain/confidentiality.js';
import type { ViolationType } from '../../domain/casework.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { equalTo, type ColumnFilter } from '../../store/record.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { checkedDate, createRecord, editRecord, findRecord, recordsPage, versionOf, withoutVersion, type RecordKind, type Versioned } from '../records/record.service.js';

export const VIOLATION_ENTITY = 'violation';

export interface ViolationData {
  person_id: number;
  type: ViolationType;
  date: string | null;
  end_date: string | null;
  facility_id: number | null;
  case_id: number | null;
  event_id: number | null;
  description: string | null;
  confidentiality: Level;
  official_ids: number[];
  source_ids: number[];
}
export type ViolationRecord = ViolationData & Versioned;

export const violationKind: RecordKind<'violation', ViolationData, ViolationRecord> = {
  entity: VIOLATION_ENTITY,
  table: 'violation',
  columns: ({ official_ids: _officials, source_ids: _sources, ...violation }) => violation,
  record: async (db, row) => {
    const officials = await db.selectFrom('violation_official').select('official_id').where('violation_id', '=', row.id).orderBy('official_id').execute();
    const sources = await db.selectFrom('source_link').select('source_id').where('entity', '=', VIOLATION_ENTITY).where('entity_id', '=', row.id).orderBy('source_id').execute();
    return {
      person_id: row.person_id, type: row.type as ViolationType, date: row.date, end_date: row.end_date, facility_id: row.facility_id, case_id: row.case_id,
      event_id: row.event_id, description: row.description, confidentiality: row.confidentiality,
      official_ids: officials.map((o) => o.official_id), source_ids: sources.map((s) => s.source_id), ...versionOf(row),
    };
  },
  data: withoutVersion,
  async link(db, id, data) {
    await db.deleteFrom('violation_official').where('violation_id', '=', id).execute();
    await db.deleteFrom('source_link').where('entity', '=', VIOLATION_ENTITY).where('entity_id', '=', id).execute();
    if (data.official_ids.length) await db.insertInto('violation_official').values(data.official_ids.map((official_id) => ({ violation_id: id, official_id }))).execute();
    if (data.source_ids.length) await db.insertInto('source_link').values(data.source_ids.map((source_id) => ({ source_id, entity: VIOLATION_ENTITY, entity_id: id }))).execute();
  },
};

async function checkIds(db: Executor, field: string, table: 'official' | 'source', ids: readonly number[]): Promise<number[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = new Set((await db.selectFrom(table).select('id').where('id', 'in', unique).execute()).map((row) => row.id));
  const missing = unique.find((id) => !found.has(id));
  if (missing !== undefined) throw errors.validation(`${field}: there is no ${table} ${missing}`);
  return unique.sort((a, b) => a - b);
}

/** The case and event a violation refers to must be the same person's. */
async function checkOwned(db: Executor, data: ViolationData): Promise<void> {
  if (data.case_id !== null) {
    const row = await db.selectFrom('legal_case').select('person_id').where('id', '=', data.case_id).executeTakeFirst();
    if (!row) throw errors.validation(`case_id: there is no case ${data.case_id}`);
    if (row.person_id !== data.person_id) throw errors.validation(`case_id: case ${data.case_id} is another person's case`);
  }
  if (data.event_id !== null) {
    const row = await db.selectFrom('event').select('person_id').where('id', '=', data.event_id).executeTakeFirst();
    if (!row) throw errors.validation(`event_id: there is no event ${data.event_id}`);
    if (row.person_id !== data.person_id) throw errors.validation(`event_id: event ${data.event_id} is another person's event`);
  }
}

async function checkViolation(db: Executor, data: ViolationData): Promise<ViolationData> {
  const date = checkedDate('date', data.date);
  const end = checkedDate('end_date', data.end_date);
  if (end && !date) throw errors.validation('end_date: give the date it began too');
  if (date && end && end < date) throw errors.validation(`end_date: ${end} is before the date ${date}`);
  await checkOwned(db, data);
  return {
    ...data, date, end_date: end,
    official_ids: await checkIds(db, 'official_ids', 'official', data.official_ids),
    source_ids: await checkIds(db, 'source_ids', 'source', data.source_ids),
  };
}

export async function violationPage(store: Store, page: { after: number; limit: number }, filter: { personId?: number; type?: string; facilityId?: number; from?: string; to?: string }): Promise<ViolationRecord[]> {
  const filters: ColumnFilter[] = equalTo({ person_id: filter.personId, type: filter.type, facility_id: filter.facilityId });
  if (filter.from) filters.push(['date', '>=', filter.from]);
  if (filter.to) filters.push(['date', '<=', filter.to]);
  return recordsPage(store, violationKind, page, filters);
}
export const findViolation = (store: Store, id: number) => findRecord(store.db, violationKind, id);

export async function createViolation(store: Store, data: ViolationData, context: EditContext): Promise<ViolationRecord> {
  return createRecord(store, violationKind, await checkViolation(store.db, data), context);
}

export async function editViolation(store: Store, id: number, version: number, changes: Partial<Omit<ViolationData, 'person_id'>>, context: EditContext): Promise<ViolationRecord> {
  return editRecord(store, violationKind, id, version, (before, db) => checkViolation(db, { ...before, ...changes }), context);
}
