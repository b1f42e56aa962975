/**
 * What a coordinator looks at first: today's counts, what changed this week, people whose record cites
 * no source at all, records nobody has touched for six months, and what waits for review. Internal by
 * nature (it names people), so only signed-in members see it.
 */
import { sql } from 'kysely';
import type { Store } from '../../store/connection.js';
import { today } from '../../domain/partial-date.js';
import { statsOn } from '../stats/stats.service.js';
import { clearance, maySee, type Viewer } from '../../domain/policy.js';
import type { Level } from '../../domain/confidentiality.js';
import type { Counts } from '../../domain/counting.js';

export interface PersonLine {
  id: number;
  external_id: string;
  name: string;
  updated_at: string;
}

export interface ChangeLine {
  entity: string;
  entity_id: number;
  action: string;
  actor: string;
  at: string;
  reason: string | null;
}

export interface Dashboard {
  counts: Counts;
  changesThisWeek: number;
  importsThisWeek: number;
  recentChanges: ChangeLine[];
  withoutSource: { total: number; first: PersonLine[] };
  stale: { total: number; first: PersonLine[] };
}

const LIST = 20;

function daysAgo(days: number, now = new Date()): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

function monthsAgo(months: number, now = new Date()): string {
  const then = new Date(now);
  then.setUTCMonth(then.getUTCMonth() - months);
  return then.toISOString();
}

/** The display name of each person: their first name variant the viewer may see, family name first. */
async function namesOf(store: Store, viewer: Viewer, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await store.db.selectFrom('person_name').select(['person_id', 'family', 'given', 'patronymic', 'full_name', 'position', 'confidentiality'])
    .where('person_id', 'in', ids).orderBy('person_id').orderBy('position').execute();
  const names = new Map<number, string>();
  for (const row of rows) {
    if (names.has(row.person_id) || !maySee(viewer, { level: row.confidentiality, consent: false })) continue;
    names.set(row.person_id, row.full_name ?? [row.family, row.given, row.patronymic].filter(Boolean).join(' '));
  }
  return names;
}

/** People (not merged away) with no source on their record and none on any of their events. */
function withoutSourceQuery(store: Store) {
  return store.db.selectFrom('person as p')
    .where('p.merged_into', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('source_link as l').select(sql`1`.as('one')).whereRef('l.entity_id', '=', 'p.id').where('l.entity', '=', 'person'))))
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('event as e').innerJoin('event_source as es', 'es.event_id', 'e.id').select(sql`1`.as('one')).whereRef('e.person_id', '=', 'p.id'),
    )));
}

/** People the viewer may see, by their visible name; the others are counted but not listed. */
async function lines(store: Store, viewer: Viewer, rows: { id: number; external_id: string; updated_at: string; confidentiality: Level }[]): Promise<PersonLine[]> {
  const shown = rows.filter((row) => maySee(viewer, { level: row.confidentiality, consent: false }));
  const names = await namesOf(store, viewer, shown.map((row) => row.id));
  return shown.map(({ confidentiality: _level, ...row }) => ({ ...row, name: names.get(row.id) ?? row.external_id }));
}

/** Record kinds whose rows carry a level, by the entity name the change log uses. */
const LEVELLED: Record<string, 'person' | 'event' | 'legal_case' | 'source' | 'release_deal'> = {
  person: 'person', event: 'event', case: 'legal_case', source: 'source', deal: 'release_deal',
};
/** Kinds every member may see (no level of their own). */
const OPEN_TO_MEMBERS = new Set(['facility', 'sanction']);

/**
 * The latest changes the viewer may know about: a change names its record and its reason, so records
 * above the viewer's clearance stay out, and kinds with confidential content of their own (casework,
 * health, letters, after-release data, proposals, accounts) are listed only for cleared roles.
 */
async function recentChangesFor(store: Store, viewer: Viewer, limit: number): Promise<ChangeLine[]> {
  const recent = await store.db.selectFrom('change_log').select(['entity', 'entity_id', 'action', 'actor', 'at', 'reason']).orderBy('id', 'desc').limit(limit * 5).execute();
  const cleared = clearance(viewer) === 'restricted';
  const levels = new Map<string, Level>();
  for (const [entity, table] of Object.entries(LEVELLED)) {
    const ids = [...new Set(recent.filter((row) => row.entity === entity).map((row) => Number(row.entity_id)))];
    if (ids.length === 0) continue;
    const rows = await store.db.selectFrom(table).select(['id', 'confidentiality']).where('id', 'in', ids).execute();
    for (const row of rows) levels.set(`${entity}:${row.id}`, row.confidentiality);
  }
  const visible = (row: (typeof recent)[number]) => {
    if (cleared) return true;
    if (OPEN_TO_MEMBERS.has(row.entity)) return true;
    const level = levels.get(`${row.entity}:${Number(row.entity_id)}`);
    return level !== undefined && maySee(viewer, { level, consent: false });
  };
  return recent.filter(visible).slice(0, limit).map((row) => ({ ...row, entity_id: Number(row.entity_id) }));
}

export async function dashboard(store: Store, viewer: Viewer, now = new Date()): Promise<Dashboard> {
  const weekAgo = daysAgo(7, now);
  const staleBefore = monthsAgo(6, now);
  const [counts, changes, imports, recent, without, withoutFirst, stale, staleFirst] = await Promise.all([
    statsOn(store, today()),
    store.db.selectFrom('change_log').select((eb) => eb.fn.countAll<number>().as('n')).where('at', '>=', weekAgo).executeTakeFirstOrThrow(),
    store.db.selectFrom('import_batch').select((eb) => eb.fn.countAll<number>().as('n')).where('finished_at', '>=', weekAgo).executeTakeFirstOrThrow(),
    recentChangesFor(store, viewer, 10),
    withoutSourceQuery(store).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    withoutSourceQuery(store).select(['p.id', 'p.external_id', 'p.updated_at', 'p.confidentiality']).orderBy('p.id').limit(LIST).execute(),
    store.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).where('merged_into', 'is', null).where('updated_at', '<', staleBefore).executeTakeFirstOrThrow(),
    store.db.selectFrom('person').select(['id', 'external_id', 'updated_at', 'confidentiality']).where('merged_into', 'is', null).where('updated_at', '<', staleBefore).orderBy('updated_at').limit(LIST).execute(),
  ]);
  return {
    counts,
    changesThisWeek: Number(changes.n),
    importsThisWeek: Number(imports.n),
    recentChanges: recent,
    withoutSource: { total: Number(without.n), first: await lines(store, viewer, withoutFirst) },
    stale: { total: Number(stale.n), first: await lines(store, viewer, staleFirst) },
  };
}
