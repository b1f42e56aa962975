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
import { dataStamp } from '../../store/history.repository.js';
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
}

interface PublicEvent extends CustodyEvent {
  facility_id: number | null;
  articles: string;
  term_months: number | null;
  regime: string | null;
  country: string | null;
}

const CHUNK = 1000;

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

async function build(store: Store, stamp: string, day: string): Promise<PublicRegistry> {
  const people: PublicPerson[] = [];
  let after = 0;
  for (;;) {
    const ids = (await store.db
      .selectFrom('person')
      .select('id')
      .where('publish', '=', 1)
      .where('confidentiality', '=', 'public')
      .where('merged_into', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .execute()).map((row) => row.id);
    if (ids.length === 0) break;
    after = ids.at(-1)!;
    // Records merged into these people are the same people: their events count for them.
    const merged = await store.db.selectFrom('person').select(['id', 'merged_into']).where('merged_into', 'in', ids).execute();
    const ownerOf = new Map<number, number>([...ids.map((id) => [id, id] as const), ...merged.map((row) => [row.id, row.merged_into!] as const)]);
    const events = await publicEvents(store, ownerOf);
    for (const record of await personsByIds(store.db, ids)) {
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
  people.sort((a, b) => a.id - b.id);
  const facilities = new Map((await store.db.selectFrom('facility').selectAll().execute()).map((row) => [row.id, row]));
  const shown = new Map<SiteLang, Map<number, ShownName>>();
  const order = new Map<SiteLang, PublicPerson[]>();
  const names = (lang: SiteLang) => {
    let map = shown.get(lang);
    if (!map) shown.set(lang, (map = new Map(people.map((person) => [person.id, nameFor(lang, person.names)]))));
    return map;
  };
  return {
    stamp, today: day, people, facilities, demo: await holdsDemoData(store),
    byExternalId: new Map(people.map((person) => [person.external_id, person])),
    byId: new Map(people.map((person) => [person.id, person])),
    names,
    ordered(lang) {
      let list = order.get(lang);
      if (!list) {
        const collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
        const map = names(lang);
        list = people.filter((person) => person.status !== null).sort((a, b) => collator.compare(map.get(a.id)!.sortKey, map.get(b.id)!.sortKey) || a.id - b.id);
        order.set(lang, list);
      }
      return list;
    },
  };
}

const cache = new WeakMap<Store, { key: string; registry: Promise<PublicRegistry> }>();

/**
 * The public registry as of now. Rebuilt when the data changed (change log or import) or the day
 * turned; concurrent requests share one rebuild.
 */
export async function publicRegistry(store: Store, day: string = todayDate()): Promise<PublicRegistry> {
  const stamp = await dataStamp(store.db);
  const key = `${stamp}|${day}`;
  const cached = cache.get(store);
  if (cached && cached.key === key) return cached.registry;
  const registry = build(store, stamp, day);
  cache.set(store, { key, registry });
  registry.catch(() => {
    if (cache.get(store)?.registry === registry) cache.delete(store);
  });
  return registry;
}
