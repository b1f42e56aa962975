/**
 * What a coordinator looks at first: today's counts, what changed this week, people whose record cites
 * no source at all, records nobody has touched for six months, and what waits for review. Internal by
 * nature (it names people), so only signed-in members see it.
 */
import { sql } from 'kysely';
import type { Store } from '../../store/connection.js';
import { today } from '../../domain/partial-date.js';
import { statsOn } from '../stats/stats.service.js';
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

/** The display name of each person: their first name variant, family name first. */
async function namesOf(store: Store, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await store.db.selectFrom('person_name').select(['person_id', 'family', 'given', 'patronymic', 'full_name', 'position'])
    .where('person_id', 'in', ids).orderBy('person_id').orderBy('position').execute();
  const names = new Map<number, string>();
  for (const row of rows) {
    if (names.has(row.person_id)) continue;
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

async function lines(store: Store, rows: { id: number; external_id: string; updated_at: string }[]): Promise<PersonLine[]> {
  const names = await namesOf(store, rows.map((row) => row.id));
  return rows.map((row) => ({ ...row, name: names.get(row.id) ?? row.external_id }));
}

export async function dashboard(store: Store, now = new Date()): Promise<Dashboard> {
  const weekAgo = daysAgo(7, now);
  const staleBefore = monthsAgo(6, now);
  const [counts, changes, imports, recent, without, withoutFirst, stale, staleFirst] = await Promise.all([
    statsOn(store, today()),
    store.db.selectFrom('change_log').select((eb) => eb.fn.countAll<number>().as('n')).where('at', '>=', weekAgo).executeTakeFirstOrThrow(),
    store.db.selectFrom('import_batch').select((eb) => eb.fn.countAll<number>().as('n')).where('finished_at', '>=', weekAgo).executeTakeFirstOrThrow(),
    store.db.selectFrom('change_log').select(['entity', 'entity_id', 'action', 'actor', 'at', 'reason']).orderBy('id', 'desc').limit(10).execute(),
    withoutSourceQuery(store).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    withoutSourceQuery(store).select(['p.id', 'p.external_id', 'p.updated_at']).orderBy('p.id').limit(LIST).execute(),
    store.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).where('merged_into', 'is', null).where('updated_at', '<', staleBefore).executeTakeFirstOrThrow(),
    store.db.selectFrom('person').select(['id', 'external_id', 'updated_at']).where('merged_into', 'is', null).where('updated_at', '<', staleBefore).orderBy('updated_at').limit(LIST).execute(),
  ]);
  return {
    counts,
    changesThisWeek: Number(changes.n),
    importsThisWeek: Number(imports.n),
    recentChanges: recent.map((row) => ({ ...row, entity_id: Number(row.entity_id) })),
    withoutSource: { total: Number(without.n), first: await lines(store, withoutFirst) },
    stale: { total: Number(stale.n), first: await lines(store, staleFirst) },
  };
}
