/**
 * Name search over the registry: one engine (src/names) for the CLI, the API and the public site.
 * The index is built from the store and rebuilt when the data changes (see dataStamp).
 */
import { NameIndex, type NameRecord } from '../../names/index.js';
import { errors } from '../../errors.js';
import { fieldLevel, maySee, PUBLIC } from '../../domain/policy.js';
import type { Level } from '../../domain/confidentiality.js';
import type { Store } from '../../store/connection.js';
import type { NameVariant } from '../../store/person.repository.js';
import { dataStamp } from '../../store/history.repository.js';

export interface SearchHit {
  id: number;
  external_id: string;
  name: string;
  score: number;
  matched: string;
}

export interface SearchOptions {
  limit?: number;
  /** Only people with publication consent, matched on public name variants only. */
  publicOnly?: boolean;
}

interface Indexed {
  index: NameIndex;
  people: Map<number, { external_id: string; name: string }>;
  stamp: string;
}

export function displayName(names: readonly Pick<NameVariant, 'family' | 'given' | 'patronymic' | 'full_name'>[]): string {
  const first = names[0];
  if (!first) return '';
  return first.full_name ?? [first.given, first.family].filter(Boolean).join(' ');
}

async function buildIndex(store: Store, publicOnly: boolean, stamp: string): Promise<Indexed> {
  const index = new NameIndex();
  const people = new Map<number, { external_id: string; name: string }>();
  const pageSize = 5000;
  let after = 0;
  for (;;) {
    const batch = await store.db
      .selectFrom('person')
      .select(['id', 'external_id', 'birth_date', 'region', 'publish', 'confidentiality', 'field_levels'])
      .where('merged_into', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    // What the public may find is the policy's decision, value by value.
    const page = publicOnly ? batch.filter((p) => maySee(PUBLIC, { level: p.confidentiality, consent: p.publish === 1 })) : batch;
    // Records merged into these people are other spellings of them: their names are searched too.
    const pageIds = page.map((p) => p.id);
    if (pageIds.length === 0) continue;
    const children = await store.db.selectFrom('person').select(['id', 'merged_into']).where('merged_into', 'in', pageIds).execute();
    const owner = new Map<number, number>([...pageIds.map((id) => [id, id] as const), ...children.map((c) => [c.id, c.merged_into!] as const)]);
    const names = store.db
      .selectFrom('person_name')
      .select(['person_id', 'family', 'given', 'patronymic', 'full_name', 'lang', 'confidentiality'])
      .where('person_id', 'in', [...owner.keys()])
      .orderBy('person_id')
      .orderBy('position');
    const byPerson = new Map<number, NameRecord['names']>();
    const ownVariants = new Set<NameRecord['names'][number]>();
    for (const name of await names.execute()) {
      const id = owner.get(name.person_id)!;
      if (publicOnly && !maySee(PUBLIC, { level: name.confidentiality, consent: true })) continue;
      const list = byPerson.get(id) ?? [];
      const variant = { family: name.family, given: name.given, patronymic: name.patronymic, full: name.full_name, lang: name.lang };
      // The record's own names first: the first one is its display name.
      if (name.person_id === id) list.splice(list.filter((v) => ownVariants.has(v)).length, 0, variant);
      else list.push(variant);
      if (name.person_id === id) ownVariants.add(variant);
      byPerson.set(id, list);
    }
    for (const person of page) {
      const variants = byPerson.get(person.id) ?? [];
      const levels = JSON.parse(person.field_levels) as Record<string, Level>;
      const shows = (field: string) => !publicOnly || maySee(PUBLIC, { level: fieldLevel(person.confidentiality, levels, field), consent: true });
      index.add({ id: person.id, names: variants, birthDate: shows('birth_date') ? person.birth_date : null, region: shows('region') ? person.region : null });
      people.set(person.id, {
        external_id: person.external_id,
        name: displayName(variants.map((v) => ({ family: v.family ?? null, given: v.given ?? null, patronymic: v.patronymic ?? null, full_name: v.full ?? null }))),
      });
    }
  }
  return { index, people, stamp };
}

const caches = new WeakMap<Store, Map<boolean, { stamp: string; index: Promise<Indexed> }>>();

/**
 * The current index for a store, rebuilt only when something changed since it was built. Searches that
 * arrive while it is rebuilt wait for that one rebuild: on a large registry a rebuild takes seconds and
 * a lot of memory, and a busy server would otherwise start one per search.
 */
export async function searchIndex(store: Store, publicOnly: boolean): Promise<Indexed> {
  const stamp = await dataStamp(store.db);
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  const cached = cache.get(publicOnly);
  if (cached?.stamp === stamp) return cached.index;
  const entry = { stamp, index: buildIndex(store, publicOnly, stamp) };
  cache.set(publicOnly, entry);
  entry.index.catch(() => {
    if (cache.get(publicOnly) === entry) cache.delete(publicOnly);
  });
  return entry.index;
}

export function checkQuery(query: string): string {
  const trimmed = query.trim();
  if (trimmed === '') throw errors.validation('query: type a name to search for');
  if (trimmed.length > 300) throw errors.validation('query: a name query is at most 300 characters');
  return trimmed;
}

export function runSearch(indexed: Indexed, query: string, limit = 10): SearchHit[] {
  return indexed.index.search(checkQuery(query), { limit }).map((hit) => {
    const person = indexed.people.get(hit.id)!;
    return { id: hit.id, external_id: person.external_id, name: person.name, score: Number(hit.score.toFixed(4)), matched: hit.matched };
  });
}

export async function searchPeople(store: Store, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const limit = options.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw errors.validation('limit: a whole number from 1 to 100');
  return runSearch(await searchIndex(store, options.publicOnly === true), query, limit);
}
