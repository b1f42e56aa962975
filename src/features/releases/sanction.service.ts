/** Sanction measures (DOMAIN.md "Sanction measure"): issuer, target, and the dates they were imposed, eased, lifted, reimposed. */
import type { SanctionMeasure } from '../../domain/release-deal.js';
import type { Store } from '../../store/connection.js';
import { equalTo } from '../../store/record.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { checkedDate, createRecord, editRecord, findRecord, recordsPage, versionOf, withoutVersion, type RecordKind, type Versioned } from '../records/record.service.js';

export type SanctionData = Omit<SanctionMeasure, 'id' | 'version'>;
export type SanctionRecord = SanctionData & Versioned;

const DATES = ['imposed_on', 'eased_on', 'lifted_on', 'reimposed_on'] as const;

export const sanctionKind: RecordKind<'sanction_measure', SanctionData, SanctionRecord> = {
  entity: 'sanction',
  table: 'sanction_measure',
  columns: (data) => data,
  record: async (_db, row) => ({
    issuer: row.issuer, target: row.target, description: row.description, imposed_on: row.imposed_on, eased_on: row.eased_on,
    lifted_on: row.lifted_on, reimposed_on: row.reimposed_on, ...versionOf(row),
  }),
  data: withoutVersion,
};

function checkSanction(data: SanctionData): SanctionData {
  const checked = { ...data };
  for (const field of DATES) checked[field] = checkedDate(field, data[field]);
  return checked;
}

/** Sanction measures are public information, like facilities: they carry no confidentiality level. */
export async function sanctionPage(store: Store, page: { after: number; limit: number }, filter: { issuer?: string; target?: string }): Promise<SanctionRecord[]> {
  return recordsPage(store, sanctionKind, page, equalTo(filter));
}

export const findSanction = (store: Store, id: number) => findRecord(store.db, sanctionKind, id);

export const createSanction = (store: Store, data: SanctionData, context: EditContext) => createRecord(store, sanctionKind, checkSanction(data), context);

export async function editSanction(store: Store, id: number, expectedVersion: number, changes: Partial<SanctionData>, context: EditContext): Promise<SanctionRecord> {
  return editRecord(store, sanctionKind, id, expectedVersion, (before) => checkSanction({ ...before, ...changes }), context);
}
