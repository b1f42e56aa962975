/**
 * The letters log: volunteers record letters sent to a prisoner and replies received. The log is
 * internal (it names the volunteers); the public sees only how many letters were sent and answered.
 */
import type { LetterDirection } from '../../domain/casework.js';
import { today } from '../../domain/partial-date.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { equalTo } from '../../store/record.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { checkedDate, createRecord, editRecord, findRecord, recordsPage, versionOf, withoutVersion, type RecordKind, type Versioned } from '../records/record.service.js';

export interface LetterData {
  person_id: number;
  direction: LetterDirection;
  date: string;
  /** Who logged it: set from the account that logs it, never from the input. */
  logged_by: string;
  note: string | null;
}
export type LetterRecord = LetterData & Versioned;

export interface LetterCounts {
  sent: number;
  replies: number;
}

export const letterKind: RecordKind<'letter', LetterData, LetterRecord> = {
  entity: 'letter',
  table: 'letter',
  columns: (data) => data,
  record: async (_db, row) => ({ person_id: row.person_id, direction: row.direction as LetterDirection, date: row.date, logged_by: row.logged_by, note: row.note, ...versionOf(row) }),
  data: withoutVersion,
};

function checkLetter(data: LetterData): LetterData {
  const date = checkedDate('date', data.date)!;
  if (date.slice(0, 10) > today()) throw errors.validation(`date: ${date} is in the future; log letters once sent or received`);
  return { ...data, date };
}

export async function letterPage(store: Store, page: { after: number; limit: number }, filter: { personId?: number; direction?: string }): Promise<LetterRecord[]> {
  return recordsPage(store, letterKind, page, equalTo({ person_id: filter.personId, direction: filter.direction }));
}
export const findLetter = (store: Store, id: number) => findRecord(store.db, letterKind, id);

export function logLetter(store: Store, data: Omit<LetterData, 'logged_by'>, context: EditContext): Promise<LetterRecord> {
  return createRecord(store, letterKind, checkLetter({ ...data, logged_by: context.actor }), context);
}

export async function editLetter(store: Store, id: number, version: number, changes: Partial<Pick<LetterData, 'direction' | 'date' | 'note'>>, context: EditContext): Promise<LetterRecord> {
  return editRecord(store, letterKind, id, version, (before) => checkLetter({ ...before, ...changes }), context);
}

/**
 * Letters per person, counting the letters logged on records merged into them (a duplicate's letters
 * were written to the same person). People without letters are absent from the map.
 */
export async function letterCounts(db: Executor, personIds: readonly number[]): Promise<Map<number, LetterCounts>> {
  if (personIds.length === 0) return new Map();
  const merged = await db.selectFrom('person').select(['id', 'merged_into']).where('merged_into', 'in', [...personIds]).execute();
  const ownerOf = new Map<number, number>([...personIds.map((id) => [id, id] as const), ...merged.map((row) => [row.id, row.merged_into!] as const)]);
  const rows = await db
    .selectFrom('letter')
    .select(['person_id', 'direction', (eb) => eb.fn.countAll<number>().as('n')])
    .where('person_id', 'in', [...ownerOf.keys()])
    .groupBy(['person_id', 'direction'])
    .execute();
  const counts = new Map<number, LetterCounts>();
  for (const row of rows) {
    const owner = ownerOf.get(row.person_id)!;
    const entry = counts.get(owner) ?? { sent: 0, replies: 0 };
    if (row.direction === 'sent') entry.sent += Number(row.n);
    else if (row.direction === 'reply') entry.replies += Number(row.n);
    counts.set(owner, entry);
  }
  return counts;
}
