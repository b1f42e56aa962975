/**
 * Life after release (domain/after-release.ts): one versioned record per person and deal (or one "in
 * general"), edited the one way records are edited (records/record.service.ts): in a transaction, the
 * version checked, the change logged with before, after and why, an audit entry with it.
 */
import { AFTER_RELEASE_FIELDS, AFTER_RELEASE_LEVELS, DEFAULT_AFTER_RELEASE_LEVELS, isNeedKind, PASSPORT_STATES, type AfterReleaseField, type AfterReleaseLevel, type NeedKind, type PassportWithheld } from '../../domain/after-release.js';
import { isCountryCode } from '../../domain/event-types.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { equalTo } from '../../store/record.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { alreadyExists, checkedDate, createRecord, editRecord, findRecord, recordsPage, versionOf, withoutVersion, type RecordKind, type Versioned } from '../records/record.service.js';

export type FieldLevels = Partial<Record<AfterReleaseField, AfterReleaseLevel>>;

export interface AfterReleaseData {
  person_id: number;
  deal_id: number | null;
  country: string | null;
  reunited_on: string | null;
  needs: NeedKind[];
  needs_text: string | null;
  passport_withheld: PassportWithheld;
  note: string | null;
  confidentiality: AfterReleaseLevel;
  field_levels: FieldLevels;
}

export type AfterReleaseRecord = AfterReleaseData & Versioned;

/** What can change after creation: the person and the deal say what the record is about. */
export type AfterReleaseChanges = Partial<Omit<AfterReleaseData, 'person_id' | 'deal_id'>>;

export const afterReleaseKind: RecordKind<'after_release', AfterReleaseData, AfterReleaseRecord> = {
  entity: 'after_release',
  table: 'after_release',
  columns: (data) => ({ ...data, needs: JSON.stringify(data.needs), field_levels: JSON.stringify(data.field_levels) }),
  record: async (_db, row) => ({
    person_id: row.person_id, deal_id: row.deal_id, country: row.country, reunited_on: row.reunited_on, needs: JSON.parse(row.needs) as NeedKind[],
    needs_text: row.needs_text, passport_withheld: row.passport_withheld as PassportWithheld, note: row.note,
    confidentiality: row.confidentiality as AfterReleaseLevel, field_levels: JSON.parse(row.field_levels) as FieldLevels, ...versionOf(row),
  }),
  data: withoutVersion,
};

const isLevel = (value: unknown): value is AfterReleaseLevel => (AFTER_RELEASE_LEVELS as readonly unknown[]).includes(value);

function checkLevels(data: AfterReleaseData): void {
  if (!isLevel(data.confidentiality)) {
    throw errors.validation(`confidentiality: "${String(data.confidentiality)}" is not allowed; life after release is internal or restricted, never public`);
  }
  for (const [field, level] of Object.entries(data.field_levels)) {
    if (!(AFTER_RELEASE_FIELDS as readonly string[]).includes(field)) throw errors.validation(`field_levels: "${field}" is not a field of an after-release record (${AFTER_RELEASE_FIELDS.join(', ')})`);
    if (!isLevel(level)) throw errors.validation(`field_levels.${field}: "${String(level)}" is not allowed; use internal or restricted`);
  }
}

/** The record in canonical form, or a validation error naming the field. */
function checkAfterRelease(data: AfterReleaseData): AfterReleaseData {
  checkLevels(data);
  if (data.country !== null && !isCountryCode(data.country)) throw errors.validation(`country: "${data.country}" is not an ISO 3166 two-letter code (e.g. LT)`);
  const wrongNeed = data.needs.find((need) => !isNeedKind(need));
  if (wrongNeed !== undefined) throw errors.validation(`needs: "${wrongNeed}" is not a kind of need; use some of medical, psychological, housing, legal, documents, financial, employment, education, family_reunion, other`);
  if (!(PASSPORT_STATES as readonly string[]).includes(data.passport_withheld)) throw errors.validation(`passport_withheld: "${data.passport_withheld}" must be yes, no or unknown`);
  return { ...data, reunited_on: checkedDate('reunited_on', data.reunited_on), needs: [...new Set(data.needs)] };
}

async function checkUnique(db: Executor, data: AfterReleaseData): Promise<void> {
  let query = db.selectFrom('after_release').select('id').where('person_id', '=', data.person_id);
  query = data.deal_id === null ? query.where('deal_id', 'is', null) : query.where('deal_id', '=', data.deal_id);
  const holder = await query.executeTakeFirst();
  if (holder) throw alreadyExists('person', `${data.deal_id === null ? 'in general' : 'for this deal'} (record ${holder.id})`, 'an after-release record');
}

/** The internal ids of the person (external id) and the deal (slug), each of which must exist. */
export async function afterReleaseSubject(db: Executor, person: string, deal: string | null): Promise<{ person_id: number; deal_id: number | null }> {
  const found = await db.selectFrom('person').select('id').where('external_id', '=', person).executeTakeFirst();
  if (!found) throw errors.validation(`person: there is no person with external id ${person}`);
  if (deal === null) return { person_id: found.id, deal_id: null };
  const dealRow = await db.selectFrom('release_deal').select('id').where('slug', '=', deal).executeTakeFirst();
  if (!dealRow) throw errors.validation(`deal: there is no deal with slug ${deal}`);
  return { person_id: found.id, deal_id: dealRow.id };
}

export type AfterReleaseInput = Omit<AfterReleaseData, 'person_id' | 'deal_id' | 'field_levels'> & { person: string; deal: string | null; field_levels: FieldLevels };

/** A new record; `field_levels` are added to the defaults (needs and note restricted). */
export async function createAfterRelease(store: Store, input: AfterReleaseInput, context: EditContext): Promise<AfterReleaseRecord> {
  const { person, deal, ...rest } = input;
  const data = checkAfterRelease({ ...rest, ...(await afterReleaseSubject(store.db, person, deal)), field_levels: { ...DEFAULT_AFTER_RELEASE_LEVELS, ...input.field_levels } });
  await checkUnique(store.db, data);
  return createRecord(store, afterReleaseKind, data, context);
}

/** `field_levels` given are set field by field; fields not named keep their level. */
export async function editAfterRelease(store: Store, id: number, expectedVersion: number, changes: AfterReleaseChanges, context: EditContext): Promise<AfterReleaseRecord> {
  return editRecord(store, afterReleaseKind, id, expectedVersion, (before) =>
    checkAfterRelease({ ...before, ...changes, field_levels: { ...before.field_levels, ...changes.field_levels } }), context);
}

export const findAfterRelease = (store: Store, id: number) => findRecord(store.db, afterReleaseKind, id);

export async function afterReleasePage(store: Store, page: { after: number; limit: number }, filter: { personId?: number; dealId?: number }): Promise<AfterReleaseRecord[]> {
  return recordsPage(store, afterReleaseKind, page, equalTo({ person_id: filter.personId, deal_id: filter.dealId }));
}

/** Every record about one person, in the order they were made. */
export async function afterReleaseOf(store: Store, personId: number): Promise<AfterReleaseRecord[]> {
  return afterReleasePage(store, { after: 0, limit: 1000 }, { personId });
}
