/** Events, the facilities and sources they refer to. */
import type { Level } from '../domain/confidentiality.js';
import type { Selectable } from 'kysely';
import { historyOf, type Executor, type HistoryEntry } from './history.repository.js';
import type { EventTable } from './schema.js';

export interface EventData {
  person_id: number;
  type: string;
  date: string;
  facility_id: number | null;
  case_id: number | null;
  deal_id: number | null;
  articles: string[];
  term_months: number | null;
  regime: string | null;
  reason: string | null;
  country: string | null;
  organization: string | null;
  note: string | null;
  confidentiality: Level;
}

export interface EventRecord extends EventData {
  id: number;
  facility: string | null;
  /** The sources the event cites, each with its own level (presenters leave out those a viewer may not see). */
  sources: { id: number; url: string | null; title: string | null; confidentiality: Level }[];
  version: number;
  created_at: string;
  updated_at: string;
}

const CHUNK = 500;
/** Rows per multi-row INSERT: 1,000 × 17 columns stays under SQLite's 32,766 bound parameters. */
const INSERT_CHUNK = 1000;

export async function existingImportKeys(db: Executor, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db.selectFrom('event').select('import_key').where('import_key', 'in', keys.slice(i, i + CHUNK)).execute();
    for (const row of rows) if (row.import_key) found.add(row.import_key);
  }
  return found;
}

/** Inserts events in the order given (their ids are the recording order); returns the new ids. */
export async function insertEvents(
  db: Executor,
  events: readonly (EventData & { import_key: string | null; import_batch_id: number | null })[],
  now: string,
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < events.length; i += INSERT_CHUNK) {
    const rows = await db
      .insertInto('event')
      .values(
        events.slice(i, i + INSERT_CHUNK).map((event) => ({
          ...event,
          articles: JSON.stringify(event.articles),
          version: 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute();
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

/** Finds sources by URL, creating the missing ones; returns url → source id. */
export async function sourcesForUrls(db: Executor, urls: readonly string[], now: string): Promise<Map<string, number>> {
  const unique = [...new Set(urls)];
  const result = new Map<string, number>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = await db.selectFrom('source').select(['id', 'url']).where('url', 'in', chunk).execute();
    for (const row of rows) if (row.url && !result.has(row.url)) result.set(row.url, row.id);
    const missing = chunk.filter((url) => !result.has(url));
    if (missing.length === 0) continue;
    const inserted = await db
      .insertInto('source')
      .values(missing.map((url) => ({ kind: 'url', url, confidentiality: 'public' as const, version: 1, created_at: now, updated_at: now })))
      .returning(['id', 'url'])
      .execute();
    for (const row of inserted) result.set(row.url!, row.id);
  }
  return result;
}

export async function linkEventSources(db: Executor, links: readonly { event_id: number; source_id: number }[]): Promise<void> {
  for (let i = 0; i < links.length; i += CHUNK) {
    await db.insertInto('event_source').values(links.slice(i, i + CHUNK)).execute();
  }
}

/** A person's events in date order (ties in recording order), with facility names and sources. */
export async function eventsOfPerson(db: Executor, personId: number): Promise<EventRecord[]> {
  const rows = await db
    .selectFrom('event')
    .leftJoin('facility', 'facility.id', 'event.facility_id')
    .selectAll('event')
    .select('facility.name as facility')
    .where('event.person_id', '=', personId)
    .orderBy('event.date')
    .orderBy('event.id')
    .execute();
  const sources = rows.length
    ? await db
        .selectFrom('event_source')
        .innerJoin('source', 'source.id', 'event_source.source_id')
        .select(['event_source.event_id', 'source.id', 'source.url', 'source.title', 'source.confidentiality'])
        .where('event_source.event_id', 'in', rows.map((row) => row.id))
        .execute()
    : [];
  return rows.map(({ import_key: _key, import_batch_id: _batch, ...row }) => ({
    ...row,
    articles: JSON.parse(row.articles) as string[],
    sources: sources.filter((source) => source.event_id === row.id).map(({ id, url, title, confidentiality }) => ({ id, url, title, confidentiality })),
  }));
}

export function eventData(row: Selectable<EventTable>): EventData {
  return {
    person_id: row.person_id, type: row.type, date: row.date, facility_id: row.facility_id, case_id: row.case_id,
    deal_id: row.deal_id, articles: JSON.parse(row.articles) as string[], term_months: row.term_months, regime: row.regime,
    reason: row.reason, country: row.country, organization: row.organization, note: row.note, confidentiality: row.confidentiality,
  };
}

/**
 * An event's history. Events created by an import have no change-log row of their own: their "create"
 * entry comes from the import batch (who, when, which file) and the version-1 content (the row itself,
 * or what the first later edit recorded as `before`).
 */
export async function eventHistory(db: Executor, eventId: number): Promise<HistoryEntry[]> {
  const logged = await historyOf(db, 'event', eventId);
  if (logged.some((entry) => entry.action === 'create')) return logged;
  const row = await db.selectFrom('event').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!row || row.import_batch_id === null) return logged;
  const batch = await db.selectFrom('import_batch').selectAll().where('id', '=', row.import_batch_id).executeTakeFirstOrThrow();
  const created: HistoryEntry = {
    version: 1,
    action: 'create',
    actor: batch.actor,
    at: batch.finished_at,
    reason: `import ${batch.file_name} (sha256 ${batch.sha256})`,
    before: null,
    after: logged.find((entry) => entry.version === 2)?.before ?? eventData(row),
  };
  return [created, ...logged];
}

/** How many people had an event of a type dated within [from, to] (dates known at least to the month of `from`). */
export async function peopleWithEventBetween(db: Executor, type: string, from: string, to: string): Promise<number> {
  const row = await db
    .selectFrom('event')
    .select((eb) => eb.fn.count<number>('person_id').distinct().as('n'))
    .where('type', '=', type)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
