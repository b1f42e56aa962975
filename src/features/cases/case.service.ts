/** Criminal cases: code articles, court, judge, prosecutor, verdict and sentence, about one person. */
import type { Store } from '../../store/connection.js';
import { equalTo, type RecordRow } from '../../store/record.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { checkedDate, createRecord, editRecord, findRecord, recordsPage, versionOf, type RecordKind, type Versioned } from '../records/record.service.js';

/** `verdict_date` is a partial date; `articles` are criminal code article numbers. */
export type CaseData = Omit<RecordRow<'legal_case'>, keyof Versioned | 'articles'> & { articles: string[] };

export type CaseRecord = CaseData & Versioned;

function caseData(row: Omit<CaseData, 'articles'> & { articles: string }): CaseData {
  return {
    person_id: row.person_id, case_number: row.case_number, articles: JSON.parse(row.articles) as string[], court: row.court, judge: row.judge,
    prosecutor: row.prosecutor, verdict_date: row.verdict_date, term_months: row.term_months, regime: row.regime, note: row.note, confidentiality: row.confidentiality,
  };
}

export const caseKind: RecordKind<'legal_case', CaseData, CaseRecord> = {
  entity: 'case',
  table: 'legal_case',
  columns: (data) => ({ ...data, articles: JSON.stringify(data.articles) }),
  record: async (_db, row) => ({ ...caseData(row), ...versionOf(row) }),
  data: (record) => caseData({ ...record, articles: JSON.stringify(record.articles) }),
};

function checkCase(data: CaseData): CaseData {
  return { ...data, verdict_date: checkedDate('verdict_date', data.verdict_date) };
}

export async function casePage(store: Store, page: { after: number; limit: number }, filter: { personId?: number; court?: string; regime?: string }): Promise<CaseRecord[]> {
  return recordsPage(store, caseKind, page, equalTo({ person_id: filter.personId, court: filter.court, regime: filter.regime }));
}

export const findCase = (store: Store, id: number) => findRecord(store.db, caseKind, id);

export const createCase = (store: Store, data: CaseData, context: EditContext) => createRecord(store, caseKind, checkCase(data), context);

export async function editCase(store: Store, id: number, expectedVersion: number, changes: Partial<Omit<CaseData, 'person_id'>>, context: EditContext): Promise<CaseRecord> {
  return editRecord(store, caseKind, id, expectedVersion, (before) => checkCase({ ...before, ...changes }), context);
}
