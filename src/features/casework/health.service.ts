/**
 * Health and risk flags on people (serious illness, disability, age): the details are restricted; the
 * public sees only how many political prisoners held today carry each flag (an aggregate over
 * everyone, as every count is), never who.
 */
import { elderlyBornBy, flagHoldsOn, isElderlyOn, type CaseworkLevel, type HealthFlagKind } from '../../domain/casework.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { dataStamp, type Executor } from '../../store/history.repository.js';
import { equalTo } from '../../store/record.repository.js';
import { peopleWithStatusOn } from '../../store/status.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { checkedDate, createRecord, editRecord, findRecord, recordsPage, versionOf, withoutVersion, type RecordKind, type Versioned } from '../records/record.service.js';

export interface HealthFlagData {
  person_id: number;
  kind: HealthFlagKind;
  /** Restricted whatever the flag's level. */
  detail: string | null;
  noted_on: string | null;
  resolved_on: string | null;
  confidentiality: CaseworkLevel;
}
export type HealthFlagRecord = HealthFlagData & Versioned;

export const healthFlagKind: RecordKind<'health_flag', HealthFlagData, HealthFlagRecord> = {
  entity: 'health_flag',
  table: 'health_flag',
  columns: (data) => data,
  record: async (_db, row) => ({
    person_id: row.person_id, kind: row.kind as HealthFlagKind, detail: row.detail, noted_on: row.noted_on, resolved_on: row.resolved_on,
    confidentiality: row.confidentiality as CaseworkLevel, ...versionOf(row),
  }),
  data: withoutVersion,
};

function checkFlag(data: HealthFlagData): HealthFlagData {
  if ((data.confidentiality as string) === 'public') throw errors.validation('confidentiality: a health flag is never public (internal or restricted)');
  const noted = checkedDate('noted_on', data.noted_on);
  const resolved = checkedDate('resolved_on', data.resolved_on);
  if (noted && resolved && resolved < noted) throw errors.validation(`resolved_on: ${resolved} is before noted_on ${noted}`);
  return { ...data, noted_on: noted, resolved_on: resolved };
}

export async function healthFlagPage(store: Store, page: { after: number; limit: number }, filter: { personId?: number; kind?: string }): Promise<HealthFlagRecord[]> {
  return recordsPage(store, healthFlagKind, page, equalTo({ person_id: filter.personId, kind: filter.kind }));
}
export const findHealthFlag = (store: Store, id: number) => findRecord(store.db, healthFlagKind, id);
export const createHealthFlag = (store: Store, data: HealthFlagData, context: EditContext) => createRecord(store, healthFlagKind, checkFlag(data), context);
export async function editHealthFlag(store: Store, id: number, version: number, changes: Partial<Omit<HealthFlagData, 'person_id'>>, context: EditContext): Promise<HealthFlagRecord> {
  return editRecord(store, healthFlagKind, id, version, (before) => checkFlag({ ...before, ...changes }), context);
}

export interface RiskCounts {
  date: string;
  political_prisoners: number;
  serious_illness: number;
  disability: number;
  /** 60 or older by the birth date, or flagged elderly. */
  elderly: number;
  other: number;
}

/**
 * How many political prisoners held on `day` carry each flag; a person counts once per kind. Two
 * queries whatever the number held: the people old enough (by a birth-date bound) and the health
 * flags, each mapped to the record it was merged into, then kept if that person is held.
 */
async function countRisks(db: Executor, day: string): Promise<RiskCounts> {
  const held = await peopleWithStatusOn(db, 'political', day);
  const kinds = new Map<number, Set<HealthFlagKind>>();
  const mark = (owner: number, kind: HealthFlagKind) => {
    if (!held.has(owner)) return;
    const set = kinds.get(owner) ?? new Set<HealthFlagKind>();
    set.add(kind);
    kinds.set(owner, set);
  };
  const born = await db.selectFrom('person').select(['id', 'merged_into', 'birth_date']).where('birth_date', '<=', elderlyBornBy(day)).execute();
  for (const row of born) if (isElderlyOn(row.birth_date, day)) mark(row.merged_into ?? row.id, 'elderly');
  // Flags recorded on a record merged into a held person are that person's.
  const flags = await db
    .selectFrom('health_flag')
    .innerJoin('person', 'person.id', 'health_flag.person_id')
    .select(['health_flag.person_id', 'person.merged_into', 'health_flag.kind', 'health_flag.noted_on', 'health_flag.resolved_on'])
    .execute();
  for (const flag of flags) if (flagHoldsOn(flag, day)) mark(flag.merged_into ?? flag.person_id, flag.kind as HealthFlagKind);
  const counts: RiskCounts = { date: day, political_prisoners: held.size, serious_illness: 0, disability: 0, elderly: 0, other: 0 };
  for (const set of kinds.values()) for (const kind of set) counts[kind] += 1;
  return counts;
}

const cache = new WeakMap<Store, { key: string; counts: Promise<RiskCounts> }>();

/** The risk counts of a day, kept until the data changes (every page language shares one query). */
export async function riskCountsOn(store: Store, day: string): Promise<RiskCounts> {
  const key = `${await dataStamp(store.db)}|${day}`;
  const cached = cache.get(store);
  if (cached?.key === key) return cached.counts;
  const counts = countRisks(store.db, day);
  cache.set(store, { key, counts });
  counts.catch(() => {
    if (cache.get(store)?.counts === counts) cache.delete(store);
  });
  return counts;
}
