/**
 * Name search over the registry: one engine (src/names) for the CLI, the API and the public site.
 * The index is built from the store once and then kept up to date with the change log (see dataMarks).
 */
import { NameIndex, type NameRecord } from '../../names/index.js';
import { errors } from '../../errors.js';
import { fieldLevel, maySee, PUBLIC } from '../../domain/policy.js';
import type { Level } from '../../domain/confidentiality.js';
import type { Store } from '../../store/connection.js';
import { letOthersIn, within } from '../../store/event-loop.js';
import type { NameVariant } from '../../store/person.repository.js';
import { dataMarks, peopleChangedBetween, type DataMarks } from '../../store/history.repository.js';

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
  /**
   * How long to wait for an index that is still being built (the first build after the server starts
   * takes a minute at a million people) before giving up with errors.starting; unset, wait for it.
   */
  waitMs?: number;
}

interface Indexed {
  index: NameIndex;
  people: Map<number, { external_id: string; name: string }>;
  /** The data the index shows: every change and import up to these. */
  marks: DataMarks;
}

export function displayName(names: readonly Pick<NameVariant, 'family' | 'given' | 'patronymic' | 'full_name'>[]): string {
  const first = names[0];
  if (!first) return '';
  return first.full_name ?? [first.given, first.family].filter(Boolean).join(' ');
}

type PersonRow = { id: number; external_id: string; birth_date: string | null; region: string | null; publish: number; confidentiality: Level; field_levels: string; merged_into: number | null };

const PERSON_COLUMNS = ['id', 'external_id', 'birth_date', 'region', 'publish', 'confidentiality', 'field_levels', 'merged_into'] as const;

/**
 * Indexes these people (replacing what the index held for them) and drops those who may no longer be
 * found: merged into another record, or, in the public index, without consent or not public.
 */
async function indexPeople(store: Store, indexed: Indexed, publicOnly: boolean, rows: readonly PersonRow[]): Promise<void> {
  // What the public may find is the policy's decision, value by value.
  const findable = (p: PersonRow) => p.merged_into === null && (!publicOnly || maySee(PUBLIC, { level: p.confidentiality, consent: p.publish === 1 }));
  const page = rows.filter(findable);
  const gone = rows.filter((p) => !findable(p));
  const byPerson = page.length > 0 ? await namesOf(store, publicOnly, page.map((p) => p.id)) : new Map<number, NameRecord['names']>();
  // Everything read: the index changes in one go, so a search never sees it half-updated.
  for (const person of gone) {
    indexed.index.remove(person.id);
    indexed.people.delete(person.id);
  }
  for (const person of page) {
    const variants = byPerson.get(person.id) ?? [];
    const levels = JSON.parse(person.field_levels) as Record<string, Level>;
    const shows = (field: string) => !publicOnly || maySee(PUBLIC, { level: fieldLevel(person.confidentiality, levels, field), consent: true });
    indexed.index.add({ id: person.id, names: variants, birthDate: shows('birth_date') ? person.birth_date : null, region: shows('region') ? person.region : null });
    indexed.people.set(person.id, {
      external_id: person.external_id,
      name: displayName(variants.map((v) => ({ family: v.family ?? null, given: v.given ?? null, patronymic: v.patronymic ?? null, full_name: v.full ?? null }))),
    });
  }
}

/** Each person's name variants, own first (the first is the display name), then those of records merged into them. */
async function namesOf(store: Store, publicOnly: boolean, ids: number[]): Promise<Map<number, NameRecord['names']>> {
  // Records merged into these people are other spellings of them: their names are searched too.
  const children = await store.db.selectFrom('person').select(['id', 'merged_into']).where('merged_into', 'in', ids).execute();
  const owner = new Map<number, number>([...ids.map((id) => [id, id] as const), ...children.map((c) => [c.id, c.merged_into!] as const)]);
  const names = await store.db
    .selectFrom('person_name')
    .select(['person_id', 'family', 'given', 'patronymic', 'full_name', 'lang', 'confidentiality'])
    .where('person_id', 'in', [...owner.keys()])
    .orderBy('person_id')
    .orderBy('position')
    .execute();
  const byPerson = new Map<number, NameRecord['names']>();
  const ownVariants = new Set<NameRecord['names'][number]>();
  for (const name of names) {
    const id = owner.get(name.person_id)!;
    if (publicOnly && !maySee(PUBLIC, { level: name.confidentiality, consent: true })) continue;
    const list = byPerson.get(id) ?? [];
    const variant = { family: name.family, given: name.given, patronymic: name.patronymic, full: name.full_name, lang: name.lang };
    if (name.person_id === id) list.splice(list.filter((v) => ownVariants.has(v)).length, 0, variant);
    else list.push(variant);
    if (name.person_id === id) ownVariants.add(variant);
    byPerson.set(id, list);
  }
  return byPerson;
}

