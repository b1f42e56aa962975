/**
 * Where political prisoners are held today, as the public may know it: an aggregate over everyone who
 * is a political prisoner today (all events count for that, as for every count), but a person's place
 * comes only from their public events. A person whose place of detention is known only from internal
 * or restricted events is counted under "place not known publicly", so no hidden transfer shows
 * through a facility's count.
 *
 * One query does the work in the database (the status intervals say who is held; the event index by
 * person finds each one's latest public place), so it scales with the number of people held, not
 * with the number of events.
 */
import { sql } from 'kysely';
import { checkDay } from '../stats/stats.service.js';
import type { Store } from '../../store/connection.js';
import { dataStamp } from '../../store/history.repository.js';
import type { FacilityRow } from '../../store/schema.js';

export interface FacilityCount {
  facility: FacilityRow;
  /** Political prisoners whose latest public place of detention (in their current custody) is here. */
  count: number;
}

export interface PlacesToday {
  day: string;
  /** Every political prisoner today: the sum of the facility counts and `unknown`. */
  total: number;
  /** Political prisoners whose place no public event of their current custody names. */
  unknown: number;
  /** Facilities holding at least one political prisoner, most first. */
  facilities: FacilityCount[];
}

/** The first day a canonical partial date can denote (YYYY, YYYY-MM or YYYY-MM-DD), in SQL both dialects run. */
const eventDay = sql<string>`(CASE length(e.date) WHEN 4 THEN e.date || '-01-01' WHEN 7 THEN e.date || '-01' ELSE e.date END)`;

const cache = new WeakMap<Store, { key: string; places: Promise<PlacesToday> }>();

/**
 * Where the political prisoners of `day` are held. Kept until the data changes, so the page in each
 * language and every repeat ask share one query.
 */
export async function placesOn(store: Store, day: string): Promise<PlacesToday> {
  checkDay(day);
  const key = `${await dataStamp(store.db)}|${day}`;
  const cached = cache.get(store);
  if (cached?.key === key) return cached.places;
  const places = countPlaces(store, day);
  cache.set(store, { key, places });
  places.catch(() => {
    if (cache.get(store)?.places === places) cache.delete(store);
  });
  return places;
}

async function countPlaces(store: Store, day: string): Promise<PlacesToday> {
  // held: political prisoners on the day, with the day their current custody began (one pass over the
  // intervals that hold on the day); members: each one's records (a duplicate merged into a record
  // counts for it); placed: each one's latest public event naming a facility, dated within the current
  // custody and not after the day. CROSS JOIN keeps SQLite walking from the few people held to their
  // events through the person index, instead of from every event with a facility (PostgreSQL plans
  // it as an ordinary join).
  const rows = await sql<{ facility_id: number | null; n: number | string }>`
    WITH held AS (
      SELECT person_id, max(CASE WHEN kind = 'custody' THEN start_day END) AS since
      FROM status_interval
      WHERE kind IN ('political', 'custody') AND start_day <= ${day} AND (end_day IS NULL OR end_day > ${day})
      GROUP BY person_id
      HAVING count(CASE WHEN kind = 'political' THEN 1 END) > 0
    ),
    members AS (
      SELECT person_id AS owner, since, person_id AS member FROM held
      UNION ALL
      SELECT h.person_id, h.since, r.id FROM held h CROSS JOIN person r WHERE r.merged_into = h.person_id
    ),
    placed AS (
      SELECT m.owner, e.facility_id,
        ROW_NUMBER() OVER (PARTITION BY m.owner ORDER BY e.date DESC, e.id DESC) AS ordinal
      FROM members m
      CROSS JOIN event e
      WHERE e.person_id = m.member AND e.facility_id IS NOT NULL AND e.confidentiality = 'public'
        AND e.date <= ${day} AND ${eventDay} >= m.since
    )
    SELECT placed.facility_id, count(*) AS n
    FROM held LEFT JOIN placed ON placed.owner = held.person_id AND placed.ordinal = 1
    GROUP BY placed.facility_id`.execute(store.db);

  const counts = new Map<number, number>();
  let unknown = 0;
  for (const row of rows.rows) {
    if (row.facility_id === null) unknown += Number(row.n);
    else counts.set(Number(row.facility_id), Number(row.n));
  }
  const facilityRows = counts.size ? await store.db.selectFrom('facility').selectAll().where('id', 'in', [...counts.keys()]).execute() : [];
  const facilities = facilityRows
    .map((facility) => ({ facility, count: counts.get(facility.id)! }))
    .sort((a, b) => b.count - a.count || a.facility.name.localeCompare(b.facility.name));
  const total = unknown + facilities.reduce((sum, entry) => sum + entry.count, 0);
  return { day, total, unknown, facilities };
}
