/**
 * Family assistance cases (DOMAIN.md "Assistance case", confidential): the family's contacts, what they
 * need, the aid given and the follow-ups due. Versioned records like every other: history, versions
 * and the 409 on a stale edit come from records/record.service.ts.
 */
import type { CaseStatus, CaseworkLevel, NeedKind } from '../../domain/casework.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { equalTo, type ColumnFilter } from '../../store/record.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { checkedDate, createRecord, editRecord, findRecord, recordsPage, versionOf, withoutVersion, type RecordKind, type Versioned } from '../records/record.service.js';

export interface FamilyContact {
  name: string;
  relation: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  note: string | null;
}

export interface AssistanceCaseData {
  person_id: number;
  status: CaseStatus;
  needs: NeedKind[];
  /** Restricted whatever the case's level. */
  family_contacts: FamilyContact[];
  summary: string | null;
  opened_on: string | null;
  confidentiality: CaseworkLevel;
}
export type AssistanceCaseRecord = AssistanceCaseData & Versioned;

export interface AidData {
  case_id: number;
  date: string;
  kind: NeedKind;
  amount: number | null;
  currency: string | null;
  description: string | null;
}
export type AidRecord = AidData & Versioned;

export interface FollowUpData {
  case_id: number;
  /** YYYY-MM-DD. */
  due: string;
  action: string;
  assignee: string | null;
  done_on: string | null;
}
export type FollowUpRecord = FollowUpData & Versioned;

export const assistanceCaseKind: RecordKind<'assistance_case', AssistanceCaseData, AssistanceCaseRecord> = {
  entity: 'assistance_case',
  table: 'assistance_case',
  columns: (data) => ({ ...data, needs: JSON.stringify(data.needs), family_contacts: JSON.stringify(data.family_contacts) }),
  record: async (_db, row) => ({
    person_id: row.person_id, status: row.status as CaseStatus, needs: JSON.parse(row.needs) as NeedKind[],
    family_contacts: JSON.parse(row.family_contacts) as FamilyContact[], summary: row.summary, opened_on: row.opened_on,
    confidentiality: row.confidentiality as CaseworkLevel, ...versionOf(row),
  }),
  data: withoutVersion,
};

export const aidKind: RecordKind<'assistance_aid', AidData, AidRecord> = {
  entity: 'assistance_aid',
  table: 'assistance_aid',
  columns: (data) => data,
  record: async (_db, row) => ({
    case_id: row.case_id, date: row.date, kind: row.kind as NeedKind, amount: row.amount, currency: row.currency, description: row.description, ...versionOf(row),
  }),
  data: withoutVersion,
};

export const followUpKind: RecordKind<'follow_up', FollowUpData, FollowUpRecord> = {
  entity: 'follow_up',
  table: 'follow_up',
  columns: (data) => data,
  record: async (_db, row) => ({ case_id: row.case_id, due: row.due, action: row.action, assignee: row.assignee, done_on: row.done_on, ...versionOf(row) }),
  data: withoutVersion,
};

function checkCase(data: AssistanceCaseData): AssistanceCaseData {
  if ((data.confidentiality as string) === 'public') throw errors.validation('confidentiality: an assistance case is never public (internal or restricted)');
  return { ...data, needs: [...new Set(data.needs)], opened_on: checkedDate('opened_on', data.opened_on) };
}

async function caseExists(db: Executor, caseId: number): Promise<void> {
  const row = await db.selectFrom('assistance_case').select('id').where('id', '=', caseId).executeTakeFirst();
  if (!row) throw errors.validation(`case_id: there is no assistance case ${caseId}`);
}

function fullDay(field: string, value: string): string {
  const day = checkedDate(field, value)!;
  if (day.length !== 10) throw errors.validation(`${field}: give a full date (YYYY-MM-DD)`);
  return day;
}

