/** People and their name variants. */
import type { Level } from '../domain/confidentiality.js';
import { errors } from '../errors.js';
import type { Executor } from './history.repository.js';
import type { PersonNameRow, PersonRow } from './schema.js';

/** One way of writing a person's name, as stored (without its row id, owner and position). */
export type NameVariant = Omit<PersonNameRow, 'id' | 'person_id' | 'position'>;

/** The editable content of a person record: what history snapshots and what an edit replaces. */
export interface PersonData {
  external_id: string;
  birth_date: string | null;
  gender: string;
  region: string | null;
  occupation: string | null;
  tags: string[];
  biography: Record<string, string>;
  publish: boolean;
  confidentiality: Level;
  field_levels: Record<string, Level>;
  names: NameVariant[];
}

export interface PersonRecord extends PersonData {
  id: number;
  merged_into: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

const CHUNK = 500;

function toVariant(row: PersonNameRow): NameVariant {
  const { family, given, patronymic, full_name, lang, script, romanization, confidentiality } = row;
  return { family, given, patronymic, full_name, lang, script, romanization, confidentiality };
}

function toRecord(row: PersonRow, names: NameVariant[]): PersonRecord {
  return {
    id: row.id,
    external_id: row.external_id,
    birth_date: row.birth_date,
    gender: row.gender,
    region: row.region,
    occupation: row.occupation,
    tags: JSON.parse(row.tags) as string[],
    biography: JSON.parse(row.biography) as Record<string, string>,
    publish: row.publish === 1,
    confidentiality: row.confidentiality,
    field_levels: JSON.parse(row.field_levels) as Record<string, Level>,
    names,
    merged_into: row.merged_into,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function personData(record: PersonRecord): PersonData {
  const { id: _id, merged_into: _merged, version: _version, created_at: _created, updated_at: _updated, ...data } = record;
  return data;
}

function columns(data: PersonData) {
  return {
    external_id: data.external_id,
    birth_date: data.birth_date,
    gender: data.gender,
    region: data.region,
    occupation: data.occupation,
    tags: JSON.stringify(data.tags),
    biography: JSON.stringify(data.biography),
    publish: data.publish ? 1 : 0,
    confidentiality: data.confidentiality,
    field_levels: JSON.stringify(data.field_levels),
  };
}

async function attachNames(db: Executor, rows: PersonRow[]): Promise<PersonRecord[]> {
  if (rows.length === 0) return [];
  const names = await db
    .selectFrom('person_name')
    .selectAll()
    .where('person_id', 'in', rows.map((row) => row.id))
    .orderBy('person_id')
    .orderBy('position')
    .execute();
  const byPerson = new Map<number, NameVariant[]>();
  for (const name of names) {
    const list = byPerson.get(name.person_id) ?? [];
    list.push(toVariant(name));
    byPerson.set(name.person_id, list);
  }
  return rows.map((row) => toRecord(row, byPerson.get(row.id) ?? []));
}

export async function personsByExternalId(db: Executor, externalIds: readonly string[]): Promise<Map<string, PersonRecord>> {
  const result = new Map<string, PersonRecord>();
  for (let i = 0; i < externalIds.length; i += CHUNK) {
    const rows = await db.selectFrom('person').selectAll().where('external_id', 'in', externalIds.slice(i, i + CHUNK)).execute();
    for (const record of await attachNames(db, rows)) result.set(record.external_id, record);
  }
  return result;
}

export async function personById(db: Executor, id: number): Promise<PersonRecord | undefined> {
  const row = await db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await attachNames(db, [row]))[0] : undefined;
}

/** Maps external ids to internal ids (only the ones that exist). */
export async function personIds(db: Executor, externalIds: readonly string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (let i = 0; i < externalIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('person')
      .select(['id', 'external_id'])
      .where('external_id', 'in', externalIds.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) result.set(row.external_id, row.id);
  }
  return result;
}

async function insertNames(db: Executor, personId: number, names: readonly NameVariant[]): Promise<void> {
  if (names.length === 0) return;
  await db
    .insertInto('person_name')
    .values(names.map((name, position) => ({ ...name, person_id: personId, position })))
    .execute();
}

/** Inserts new people; returns their ids in the same order. */
export async function insertPersons(db: Executor, people: readonly PersonData[], now: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < people.length; i += CHUNK) {
    const chunk = people.slice(i, i + CHUNK);
    const inserted = await db
      .insertInto('person')
      .values(chunk.map((data) => ({ ...columns(data), version: 1, created_at: now, updated_at: now })))
      .returning(['id', 'external_id'])
      .execute();
    const idByExternal = new Map(inserted.map((row) => [row.external_id, row.id]));
    const nameRows = chunk.flatMap((data) =>
      data.names.map((name, position) => ({ ...name, person_id: idByExternal.get(data.external_id)!, position })),
    );
    for (let j = 0; j < nameRows.length; j += CHUNK) {
      await db.insertInto('person_name').values(nameRows.slice(j, j + CHUNK)).execute();
    }
    ids.push(...chunk.map((data) => idByExternal.get(data.external_id)!));
  }
  return ids;
}

/**
 * Replaces a person's content if nobody changed it since `expectedVersion`; returns the new version.
 * The version check is in the UPDATE itself, so two concurrent editors cannot both win.
 */
export async function updatePerson(
  db: Executor,
  id: number,
  expectedVersion: number,
  data: PersonData,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('person')
    .set({ ...columns(data), version: expectedVersion + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    const current = await db.selectFrom('person').select('version').where('id', '=', id).executeTakeFirst();
    if (!current) throw errors.notFound(`person ${id}`);
    throw errors.conflict(`person ${data.external_id}`, expectedVersion, current.version);
  }
  await db.deleteFrom('person_name').where('person_id', '=', id).execute();
  await insertNames(db, id, data.names);
  return expectedVersion + 1;
}

export async function countPersons(db: Executor): Promise<number> {
  const row = await db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function personsByIds(db: Executor, ids: readonly number[]): Promise<PersonRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('person').selectAll().where('id', 'in', [...ids]).execute();
  const records = await attachNames(db, rows);
  const byId = new Map(records.map((record) => [record.id, record]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}
