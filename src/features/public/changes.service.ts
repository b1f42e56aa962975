/**
 * What changed lately, for the public feed: recognitions, releases and expulsions of published people
 * taken from public events only, and public negotiated releases with their aggregate counts. The
 * database sorts and limits; only the newest rows are read.
 */
import { sql } from 'kysely';
import type { Store } from '../../store/connection.js';

export const CHANGE_TYPES = ['recognized', 'released', 'expelled'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export interface PersonChange {
  /** The published record the event belongs to (a merged duplicate's events count for it). */
  person_id: number;
  type: ChangeType;
  date: string;
  reason: string | null;
  country: string | null;
}

export interface DealChange {
  slug: string;
  date: string;
  facilitator: string | null;
  destinations: string[];
  released: number;
  expelled: number;
}

const BATCH = 200;

/**
 * The newest public change events of published people, at most `limit`, dated on or before `day`.
 * `shown` has the last word on a person (the public registry knows who is published); one change per
 * person, type and date, so a duplicate's copy of an event does not show twice.
 */
export async function recentPersonChanges(store: Store, day: string, limit: number, shown: (personId: number) => boolean): Promise<PersonChange[]> {
  const result: PersonChange[] = [];
  const seen = new Set<string>();
  for (let offset = 0; result.length < limit; offset += BATCH) {
    const rows = await store.db
      .selectFrom('event as e')
      .innerJoin('person as p', 'p.id', 'e.person_id')
      .leftJoin('person as o', 'o.id', 'p.merged_into')
      .select(['e.type', 'e.date', 'e.reason', 'e.country', sql<number>`coalesce(o.id, p.id)`.as('owner')])
      .where('e.type', 'in', [...CHANGE_TYPES])
      .where('e.confidentiality', '=', 'public')
      .where('e.date', '<=', day)
      // Published, public and not merged away: the record itself, or the record it was merged into.
      .where((eb) => eb.or([
        eb.and([eb('p.merged_into', 'is', null), eb('p.publish', '=', 1), eb('p.confidentiality', '=', 'public')]),
        eb.and([eb('o.merged_into', 'is', null), eb('o.publish', '=', 1), eb('o.confidentiality', '=', 'public')]),
      ]))
      .orderBy('e.date', 'desc')
      .orderBy('e.id', 'desc')
      .limit(BATCH)
      .offset(offset)
      .execute();
    for (const row of rows) {
      const owner = Number(row.owner);
      const key = `${owner}|${row.type}|${row.date}`;
      if (seen.has(key) || !shown(owner)) continue;
      seen.add(key);
      result.push({ person_id: owner, type: row.type as ChangeType, date: row.date, reason: row.reason, country: row.country });
      if (result.length === limit) break;
    }
    if (rows.length < BATCH) break;
  }
  return result;
}

/** The newest public negotiated releases dated on or before `day`, with how many were released and expelled. */
export async function recentDeals(store: Store, day: string, limit: number): Promise<DealChange[]> {
  const deals = await store.db
    .selectFrom('release_deal')
    .select(['id', 'slug', 'date', 'facilitator', 'destinations'])
    .where('confidentiality', '=', 'public')
    .where('date', '<=', day)
    .orderBy('date', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  if (deals.length === 0) return [];
  // Aggregate counts: everyone released in the deal counts, named or not.
  const outcomes = await store.db
    .selectFrom('event')
    .select(['deal_id', 'type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('deal_id', 'in', deals.map((deal) => deal.id))
    .where('type', 'in', ['released', 'expelled'])
    .where('date', '<=', day)
    .groupBy(['deal_id', 'type'])
    .execute();
  const count = (id: number, type: string) => Number(outcomes.find((row) => row.deal_id === id && row.type === type)?.n ?? 0);
  return deals.map((deal) => ({
    slug: deal.slug, date: deal.date, facilitator: deal.facilitator, destinations: JSON.parse(deal.destinations) as string[],
    released: count(deal.id, 'released'), expelled: count(deal.id, 'expelled'),
  }));
}
