/**
 * Likely duplicates of the people changed most recently, found through the name-search index instead of
 * comparing whole blocking groups. A full scan (findDuplicates) grows with the square of the largest
 * name groups (tens of seconds at 20,000 people); this costs a few searches per person, whatever the
 * registry's size, and looks where new duplicates appear: at the records just added or changed.
 */
import { compareRecords, type NameRecord } from '../../names/index.js';
import type { Store } from '../../store/connection.js';
import { letOthersIn } from '../../store/event-loop.js';
import { personsByIds, type PersonRecord } from '../../store/person.repository.js';
import { displayName, searchPeople } from '../search/search.service.js';
import { LIKELY_DUPLICATE, type DuplicateCandidate } from './duplicates.service.js';

/** Search hits below this are not worth comparing record against record. */
const SEARCH_FLOOR = 0.75;
const HITS_PER_NAME = 10;

function nameRecord(person: PersonRecord): NameRecord {
  return {
    id: person.id, names: person.names.map((n) => ({ family: n.family, given: n.given, patronymic: n.patronymic, full: n.full_name, lang: n.lang })),
    birthDate: person.birth_date, region: person.region,
  };
}

/** The people whose records changed last (newest first), at most `limit`. */
async function recentlyChanged(store: Store, limit: number): Promise<number[]> {
  const rows = await store.db.selectFrom('change_log').select('entity_id').where('entity', '=', 'person').orderBy('id', 'desc').limit(limit * 4).execute();
  return [...new Set(rows.map((row) => row.entity_id))].slice(0, limit);
}

function queriesOf(person: PersonRecord): string[] {
  const queries = person.names.map((n) => n.full_name ?? [n.given, n.family].filter(Boolean).join(' ')).filter((q) => q.trim().length >= 3);
  return [...new Set(queries)];
}

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

export interface RecentOptions {
  /** How many of the most recently changed people to look at. */
  people: number;
  minScore?: number;
}

/** Pairs, best first, each involving one of the most recently changed people; decided pairs and merged records left out. */
export async function duplicatesOfRecent(store: Store, options: RecentOptions): Promise<DuplicateCandidate[]> {
  const minScore = options.minScore ?? LIKELY_DUPLICATE;
  const focus = (await personsByIds(store.db, await recentlyChanged(store, options.people))).filter((p) => p.merged_into === null);
  const found = new Map<number, Set<number>>();
  for (const person of focus) {
    // Searching is CPU work: let the server answer other requests between people.
    await letOthersIn();
    const others = new Set<number>();
    for (const query of queriesOf(person)) {
      for (const hit of await searchPeople(store, query, { limit: HITS_PER_NAME })) if (hit.id !== person.id && hit.score >= SEARCH_FLOOR) others.add(hit.id);
    }
    found.set(person.id, others);
  }
  const otherIds = [...new Set([...found.values()].flatMap((ids) => [...ids]))];
  const records = new Map([...focus, ...(await personsByIds(store.db, otherIds))].map((p) => [p.id, p]));
  const decided = new Set((await store.db.selectFrom('duplicate_decision').select(['person_low', 'person_high']).execute()).map((d) => pairKey(d.person_low, d.person_high)));
  const seen = new Set<string>();
  const candidates: DuplicateCandidate[] = [];
  for (const [id, others] of found) {
    for (const otherId of others) {
      const key = pairKey(id, otherId);
      const [a, b] = [records.get(Math.min(id, otherId)), records.get(Math.max(id, otherId))];
      if (seen.has(key) || decided.has(key) || !a || !b || a.merged_into !== null || b.merged_into !== null) continue;
      seen.add(key);
      const { score, reasons } = compareRecords(nameRecord(a), nameRecord(b));
      if (score < minScore) continue;
      candidates.push({
        a: { id: a.id, external_id: a.external_id, name: displayName(a.names) }, b: { id: b.id, external_id: b.external_id, name: displayName(b.names) }, score, reasons,
      });
    }
  }
  return candidates.sort((x, y) => y.score - x.score || x.a.id - y.a.id || x.b.id - y.b.id);
}