async function buildIndex(store: Store, publicOnly: boolean, marks: DataMarks): Promise<Indexed> {
  const indexed: Indexed = { index: new NameIndex(), people: new Map(), marks };
  // Small pages: the server answers others between them (letOthersIn).
  const pageSize = 1000;
  for (let after = 0; ; ) {
    await letOthersIn();
    const batch = await store.db.selectFrom('person').select(PERSON_COLUMNS).where('merged_into', 'is', null).where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    await indexPeople(store, indexed, publicOnly, batch);
  }
  return indexed;
}

/** Past this many changed people, building the index from scratch is as quick as updating it. */
const UPDATE_LIMIT = 20_000;

/** The index brought up to `marks` by working out again only the people changed since it was built. */
async function updateIndex(store: Store, base: Indexed, publicOnly: boolean, marks: DataMarks): Promise<Indexed> {
  // A search that read the marks before the latest update finished: the index is already newer.
  if (marks.changes <= base.marks.changes && marks.imports <= base.marks.imports) return base;
  const changed = await peopleChangedBetween(store.db, base.marks, marks, UPDATE_LIMIT);
  if (changed === null) return buildIndex(store, publicOnly, marks);
  // A change to a merged record changes the person it was merged into (whose names it adds), and the other way round.
  const rows = changed.size ? await store.db.selectFrom('person').select(PERSON_COLUMNS).where((eb) => eb.or([eb('id', 'in', [...changed]), eb('merged_into', 'in', [...changed])])).execute() : [];
  const owners = rows.flatMap((row) => (row.merged_into !== null && !changed.has(row.merged_into) ? [row.merged_into] : []));
  const more = owners.length ? await store.db.selectFrom('person').select(PERSON_COLUMNS).where('id', 'in', owners).execute() : [];
  await indexPeople(store, base, publicOnly, [...rows, ...more]);
  const found = new Set(rows.map((row) => row.id));
  for (const id of changed) {
    if (found.has(id)) continue;
    base.index.remove(id);
    base.people.delete(id);
  }
  base.marks = marks;
  return base;
}

interface IndexState {
  /** The newest index: updated in place after each change. */
  last?: Indexed;
  /** The build or update under way, shared by every search that needs it. */
  pending?: { key: string; index: Promise<Indexed> };
}

const states = new WeakMap<Store, Map<boolean, IndexState>>();
const keyOf = (marks: DataMarks) => `${marks.changes}.${marks.imports}`;

/**
 * The current index for a store. After a change only the people concerned are indexed again (a full
 * build takes seconds on a large registry); searches that arrive meanwhile wait for that one update.
 */
export async function searchIndex(store: Store, publicOnly: boolean): Promise<Indexed> {
  const marks = await dataMarks(store.db);
  const key = keyOf(marks);
  let byKind = states.get(store);
  if (!byKind) states.set(store, (byKind = new Map()));
  let state = byKind.get(publicOnly);
  if (!state) byKind.set(publicOnly, (state = {}));
  if (state.last && keyOf(state.last.marks) === key) return state.last;
  if (state.pending?.key === key) return state.pending.index;
  const base = state.pending?.index ?? state.last;
  // Updates run one after another on the same index; a failed one is replaced by a fresh build.
  const index = base
    ? Promise.resolve(base).then((built) => updateIndex(store, built, publicOnly, marks)).catch(() => buildIndex(store, publicOnly, marks))
    : buildIndex(store, publicOnly, marks);
  const pending = { key, index };
  state.pending = pending;
  const settle = (built: Indexed | null) => {
    if (built) state.last = built;
    if (state.pending === pending) state.pending = undefined;
  };
  index.then(settle, () => settle(null));
  return index;
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
  checkQuery(query);
  return runSearch(await searchIndexWithin(store, options.publicOnly === true, options.waitMs), query, limit);
}

/** The index (see searchIndex), or errors.starting when it is not ready after `waitMs` (unset: no limit). */
export async function searchIndexWithin(store: Store, publicOnly: boolean, waitMs?: number): Promise<Indexed> {
  const index = searchIndex(store, publicOnly);
  if (waitMs === undefined) return index;
  const ready = await within(index, waitMs);
  if (!ready) throw errors.starting('the name index');
  return ready;
}
