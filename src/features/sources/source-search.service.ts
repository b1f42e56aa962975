/**
 * Finding sources in the workspace: by a SHA-256 (a file's fingerprint, as a whole), or by words of the
 * title, URL or citation. Also what cites a source, for its page.
 */
import { sql } from 'kysely';
import type { Level } from '../../domain/confidentiality.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { sourceKind, type SourceRecord } from './source.service.js';

const SHA256 = /^[0-9a-f]{64}$/;

/** LIKE wildcards typed by the user are matched as themselves. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * Sources matching `q`, oldest first, a page after id `after`. Letters are compared in lower case
 * (PostgreSQL folds every alphabet; SQLite's lower() folds only A–Z, so there Cyrillic matches as typed).
 */
export async function searchSources(store: Store, q: string, page: { after: number; limit: number }): Promise<SourceRecord[]> {
  const text = q.trim();
  let query = store.db.selectFrom('source').selectAll().where('id', '>', page.after).orderBy('id').limit(page.limit);
  if (SHA256.test(text.toLowerCase())) query = query.where('sha256', '=', text.toLowerCase());
  else if (text !== '') {
    const pattern = containing(text);
    query = query.where(({ or }) => or([
      sql<boolean>`lower(title) like ${pattern} escape '\\'`,
      sql<boolean>`lower(url) like ${pattern} escape '\\'`,
      sql<boolean>`lower(citation) like ${pattern} escape '\\'`,
    ]));
  }
  const rows = await query.execute();
  return Promise.all(rows.map((row) => sourceKind.record(store.db, row)));
}

/** The newest sources (for choosing one to cite). */
export async function latestSources(store: Store, limit: number): Promise<SourceRecord[]> {
  const rows = await store.db.selectFrom('source').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return Promise.all(rows.map((row) => sourceKind.record(store.db, row)));
}

export async function sourcesByIds(db: Executor, ids: readonly number[]): Promise<SourceRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('source').selectAll().where('id', 'in', [...new Set(ids)]).orderBy('id').execute();
  return Promise.all(rows.map((row) => sourceKind.record(db, row)));
}

export interface SourceCitations {
  events: { event_id: number; person_id: number; type: string; date: string; confidentiality: Level }[];
  /** Records that cite the source through source_link: people, cases, violations, ... */
  links: { entity: string; entity_id: number }[];
}

export async function citationsOf(db: Executor, sourceId: number): Promise<SourceCitations> {
  const events = await db.selectFrom('event_source').innerJoin('event', 'event.id', 'event_source.event_id')
    .select(['event.id as event_id', 'event.person_id', 'event.type', 'event.date', 'event.confidentiality']).where('event_source.source_id', '=', sourceId).orderBy('event.id').limit(500).execute();
  const links = await db.selectFrom('source_link').select(['entity', 'entity_id']).where('source_id', '=', sourceId).orderBy('entity').orderBy('entity_id').limit(500).execute();
  return { events, links };
}
