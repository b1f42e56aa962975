/**
 * What one viewer may see among the people, cases, events, officials, facilities and sources that
 * accountability records refer to, loaded once for a set of records. Every decision is policy.ts's:
 * a case or event needs its person and its own level, an official or a source its own level.
 */
import type { Level } from '../../domain/confidentiality.js';
import { maySee, type Viewer } from '../../domain/policy.js';
import type { Executor } from '../../store/history.repository.js';
import { personsByIds, type PersonRecord } from '../../store/person.repository.js';
import type { FacilityRow } from '../../store/schema.js';
import { presentPerson } from '../persons/person.presenter.js';
import { nameFor } from '../public/public-names.js';

export interface SeenPerson {
  id: number;
  external_id: string;
  /** The name as the viewer may see it (English form for reports). */
  name: string;
  record: PersonRecord;
  restricted: boolean;
}

export interface SeenCase {
  id: number;
  person_id: number;
  case_number: string | null;
  articles: string[];
  court: string | null;
  judge: string | null;
  prosecutor: string | null;
  verdict_date: string | null;
  term_months: number | null;
  regime: string | null;
  level: Level;
}

export interface SeenEvent {
  id: number;
  person_id: number;
  type: string;
  date: string;
  facility_id: number | null;
  level: Level;
}

export interface SeenOfficial {
  id: number;
  name: string;
  name_latin: string | null;
  role: string;
  institution: string | null;
  institution_kind: string;
  facility_id: number | null;
  level: Level;
}

export interface SeenSource {
  id: number;
  kind: string;
  url: string | null;
  title: string | null;
  citation: string | null;
  published_date: string | null;
  level: Level;
}

export interface Sight {
  viewer: Viewer;
  /** Visible people only. */
  people: Map<number, SeenPerson>;
  cases: Map<number, SeenCase>;
  events: Map<number, SeenEvent>;
  officials: Map<number, SeenOfficial>;
  sources: Map<number, SeenSource>;
  /** Facilities have no level: where people are held is public information. */
  facilities: Map<number, FacilityRow>;
}

export interface Refs {
  personIds?: Iterable<number>;
  caseIds?: Iterable<number>;
  eventIds?: Iterable<number>;
  officialIds?: Iterable<number>;
  sourceIds?: Iterable<number>;
  facilityIds?: Iterable<number>;
}

const CHUNK = 500;

async function inChunks<T>(ids: Iterable<number>, load: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const all = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < all.length; i += CHUNK) out.push(...(await load(all.slice(i, i + CHUNK))));
  return out;
}

async function seenPeople(db: Executor, viewer: Viewer, ids: Iterable<number>): Promise<Map<number, SeenPerson>> {
  const people = new Map<number, SeenPerson>();
  for (const record of await inChunks(ids, (chunk) => personsByIds(db, chunk))) {
    const { view } = presentPerson(viewer, record);
    if (!view) continue;
    people.set(record.id, { id: record.id, external_id: record.external_id, name: nameFor('en', view.names).text || record.external_id, record, restricted: record.confidentiality === 'restricted' });
  }
  return people;
}

/** Loads the records referred to, and keeps those the viewer may see (people of cases and events included). */
export async function loadSight(db: Executor, viewer: Viewer, refs: Refs): Promise<Sight> {
  const caseRows = await inChunks(refs.caseIds ?? [], (chunk) => db.selectFrom('legal_case').selectAll().where('id', 'in', chunk).execute());
  const eventRows = await inChunks(refs.eventIds ?? [], (chunk) => db.selectFrom('event').select(['id', 'person_id', 'type', 'date', 'facility_id', 'confidentiality']).where('id', 'in', chunk).execute());
  const personIds = new Set([...(refs.personIds ?? []), ...caseRows.map((row) => row.person_id), ...eventRows.map((row) => row.person_id)]);
  const people = await seenPeople(db, viewer, personIds);
  const withPerson = (personId: number, level: Level) => {
    const person = people.get(personId);
    return person !== undefined && maySee(viewer, { level, consent: person.record.publish });
  };
  const cases = new Map<number, SeenCase>();
  for (const row of caseRows) {
    if (!withPerson(row.person_id, row.confidentiality)) continue;
    const { articles, confidentiality, ...rest } = row;
    cases.set(row.id, {
      id: rest.id, person_id: rest.person_id, case_number: rest.case_number, articles: JSON.parse(articles) as string[], court: rest.court, judge: rest.judge,
      prosecutor: rest.prosecutor, verdict_date: rest.verdict_date, term_months: rest.term_months, regime: rest.regime, level: confidentiality,
    });
  }
  const events = new Map<number, SeenEvent>();
  for (const row of eventRows) {
    if (withPerson(row.person_id, row.confidentiality)) events.set(row.id, { id: row.id, person_id: row.person_id, type: row.type, date: row.date, facility_id: row.facility_id, level: row.confidentiality });
  }
  const officials = new Map<number, SeenOfficial>();
  for (const row of await inChunks(refs.officialIds ?? [], (chunk) => db.selectFrom('official').selectAll().where('id', 'in', chunk).execute())) {
    if (!maySee(viewer, { level: row.confidentiality, consent: true })) continue;
    officials.set(row.id, { id: row.id, name: row.name, name_latin: row.name_latin, role: row.role, institution: row.institution, institution_kind: row.institution_kind, facility_id: row.facility_id, level: row.confidentiality });
  }
  const sources = new Map<number, SeenSource>();
  for (const row of await inChunks(refs.sourceIds ?? [], (chunk) => db.selectFrom('source').selectAll().where('id', 'in', chunk).execute())) {
    if (!maySee(viewer, { level: row.confidentiality, consent: true })) continue;
    sources.set(row.id, { id: row.id, kind: row.kind, url: row.url, title: row.title, citation: row.citation, published_date: row.published_date, level: row.confidentiality });
  }
  const facilityIds = new Set([...(refs.facilityIds ?? []), ...[...officials.values()].flatMap((o) => (o.facility_id === null ? [] : [o.facility_id])), ...[...events.values()].flatMap((e) => (e.facility_id === null ? [] : [e.facility_id]))]);
  const facilities = new Map((await inChunks(facilityIds, (chunk) => db.selectFrom('facility').selectAll().where('id', 'in', chunk).execute())).map((row) => [row.id, row]));
  return { viewer, people, cases, events, officials, sources, facilities };
}
