/** Events, the facilities and sources they refer to. */
import type { Level } from '../domain/confidentiality.js';
import type { Executor } from './history.repository.js';

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
  sources: { id: number; url: string | null; title: string | null }[];
  version: number;
  created_at: string;
  updated_at: string;
}

const CHUNK = 500;

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
  events: readonly (EventData & { import_key: string | null })[],
  now: string,
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < events.length; i += CHUNK) {
    const rows = await db
      .insertInto('event')
      .values(
        events.slice(i, i + CHUNK).map((event) => ({
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
        .select(['event_source.event_id', 'source.id', 'source.url', 'source.title'])
        .where('event_source.event_id', 'in', rows.map((row) => row.id))
        .execute()
    : [];
  return rows.map(({ import_key: _key, ...row }) => ({
    ...row,
    articles: JSON.parse(row.articles) as string[],
    sources: sources.filter((source) => source.event_id === row.id).map(({ id, url, title }) => ({ id, url, title })),
  }));
}