function checkAid(data: AidData): AidData {
  if (data.amount !== null && !data.currency) throw errors.validation('currency: an amount needs its currency (ISO 4217, e.g. EUR, BYN)');
  if (data.amount === null && data.currency) throw errors.validation('amount: a currency was given without an amount');
  return { ...data, date: checkedDate('date', data.date)!, currency: data.currency?.toUpperCase() ?? null };
}

function checkFollowUp(data: FollowUpData): FollowUpData {
  return { ...data, due: fullDay('due', data.due), done_on: data.done_on === null ? null : fullDay('done_on', data.done_on) };
}

export async function assistanceCasePage(store: Store, page: { after: number; limit: number }, filter: { personId?: number; status?: string }): Promise<AssistanceCaseRecord[]> {
  return recordsPage(store, assistanceCaseKind, page, equalTo({ person_id: filter.personId, status: filter.status }));
}
export const findAssistanceCase = (store: Store, id: number) => findRecord(store.db, assistanceCaseKind, id);
export const createAssistanceCase = (store: Store, data: AssistanceCaseData, context: EditContext) => createRecord(store, assistanceCaseKind, checkCase(data), context);
export async function editAssistanceCase(store: Store, id: number, version: number, changes: Partial<Omit<AssistanceCaseData, 'person_id'>>, context: EditContext): Promise<AssistanceCaseRecord> {
  return editRecord(store, assistanceCaseKind, id, version, (before) => checkCase({ ...before, ...changes }), context);
}

export async function aidPage(store: Store, page: { after: number; limit: number }, filter: { caseId?: number }): Promise<AidRecord[]> {
  return recordsPage(store, aidKind, page, equalTo({ case_id: filter.caseId }));
}
export const findAid = (store: Store, id: number) => findRecord(store.db, aidKind, id);
export async function createAid(store: Store, data: AidData, context: EditContext): Promise<AidRecord> {
  await caseExists(store.db, data.case_id);
  return createRecord(store, aidKind, checkAid(data), context);
}
export async function editAid(store: Store, id: number, version: number, changes: Partial<Omit<AidData, 'case_id'>>, context: EditContext): Promise<AidRecord> {
  return editRecord(store, aidKind, id, version, (before) => checkAid({ ...before, ...changes }), context);
}

export async function followUpPage(store: Store, page: { after: number; limit: number }, filter: { caseId?: number; dueBy?: string }): Promise<FollowUpRecord[]> {
  const filters: ColumnFilter[] = equalTo({ case_id: filter.caseId });
  if (filter.dueBy !== undefined) filters.push(['due', '<=', filter.dueBy]);
  return recordsPage(store, followUpKind, page, filters);
}
export const findFollowUp = (store: Store, id: number) => findRecord(store.db, followUpKind, id);
export async function createFollowUp(store: Store, data: FollowUpData, context: EditContext): Promise<FollowUpRecord> {
  await caseExists(store.db, data.case_id);
  return createRecord(store, followUpKind, checkFollowUp(data), context);
}
export async function editFollowUp(store: Store, id: number, version: number, changes: Partial<Omit<FollowUpData, 'case_id'>>, context: EditContext): Promise<FollowUpRecord> {
  return editRecord(store, followUpKind, id, version, (before) => checkFollowUp({ ...before, ...changes }), context);
}

/** Reminders: follow-ups not done and due on or before `day` (YYYY-MM-DD), the most overdue first. */
export async function followUpsDue(db: Executor, day: string): Promise<FollowUpRecord[]> {
  const rows = await db.selectFrom('follow_up').selectAll().where('done_on', 'is', null).where('due', '<=', day).orderBy('due').orderBy('id').execute();
  return Promise.all(rows.map((row) => followUpKind.record(db, row)));
}

/** The cases the given aid entries or follow-ups belong to. */
export async function casesByIds(db: Executor, ids: readonly number[]): Promise<Map<number, AssistanceCaseRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('assistance_case').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  const records = await Promise.all(rows.map((row) => assistanceCaseKind.record(db, row)));
  return new Map(records.map((record) => [record.id, record]));
}
