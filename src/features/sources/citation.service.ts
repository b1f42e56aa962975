/**
 * Which sources a person record or an event cites (source_link for people, event_source for events).
 * A citation list is set as a whole, in one transaction, logged with who, when, before, after and why
 * (change-log entity "person_sources" / "event_sources", numbered per record) and audited. URLs given
 * inline become url sources of their own (versioned, logged) unless a source with that URL exists.
 * The list is kept apart from the record's own versions, so citing a source never bumps or restores them.
 */
import type { Level } from '../../domain/confidentiality.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { recordChanges, type Executor } from '../../store/history.repository.js';
import { appendAudit } from '../audit/audit.service.js';
import type { EditContext } from '../persons/person.service.js';
import { insertNewRecord } from '../records/record.service.js';
import { sourceKind } from './source.service.js';

/** A record that cites sources. */
export interface Citing {
  entity: 'person' | 'event';
  id: number;
}

export interface CitationChange {
  /** Every source the record is to cite (existing sources); the list replaces the stored one. */
  sourceIds: readonly number[];
  /** Web pages to cite as well: found by URL, or added as url sources at `level`. */
  urls?: readonly string[];
  level?: Level;
}

const logEntity = (target: Citing) => `${target.entity}_sources`;

/** The ids of the sources a record cites, in id order. */
export async function citedSourceIds(db: Executor, target: Citing): Promise<number[]> {
  const rows = target.entity === 'person'
    ? await db.selectFrom('source_link').select('source_id').where('entity', '=', 'person').where('entity_id', '=', target.id).execute()
    : await db.selectFrom('event_source').select('source_id').where('event_id', '=', target.id).execute();
  return rows.map((row) => row.source_id).sort((a, b) => a - b);
}

/** The person the record is about: change-log readers (search index, public pages) refresh that person. */
async function personOf(db: Executor, target: Citing): Promise<number> {
  if (target.entity === 'person') {
    const row = await db.selectFrom('person').select('id').where('id', '=', target.id).executeTakeFirst();
    if (!row) throw errors.notFound(`person ${target.id}`);
    return row.id;
  }
  const row = await db.selectFrom('event').select('person_id').where('id', '=', target.id).executeTakeFirst();
  if (!row) throw errors.notFound(`event ${target.id}`);
  return row.person_id;
}

async function checkSourcesExist(db: Executor, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await db.selectFrom('source').select('id').where('id', 'in', [...ids]).execute()).map((row) => row.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw errors.validation(`sources: there is no source #${missing}`);
}

async function sourcesForUrls(db: Executor, urls: readonly string[], level: Level, context: EditContext, now: string): Promise<number[]> {
  const ids: number[] = [];
  for (const url of new Set(urls)) {
    const held = await db.selectFrom('source').select('id').where('url', '=', url).orderBy('id').executeTakeFirst();
    if (held) {
      ids.push(held.id);
      continue;
    }
    const data = { kind: 'url' as const, url, title: null, citation: null, sha256: null, media_type: null, size_bytes: null, published_date: null, reliability: null, confidentiality: level };
    ids.push((await insertNewRecord(db, sourceKind, data, context, now)).id);
  }
  return ids;
}

async function nextLogVersion(db: Executor, target: Citing): Promise<number> {
  const row = await db.selectFrom('change_log').select((eb) => eb.fn.max('version').as('last')).where('entity', '=', logEntity(target)).where('entity_id', '=', target.id).executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

async function writeLinks(db: Executor, target: Citing, added: readonly number[], removed: readonly number[]): Promise<void> {
  if (target.entity === 'person') {
    if (removed.length) await db.deleteFrom('source_link').where('entity', '=', 'person').where('entity_id', '=', target.id).where('source_id', 'in', [...removed]).execute();
    if (added.length) await db.insertInto('source_link').values(added.map((source_id) => ({ source_id, entity: 'person', entity_id: target.id }))).execute();
    return;
  }
  if (removed.length) await db.deleteFrom('event_source').where('event_id', '=', target.id).where('source_id', 'in', [...removed]).execute();
  if (added.length) await db.insertInto('event_source').values(added.map((source_id) => ({ event_id: target.id, source_id }))).execute();
}

/**
 * Sets the sources a record cites. Nothing is written when the list stays the same; a source that
 * does not exist refuses the whole change. Returns the ids cited afterwards.
 */
export async function setCitations(store: Store, target: Citing, change: CitationChange, context: EditContext): Promise<number[]> {
  return store.db.transaction().execute((trx) => setCitationsIn(trx, target, change, context));
}

/** The same, inside a transaction the caller holds (an event saved with its sources, all or nothing). */
export async function setCitationsIn(trx: Executor, target: Citing, change: CitationChange, context: EditContext): Promise<number[]> {
  if (!context.reason.trim()) throw errors.validation('reason: say why the cited sources change (a source or an explanation)');
  {
    const personId = await personOf(trx, target);
    await checkSourcesExist(trx, change.sourceIds);
    const now = new Date().toISOString();
    const fromUrls = await sourcesForUrls(trx, change.urls ?? [], change.level ?? 'internal', context, now);
    const before = await citedSourceIds(trx, target);
    const after = [...new Set([...change.sourceIds, ...fromUrls])].sort((a, b) => a - b);
    const added = after.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !after.includes(id));
    if (added.length === 0 && removed.length === 0) return before;
    await writeLinks(trx, target, added, removed);
    const key = target.entity === 'person' ? {} : { event_id: target.id };
    await recordChanges(trx, [{
      entity: logEntity(target), entityId: target.id, version: await nextLogVersion(trx, target), action: before.length === 0 ? 'create' : 'update',
      actor: context.actor, reason: context.reason, before: { ...key, person_id: personId, source_ids: before }, after: { ...key, person_id: personId, source_ids: after },
    }], now);
    await appendAudit(trx, { actor: context.actor, action: 'update', entity: logEntity(target), entityId: target.id, ip: context.ip ?? null, detail: { added, removed, reason: context.reason } }, now);
    return after;
  }
}
