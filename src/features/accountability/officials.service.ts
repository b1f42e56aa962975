/**
 * Officials (judges, prosecutors, investigators, heads of facilities) as people with a role and an
 * institution, and their part in cases and events. The links are part of the official's record: setting
 * them is a versioned edit of the official, so who linked whom to what, and why, stays in the history.
 */
import type { Level } from '../../domain/confidentiality.js';
import type { InstitutionKind, OfficialRole } from '../../domain/casework.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { equalTo } from '../../store/record.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { createRecord, editRecord, findRecord, recordsPage, versionOf, withoutVersion, type RecordKind, type Versioned } from '../records/record.service.js';

export const LINK_ENTITIES = ['case', 'event'] as const;
export type LinkEntity = (typeof LINK_ENTITIES)[number];

export interface OfficialLink {
  entity: LinkEntity;
  entity_id: number;
  /** The part the official played in it (judge, prosecutor, ...). */
  role: OfficialRole;
}

export interface OfficialData {
  name: string;
  name_latin: string | null;
  role: OfficialRole;
  institution: string | null;
  institution_kind: InstitutionKind;
  facility_id: number | null;
  note: string | null;
  confidentiality: Level;
  links: OfficialLink[];
}
export type OfficialRecord = OfficialData & Versioned;

export const officialKind: RecordKind<'official', OfficialData, OfficialRecord> = {
  entity: 'official',
  table: 'official',
  columns: ({ links: _links, ...official }) => official,
  record: async (db, row) => {
    const links = await db.selectFrom('official_link').select(['entity', 'entity_id', 'role']).where('official_id', '=', row.id).orderBy('entity').orderBy('entity_id').execute();
    return {
      name: row.name, name_latin: row.name_latin, role: row.role as OfficialRole, institution: row.institution, institution_kind: row.institution_kind as InstitutionKind,
      facility_id: row.facility_id, note: row.note, confidentiality: row.confidentiality, links: links as OfficialLink[], ...versionOf(row),
    };
  },
  data: withoutVersion,
  async link(db, id, data) {
    await db.deleteFrom('official_link').where('official_id', '=', id).execute();
    if (data.links.length) await db.insertInto('official_link').values(data.links.map((link) => ({ official_id: id, ...link }))).execute();
  },
};

async function missingIds(db: Executor, table: 'legal_case' | 'event' | 'facility', ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const found = new Set((await db.selectFrom(table).select('id').where('id', 'in', [...new Set(ids)]).execute()).map((row) => row.id));
  return ids.filter((id) => !found.has(id));
}

async function checkOfficial(db: Executor, data: OfficialData): Promise<OfficialData> {
  if (!data.name.trim()) throw errors.validation('name: an official needs a name');
  const twice = data.links.find((link, i) => data.links.findIndex((other) => other.entity === link.entity && other.entity_id === link.entity_id) !== i);
  if (twice) throw errors.validation(`links: ${twice.entity} ${twice.entity_id} is linked twice; give one role per case or event`);
  for (const entity of LINK_ENTITIES) {
    const [missing] = await missingIds(db, entity === 'case' ? 'legal_case' : 'event', data.links.filter((link) => link.entity === entity).map((link) => link.entity_id));
    if (missing !== undefined) throw errors.validation(`links: there is no ${entity} ${missing}`);
  }
  if (data.facility_id !== null && (await missingIds(db, 'facility', [data.facility_id])).length) throw errors.validation(`facility: there is no facility ${data.facility_id}`);
  return { ...data, name: data.name.trim(), institution_kind: data.facility_id !== null ? 'facility' : data.institution_kind };
}

export async function officialPage(store: Store, page: { after: number; limit: number }, filter: { role?: string; institution?: string; facilityId?: number }): Promise<OfficialRecord[]> {
  return recordsPage(store, officialKind, page, equalTo({ role: filter.role, institution: filter.institution, facility_id: filter.facilityId }));
}
export const findOfficial = (store: Store, id: number) => findRecord(store.db, officialKind, id);

export async function createOfficial(store: Store, data: OfficialData, context: EditContext): Promise<OfficialRecord> {
  return createRecord(store, officialKind, await checkOfficial(store.db, data), context);
}

export async function editOfficial(store: Store, id: number, version: number, changes: Partial<OfficialData>, context: EditContext): Promise<OfficialRecord> {
  return editRecord(store, officialKind, id, version, (before, db) => checkOfficial(db, { ...before, ...changes }), context);
}

/** Adds (or changes the role of) one link: a versioned edit of the official. */
export async function linkOfficial(store: Store, id: number, version: number, link: OfficialLink, context: EditContext): Promise<OfficialRecord> {
  return editRecord(store, officialKind, id, version, (before, db) => {
    const links = before.links.filter((other) => !(other.entity === link.entity && other.entity_id === link.entity_id));
    return checkOfficial(db, { ...before, links: [...links, link] });
  }, context);
}

/** Facility ids by name; a name not in the registry is a validation error naming it. */
export async function facilityIdByName(db: Executor, field: string, name: string | null): Promise<number | null> {
  if (name === null) return null;
  const row = await db.selectFrom('facility').select('id').where('name', '=', name).executeTakeFirst();
  if (!row) throw errors.validation(`${field}: there is no facility named "${name}" (import the facility directory or add it with POST /api/v1/facilities)`);
  return row.id;
}
