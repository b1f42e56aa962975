/** Facilities: places of detention, with the postal address people write letters to. */
import { isDeepStrictEqual } from 'node:util';
import type { FacilityType } from '../../domain/event-types.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { facilitiesByName } from '../../store/facility.repository.js';
import { recordChanges, type Change, type Executor } from '../../store/history.repository.js';
import { equalTo } from '../../store/record.repository.js';
import type { FacilityRow } from '../../store/schema.js';
import type { EditContext } from '../persons/person.service.js';
import { alreadyExists, createRecord, editRecord, findRecord, recordsPage, versionOf, type RecordKind, type Versioned } from '../records/record.service.js';

export interface FacilityData {
  name: string;
  type: FacilityType;
  address: string | null;
  region: string | null;
  lat: number | null;
  lon: number | null;
}

/** A first guess from the usual English and Russian names, for facilities that events name before anyone described them. */
export function guessFacilityType(name: string): FacilityType {
  if (/sizo|сизо|сізо|pre-?trial/i.test(name)) return 'sizo';
  if (/colony|калонія|колония|ИК-?\d/i.test(name)) return 'penal_colony';
  if (/prison|турма|тюрьма/i.test(name)) return 'prison';
  if (/detention cent|ЦИП|ИВС|Akrestsin|Okrestin|Акрэсцін|Окрестин/i.test(name)) return 'temporary_detention';
  return 'other';
}

export function facilityData(row: FacilityRow): FacilityData {
  return { name: row.name, type: row.type as FacilityType, address: row.address, region: row.region, lat: row.lat, lon: row.lon };
}

/** Returns the ids of the named facilities, creating the ones not yet known with a guessed type. */
export async function ensureFacilities(
  db: Executor,
  names: readonly string[],
  actor: string,
  reason: string,
  now: string,
): Promise<{ ids: Map<string, number>; created: number }> {
  const unique = [...new Set(names)];
  const found = await facilitiesByName(db, unique);
  const ids = new Map([...found].map(([name, row]) => [name, row.id]));
  const missing = unique.filter((name) => !ids.has(name));
  if (missing.length === 0) return { ids, created: 0 };
  const inserted = await db
    .insertInto('facility')
    .values(missing.map((name) => ({ name, type: guessFacilityType(name), version: 1, created_at: now, updated_at: now })))
    // Another request may be creating the same facility right now (PostgreSQL): then theirs is used.
    .onConflict((oc) => oc.column('name').doNothing())
    .returning(['id', 'name', 'type'])
    .execute();
  const changes: Change[] = inserted.map((row) => ({
    entity: 'facility', entityId: row.id, version: 1, action: 'create', actor, reason,
    before: null, after: { name: row.name, type: row.type, address: null, region: null, lat: null, lon: null },
  }));
  await recordChanges(db, changes, now);
  for (const row of inserted) ids.set(row.name, row.id);
  const raced = missing.filter((name) => !ids.has(name));
  if (raced.length > 0) for (const [name, row] of await facilitiesByName(db, raced)) ids.set(name, row.id);
  return { ids, created: inserted.length };
}

/** Creates or updates facilities by name; returns what happened to each. */
export async function upsertFacilities(
  db: Executor,
  facilities: readonly FacilityData[],
  actor: string,
  reason: string,
  now: string,
): Promise<{ created: number; updated: number; unchanged: number }> {
  const existing = await facilitiesByName(db, facilities.map((facility) => facility.name));
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const changes: Change[] = [];
  for (const data of facilities) {
    const stored = existing.get(data.name);
    if (!stored) {
      const row = await db
        .insertInto('facility')
        .values({ ...data, version: 1, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      changes.push({ entity: 'facility', entityId: row.id, version: 1, action: 'create', actor, reason, before: null, after: data });
      counts.created += 1;
      continue;
    }
    const before = facilityData(stored);
    if (isDeepStrictEqual(before, data)) {
      counts.unchanged += 1;
      continue;
    }
    const result = await db
      .updateTable('facility')
      .set({ ...data, version: stored.version + 1, updated_at: now })
      .where('id', '=', stored.id)
      .where('version', '=', stored.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw errors.conflict(`facility ${data.name}`, stored.version, stored.version + 1);
    changes.push({ entity: 'facility', entityId: stored.id, version: stored.version + 1, action: 'update', actor, reason, before, after: data });
    counts.updated += 1;
  }
  await recordChanges(db, changes, now);
  return counts;
}

export type FacilityRecord = FacilityData & Versioned;

export const facilityKind: RecordKind<'facility', FacilityData, FacilityRecord> = {
  entity: 'facility',
  table: 'facility',
  columns: (data) => data,
  record: async (_db, row) => ({ ...facilityData(row), ...versionOf(row) }),
  data: facilityData,
};

/** Facilities have no confidentiality level: where people are held is public information. */
export async function facilityPage(store: Store, page: { after: number; limit: number }, filter: { type?: string; region?: string }): Promise<FacilityRecord[]> {
  return recordsPage(store, facilityKind, page, equalTo(filter));
}

export const findFacility = (store: Store, id: number) => findRecord(store.db, facilityKind, id);

async function nameIsFree(db: Executor, name: string, id: number | null): Promise<void> {
  const holder = (await facilitiesByName(db, [name])).get(name);
  if (holder && holder.id !== id) throw alreadyExists('name', name, 'a facility named');
}

export async function createFacility(store: Store, data: FacilityData, context: EditContext): Promise<FacilityRecord> {
  await nameIsFree(store.db, data.name, null);
  return createRecord(store, facilityKind, data, context);
}

export async function editFacility(store: Store, id: number, expectedVersion: number, changes: Partial<FacilityData>, context: EditContext): Promise<FacilityRecord> {
  return editRecord(store, facilityKind, id, expectedVersion, async (before, db) => {
    const after = { ...before, ...changes };
    if (after.name !== before.name) await nameIsFree(db, after.name, id);
    return after;
  }, context);
}
