/**
 * What the public site shows of the registry, built once per change of the data and kept in memory:
 * every published person (consent given, public record, not merged away) with the status, charges,
 * sentence and place of detention their public events show. Per-person facts come only from values
 * the policy lets the public see, so a restricted event never shows through a status or a facility.
 * Aggregate counts (home page, chart) are computed separately from everyone's events.
 */
import { isEventType, personTimeline, sortEvents, type CustodyEvent } from '../../domain/custody.js';
import { firstDay, today as todayDate } from '../../domain/partial-date.js';
import { maySee, PUBLIC } from '../../domain/policy.js';
import type { Store } from '../../store/connection.js';
import { allAtOnce, eachInSteps, letOthersIn, sortedInSteps, stepByStep, type Steps } from '../../store/event-loop.js';
import { dataMarks, peopleChangedBetween, type DataMarks } from '../../store/history.repository.js';
import { personsByIds, type NameVariant } from '../../store/person.repository.js';
import type { FacilityRow } from '../../store/schema.js';
import { holdsDemoData } from '../demo/demo.service.js';
import { presentPerson } from '../persons/person.presenter.js';
import { nameFor, type ShownName, type SiteLang } from './public-names.js';

export const PUBLIC_STATUSES = ['held', 'released', 'expelled', 'died'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export interface PublicPerson {
  id: number;
  external_id: string;
  names: NameVariant[];
  birth_date: string | null;
  gender: string | null;
  region: string | null;
  occupation: string | null;
  biography: Record<string, string>;
  /** Null when the public events do not show the person as a political prisoner at any time. */
  status: PublicStatus | null;
  status_since: string | null;
  recognized_on: string | null;
  articles: string[];
  /** Where the person is held now, when the public events say so. */
  facility_id: number | null;
  expelled_to: string | null;
  term_months: number | null;
  regime: string | null;
  /** The date of the latest public event. */
  last_event: string | null;
}

export interface PublicRegistry {
  stamp: string;
  today: string;
  /** Published people, by id. */
  people: PublicPerson[];
  byExternalId: Map<string, PublicPerson>;
  byId: Map<number, PublicPerson>;
  facilities: Map<number, FacilityRow>;
  /** The store holds the fictional demo data set: pages say so. */
  demo: boolean;
  /** Shown names and the list order per language, worked out when first asked for. */
  names(lang: SiteLang): Map<number, ShownName>;
  ordered(lang: SiteLang): PublicPerson[];
  /**
   * Works out a language's names and order ahead of the first list page, giving the event loop turns
   * between steps (at a million people the names take seconds and would block the server otherwise).
   * Done once per language: later calls share it. Pages await it before they render.
   */
  prepare(lang: SiteLang): Promise<void>;
}

interface PublicEvent extends CustodyEvent {
  facility_id: number | null;
  articles: string;
  term_months: number | null;
  regime: string | null;
  country: string | null;
}

/** People per step of a build: small enough that the server answers others between steps (about 0.1 s each at a million people on SQLite). */
const CHUNK = 500;
/** People whose shown name is worked out per step of `prepare` (about 30 ms). */
const NAME_STEP = 10_000;
/** People (or distinct names) per step of the list order's linear passes. */
const ORDER_STEP = 50_000;

function summarise(events: readonly PublicEvent[], day: string): Pick<PublicPerson, 'status' | 'status_since' | 'recognized_on' | 'articles' | 'facility_id' | 'expelled_to' | 'term_months' | 'regime' | 'last_event'> {
  const past = sortEvents(events.filter((event) => firstDay(event.date) <= day));
  const { intervals } = personTimeline(past);
  const holds = (kind: string) => intervals.find((interval) => interval.kind === kind && interval.start <= day && (interval.end === null || interval.end > day));
  const political = holds('political');
  const died = holds('died_in_custody');
  const released = holds('released_political');
  const lastExit = [...past].reverse().find((event) => ['released', 'expelled', 'died'].includes(event.type));
  let status: PublicStatus | null = null;
  let since: string | null = null;
  if (political) [status, since] = ['held', political.start];
  else if (died) [status, since] = ['died', died.start];
  else if (released) [status, since] = [lastExit?.type === 'expelled' ? 'expelled' : 'released', released.start];
  const articles = new Set<string>();
  for (const event of past) for (const article of JSON.parse(event.articles) as string[]) articles.add(article);
  const sentence = [...past].reverse().find((event) => event.type === 'sentenced');
  const placed = [...past].reverse().find((event) => event.facility_id !== null);
  const inCustody = holds('custody');
  return {
    status,
    status_since: since,
    recognized_on: past.find((event) => event.type === 'recognized')?.date ?? null,
    articles: [...articles].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    facility_id: inCustody && placed ? placed.facility_id : null,
    expelled_to: status === 'expelled' ? (lastExit?.country ?? null) : null,
    term_months: sentence?.term_months ?? null,
    regime: sentence?.regime ?? null,
    last_event: past.at(-1)?.date ?? null,
  };
}

async function publicEvents(store: Store, ownerOf: Map<number, number>): Promise<Map<number, PublicEvent[]>> {
  const rows = await store.db
    .selectFrom('event')
    .select(['id', 'person_id', 'type', 'date', 'facility_id', 'articles', 'term_months', 'regime', 'country', 'confidentiality'])
    .where('person_id', 'in', [...ownerOf.keys()])
    .execute();
  const byPerson = new Map<number, PublicEvent[]>();
  for (const row of rows) {
    // The people here have consent; the event's own level decides.
    if (!maySee(PUBLIC, { level: row.confidentiality, consent: true }) || !isEventType(row.type)) continue;
    const owner = ownerOf.get(row.person_id)!;
    const list = byPerson.get(owner) ?? [];
    list.push({ type: row.type, date: row.date, seq: row.id, facility_id: row.facility_id, articles: row.articles, term_months: row.term_months, regime: row.regime, country: row.country });
    byPerson.set(owner, list);
  }
  return byPerson;
}

/** The published people among `ids` (records merged into them count as them), as the public sees them. */
async function publishedPeople(store: Store, ids: readonly number[], day: string): Promise<PublicPerson[]> {
  const people: PublicPerson[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    await letOthersIn();
    const chunk = ids.slice(i, i + CHUNK);
    // Records merged into these people are the same people: their events count for them.
    const merged = await store.db.selectFrom('person').select(['id', 'merged_into']).where('merged_into', 'in', chunk).execute();
    const ownerOf = new Map<number, number>([...chunk.map((id) => [id, id] as const), ...merged.map((row) => [row.id, row.merged_into!] as const)]);
    const events = await publicEvents(store, ownerOf);
    for (const record of await personsByIds(store.db, chunk)) {
      const { view } = presentPerson(PUBLIC, record);
      if (!view) continue;
      people.push({
        id: view.id, external_id: view.external_id, names: view.names,
        birth_date: view.birth_date ?? null, gender: view.gender ?? null, region: view.region ?? null, occupation: view.occupation ?? null,
        biography: view.biography ?? {},
        ...summarise(events.get(view.id) ?? [], day),
      });
    }
  }
  return people;
}

/** The ids the policy may let through (a narrowing for speed; presentPerson decides). */
async function candidateIds(store: Store, within?: readonly number[]): Promise<number[]> {
  let query = store.db.selectFrom('person').select('id').where('publish', '=', 1).where('confidentiality', '=', 'public').where('merged_into', 'is', null);
  if (within) {
    if (within.length === 0) return [];
    query = query.where('id', 'in', [...within]);
  }
  return (await query.orderBy('id').execute()).map((row) => row.id);
}

interface Built {
  registry: PublicRegistry;
  marks: DataMarks;
  day: string;
  /** Per-language names and order, as far as they were worked out (an update carries them over). */
  shown: Map<SiteLang, Map<number, ShownName>>;
  order: Map<SiteLang, PublicPerson[]>;
}

/**
 * What a patched registry takes over from the one it was patched from. Only these, never the previous
 * Built itself: the closures below live as long as the registry, and holding the previous Built would
 * keep every registry ever built alive, each through the next.
 */
interface Carried {
  shown: Map<SiteLang, Map<number, ShownName>>;
  order: Map<SiteLang, PublicPerson[]>;
  byId: Map<number, PublicPerson>;
  byExternalId: Map<string, PublicPerson>;
  changed: Set<number>;
  /** The changed people as they are now (those still published). */
  fresh: PublicPerson[];
}

/** The previous registry's lookup by id and by external id, with the changed people taken out and put back as they are now. */
function patchedLookups(previous: Carried): { byId: Map<number, PublicPerson>; byExternalId: Map<string, PublicPerson> } {
  const byId = new Map(previous.byId);
  const byExternalId = new Map(previous.byExternalId);
  for (const id of previous.changed) {
    const before = byId.get(id);
    if (!before) continue;
    byId.delete(id);
    if (byExternalId.get(before.external_id) === before) byExternalId.delete(before.external_id);
  }
  for (const person of previous.fresh) {
    byId.set(person.id, person);
    byExternalId.set(person.external_id, person);
  }
  return { byId, byExternalId };
}

/** A language's shown names of `people`, pausing every NAME_STEP people. */
function* namesOf(lang: SiteLang, people: readonly PublicPerson[]): Steps<Map<number, ShownName>> {
  const map = new Map<number, ShownName>();
  yield* eachInSteps(people.length, NAME_STEP, (i) => map.set(people[i]!.id, nameFor(lang, people[i]!.names)));
  return map;
}

/**
 * People in the order of their shown names, then by id: the order `compare` in `assemble` gives. The
 * collator compares each distinct name only (many people share a name; sorting 880k people with it took
 * 13 s), pausing as it goes; the people are then placed by their name's rank, names the collator finds
 * equal sharing one — a counting sort, which keeps the id order of `people` within a rank.
 */
function* byName(people: readonly PublicPerson[], names: Map<number, ShownName>, collator: Intl.Collator): Steps<PublicPerson[]> {
  const inIdOrder = people.every((person, i) => i === 0 || people[i - 1]!.id < person.id) ? people : [...people].sort((a, b) => a.id - b.id);
  const keyOf = (person: PublicPerson) => names.get(person.id)!.sortKey;
  const distinct = new Set<string>();
  yield* eachInSteps(inIdOrder.length, ORDER_STEP, (i) => distinct.add(keyOf(inIdOrder[i]!)));
  const keys = yield* sortedInSteps([...distinct], collator.compare);
  const rank = new Map<string, number>();
  yield* eachInSteps(keys.length, ORDER_STEP, (i) => rank.set(keys[i]!, i > 0 && collator.compare(keys[i - 1]!, keys[i]!) === 0 ? rank.get(keys[i - 1]!)! : i));
  // A counting sort: how many people each rank has, then where each rank starts.
  const ranks = new Array<number>(inIdOrder.length);
  const next = new Array<number>(keys.length + 1).fill(0);
  yield* eachInSteps(inIdOrder.length, ORDER_STEP, (i) => {
    ranks[i] = rank.get(keyOf(inIdOrder[i]!))!;
    next[ranks[i]! + 1]! += 1;
  });
  for (let r = 1; r <= keys.length; r++) next[r]! += next[r - 1]!;
  const ordered = new Array<PublicPerson>(inIdOrder.length);
  yield* eachInSteps(inIdOrder.length, ORDER_STEP, (i) => (ordered[next[ranks[i]!]!++] = inIdOrder[i]!));
  return ordered;
}

const collatorFor = (lang: SiteLang) => new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
const listed = (people: readonly PublicPerson[]) => people.filter((person) => person.status !== null);

function assemble(people: PublicPerson[], facilities: Map<number, FacilityRow>, demo: boolean, marks: DataMarks, day: string, previous?: Carried): Built {
  const shown = new Map<SiteLang, Map<number, ShownName>>();
  const order = new Map<SiteLang, PublicPerson[]>();
  const { byId, byExternalId } = previous
    ? patchedLookups(previous)
    : { byId: new Map(people.map((person) => [person.id, person])), byExternalId: new Map(people.map((person) => [person.external_id, person])) };
  const names = (lang: SiteLang) => {
    let map = shown.get(lang);
    if (map) return map;
    const before = previous?.shown.get(lang);
    if (before) {
      // Only the people who changed need their names worked out again.
      map = new Map(before);
      for (const id of previous!.changed) map.delete(id);
      for (const person of previous!.fresh) map.set(person.id, nameFor(lang, person.names));
    } else map = allAtOnce(namesOf(lang, people));
    shown.set(lang, map);
    return map;
  };
  const ordered = (lang: SiteLang) => {
    let list = order.get(lang);
    if (list) return list;
    const collator = collatorFor(lang);
    const map = names(lang);
    const compare = (a: PublicPerson, b: PublicPerson) => collator.compare(map.get(a.id)!.sortKey, map.get(b.id)!.sortKey) || a.id - b.id;
    const before = previous?.order.get(lang);
    if (before) {
      // Keep the sorted list and move only the changed people: sorting 100k names again takes seconds.
      list = before.filter((person) => !previous!.changed.has(person.id));
      for (const id of previous!.changed) {
        const person = byId.get(id);
        if (!person || person.status === null) continue;
        let low = 0;
        let high = list.length;
        while (low < high) {
          const middle = (low + high) >> 1;
          if (compare(list[middle]!, person) < 0) low = middle + 1;
          else high = middle;
        }
        list.splice(low, 0, person);
      }
    } else list = allAtOnce(byName(listed(people), map, collator));
    order.set(lang, list);
    return list;
  };
  const preparing = new Map<SiteLang, Promise<void>>();
  const prepare = (lang: SiteLang) => {
    let done = preparing.get(lang);
    if (!done) preparing.set(lang, (done = workOut(lang)));
    return done;
  };
  const workOut = async (lang: SiteLang) => {
    if (!shown.has(lang) && !previous?.shown.has(lang)) {
      const map = await stepByStep(namesOf(lang, people));
      // A page may have asked for them meanwhile: keep the names its order was made from.
      if (!shown.has(lang)) shown.set(lang, map);
    }
    await letOthersIn();
    if (!order.has(lang) && !previous?.order.has(lang)) {
      const list = await stepByStep(byName(listed(people), names(lang), collatorFor(lang)));
      if (!order.has(lang)) order.set(lang, list);
    }
    ordered(lang);
  };
  const registry: PublicRegistry = {
    stamp: `${marks.changes}.${marks.imports}`, today: day, people, facilities, demo,
    byExternalId, byId, names, ordered, prepare,
  };
  return { registry, marks, day, shown, order };
}

async function facilitiesOf(store: Store): Promise<Map<number, FacilityRow>> {
  return new Map((await store.db.selectFrom('facility').selectAll().execute()).map((row) => [row.id, row]));
}

async function build(store: Store, marks: DataMarks, day: string): Promise<Built> {
  const people = await publishedPeople(store, await candidateIds(store), day);
  return assemble(people, await facilitiesOf(store), await holdsDemoData(store), marks, day);
}

/** Past this many changed people, building from scratch is as quick as patching. */
const UPDATE_LIMIT = 20_000;

/** The previous registry with only the people who changed since it was built worked out again. */
async function update(store: Store, base: Built, marks: DataMarks): Promise<Built> {
  const changed = await peopleChangedBetween(store.db, base.marks, marks, UPDATE_LIMIT);
  if (changed === null) return build(store, marks, base.day);
  // A change to a merged record changes the person it was merged into, and the other way round.
  const related = changed.size
    ? await store.db.selectFrom('person').select(['id', 'merged_into']).where((eb) => eb.or([eb('id', 'in', [...changed]), eb('merged_into', 'in', [...changed])])).execute()
    : [];
  for (const row of related) {
    changed.add(row.id);
    if (row.merged_into !== null) changed.add(row.merged_into);
  }
  const fresh = await publishedPeople(store, await candidateIds(store, [...changed]), base.day);
  const people = base.registry.people.filter((person) => !changed.has(person.id)).concat(fresh).sort((a, b) => a.id - b.id);
  const { byId, byExternalId } = base.registry;
  return assemble(people, await facilitiesOf(store), base.registry.demo, marks, base.day, { shown: base.shown, order: base.order, byId, byExternalId, changed, fresh });
}

interface State {
  /** The newest registry built. */
  last?: Built;
  /** The build or update under way, shared by every request that needs it. */
  pending?: { key: string; day: string; promise: Promise<Built> };
}

const states = new WeakMap<Store, State>();
const keyOf = (marks: DataMarks, day: string) => `${marks.changes}.${marks.imports}|${day}`;
const newer = (a: DataMarks, b: DataMarks) => a.changes >= b.changes && a.imports >= b.imports;

/**
 * The public registry as of now. After a change only the people concerned are worked out again, so
 * the next request sees the change without waiting for the whole registry; a new day needs everything
 * again (statuses change with the date), and meanwhile yesterday's registry keeps serving.
 */
export async function publicRegistry(store: Store, day: string = todayDate()): Promise<PublicRegistry> {
  const marks = await dataMarks(store.db);
  const key = keyOf(marks, day);
  let state = states.get(store);
  if (!state) states.set(store, (state = {}));
  const { last } = state;
  if (last && keyOf(last.marks, last.day) === key) return last.registry;
  if (state.pending?.key !== key) {
    // Start from the newest registry of the same day: the last one, or the one still being built.
    const base = last && last.day === day ? Promise.resolve(last) : state.pending?.day === day ? state.pending.promise : undefined;
    const promise = base ? base.then((built) => update(store, built, marks), () => build(store, marks, day)) : build(store, marks, day);
    const pending = { key, day, promise };
    state.pending = pending;
    promise.then(
      (built) => {
        if (!state.last || newer(built.marks, state.last.marks) || built.day > state.last.day) state.last = built;
        if (state.pending === pending) state.pending = undefined;
      },
      () => {
        if (state.pending === pending) state.pending = undefined;
      },
    );
  }
  if (last && last.day < day) return last.registry;
  return (await state.pending!.promise).registry;
}
