/**
 * Vigil's open data (DOMAIN.md, "Interchange with the field"): published people as JSON with Popolo's
 * field names where they fit and as a flat CSV, and their public events as a CSV in the HURIDOCS spirit
 * (who, what happened, when, where, according to which source).
 *
 * Everything per person comes from the public registry, which already applied the policy (consent,
 * public record, not merged away, each field and name on its own level). Events, deals and sources then
 * pass the policy on their own level. Event notes are left out: they are the documenters' working notes
 * (see events/event.presenter.ts), as in `vigil export --public`. Only the totals count everyone.
 *
 * The files are produced person by person, so neither memory nor the time to the first byte grows with
 * the size of the registry.
 */
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Counts } from '../../domain/counting.js';
import { isEventType, sortEvents } from '../../domain/custody.js';
import { EVENT_TYPES, GENDERS, REGIMES, RELEASE_REASONS, type EventType } from '../../domain/event-types.js';
import { maySee, PUBLIC } from '../../domain/policy.js';
import type { Store } from '../../store/connection.js';
import type { NameVariant } from '../../store/person.repository.js';
import { csvCell, type ExportValue } from '../export/export.service.js';
import { nameFor } from '../public/public-names.js';
import { PUBLIC_STATUSES, type PublicPerson, type PublicRegistry, type PublicStatus } from '../public/public-registry.service.js';

/**
 * THE LICENCE OF THE OPEN DATA — configurable by the organisation running Vigil.
 * The project publishes its open data under CC BY 4.0; an organisation that needs another licence
 * changes this constant (the files, the /opendata page and docs/OPENDATA.md name it).
 */
export const OPEN_DATA_LICENCE = {
  id: 'CC-BY-4.0',
  name: 'Creative Commons Attribution 4.0 International (CC BY 4.0)',
  url: 'https://creativecommons.org/licenses/by/4.0/',
} as const;

/** Raised when the shape of the files changes, so clients holding an old copy fetch the new one. */
export const OPEN_DATA_FORMAT = 1;

export type FieldType = 'string' | 'integer' | 'partial_date' | 'string_list' | 'object' | 'object_list' | 'country' | 'url' | 'code';

export interface FieldSpec<N extends string = string> {
  name: N;
  type: FieldType;
  /** May be null (JSON) or an empty cell (CSV). */
  nullable: boolean;
  /** The closed vocabulary of a code field. */
  values?: readonly string[];
  /** The Popolo Person property the field is, when one fits. */
  popolo?: string;
}

const field = <N extends string>(name: N, type: FieldType, nullable: boolean, extra: Pick<FieldSpec, 'values' | 'popolo'> = {}): FieldSpec<N> => ({ name, type, nullable, ...extra });

export const WRAPPER_FIELDS = [
  field('schema', 'url', false),
  field('generated', 'string', false),
  field('as_of', 'string', false),
  field('license', 'object', false),
  field('totals', 'object', false),
  field('count', 'integer', false),
  field('persons', 'object_list', false),
] as const;

export const PERSON_JSON_FIELDS = [
  field('id', 'string', false, { popolo: 'id' }),
  field('name', 'string', false, { popolo: 'name' }),
  field('other_names', 'object_list', false, { popolo: 'other_names' }),
  field('identifiers', 'object_list', false, { popolo: 'identifiers' }),
  field('birth_date', 'partial_date', true, { popolo: 'birth_date' }),
  field('gender', 'code', true, { values: GENDERS, popolo: 'gender' }),
  field('region', 'string', true),
  field('status', 'code', true, { values: PUBLIC_STATUSES }),
  field('status_since', 'partial_date', true),
  field('recognized_on', 'partial_date', true),
  field('articles', 'string_list', false),
  field('facility', 'object', true),
  field('expelled_to', 'country', true),
  field('term_months', 'integer', true),
  field('regime', 'code', true, { values: REGIMES }),
  field('url', 'url', false),
] as const;

export const PERSON_CSV_COLUMNS = [
  field('id', 'string', false, { popolo: 'id' }),
  field('name', 'string', false, { popolo: 'name' }),
  field('other_names', 'string_list', true, { popolo: 'other_names[].name' }),
  field('birth_date', 'partial_date', true, { popolo: 'birth_date' }),
  field('gender', 'code', true, { values: GENDERS, popolo: 'gender' }),
  field('region', 'string', true),
  field('status', 'code', true, { values: PUBLIC_STATUSES }),
  field('status_since', 'partial_date', true),
  field('recognized_on', 'partial_date', true),
  field('articles', 'string_list', true),
  field('facility', 'string', true),
  field('expelled_to', 'country', true),
  field('term_months', 'integer', true),
  field('regime', 'code', true, { values: REGIMES }),
  field('url', 'url', false),
] as const;

export const EVENT_CSV_COLUMNS = [
  field('person_id', 'string', false),
  field('type', 'code', false, { values: EVENT_TYPES }),
  field('date', 'partial_date', false),
  field('facility', 'string', true),
  field('articles', 'string_list', true),
  field('term_months', 'integer', true),
  field('regime', 'code', true, { values: REGIMES }),
  field('reason', 'code', true, { values: RELEASE_REASONS }),
  field('country', 'country', true),
  field('organization', 'string', true),
  field('deal', 'string', true),
  field('source_url', 'url', true),
] as const;

/** The sub-objects of persons.json, for the documentation. */
export const SUB_OBJECTS = {
  other_names: ['name', 'family_name', 'given_name', 'patronymic_name', 'lang', 'script', 'note'],
  identifiers: ['scheme', 'identifier'],
  facility: ['name', 'type', 'region'],
  totals: ['date', 'in_custody', 'political_prisoners', 'released_political_prisoners', 'died_in_custody'],
  license: ['id', 'name', 'url'],
} as const;

type PersonJsonField = (typeof PERSON_JSON_FIELDS)[number]['name'];
type PersonCsvColumn = (typeof PERSON_CSV_COLUMNS)[number]['name'];
type EventCsvColumn = (typeof EVENT_CSV_COLUMNS)[number]['name'];

export interface OtherName {
  name: string;
  family_name?: string;
  given_name?: string;
  patronymic_name?: string;
  lang?: string;
  script?: string;
  note?: string;
}

export interface OpenDataPerson {
  id: string;
  name: string;
  other_names: OtherName[];
  identifiers: { scheme: 'vigil'; identifier: string }[];
  birth_date: string | null;
  gender: string | null;
  region: string | null;
  status: PublicStatus | null;
  status_since: string | null;
  recognized_on: string | null;
  articles: string[];
  facility: { name: string; type: string; region: string | null } | null;
  expelled_to: string | null;
  term_months: number | null;
  regime: string | null;
  url: string;
}

// The documented fields are exactly the fields of the file.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _documented: Same<keyof OpenDataPerson, PersonJsonField> = true;
void _documented;

/** Where the files point to: person pages and the schema documentation live under the site's origin. */
export interface OpenDataContext {
  registry: PublicRegistry;
  origin: string;
}

export const personUrl = (origin: string, externalId: string) => `${origin}/prisoners/${encodeURIComponent(externalId)}`;

function otherName(variant: NameVariant): OtherName {
  const entry: OtherName = { name: nameFor('be', [variant]).text };
  if (variant.family) entry.family_name = variant.family;
  if (variant.given) entry.given_name = variant.given;
  if (variant.patronymic) entry.patronymic_name = variant.patronymic;
  if (variant.lang) entry.lang = variant.lang;
  if (variant.script) entry.script = variant.script;
  if (variant.romanization) entry.note = `romanization: ${variant.romanization}`;
  return entry;
}

/** One published person as persons.json has them (names and fields already filtered by the registry). */
export function openDataPerson({ registry, origin }: OpenDataContext, person: PublicPerson): OpenDataPerson {
  const facility = person.facility_id === null ? undefined : registry.facilities.get(person.facility_id);
  return {
    id: person.external_id,
    // The Belarusian form the site shows first; every recorded spelling is in other_names.
    name: registry.names('be').get(person.id)?.text ?? nameFor('be', person.names).text,
    other_names: person.names.map(otherName),
    identifiers: [{ scheme: 'vigil', identifier: person.external_id }],
    birth_date: person.birth_date,
    gender: person.gender,
    region: person.region,
    status: person.status,
    status_since: person.status_since,
    recognized_on: person.recognized_on,
    articles: person.articles,
    facility: facility ? { name: facility.name, type: facility.type, region: facility.region } : null,
    expelled_to: person.expelled_to,
    term_months: person.term_months,
    regime: person.regime,
    url: personUrl(origin, person.external_id),
  };
}

export type CsvRow<C extends string> = Record<C, ExportValue>;

function personCsvRow(person: OpenDataPerson): CsvRow<PersonCsvColumn> {
  return {
    id: person.id, name: person.name, other_names: person.other_names.map((entry) => entry.name),
    birth_date: person.birth_date, gender: person.gender, region: person.region,
    status: person.status, status_since: person.status_since, recognized_on: person.recognized_on, articles: person.articles,
    facility: person.facility?.name ?? null, expelled_to: person.expelled_to, term_months: person.term_months, regime: person.regime, url: person.url,
  };
}

export function* personCsvRows(context: OpenDataContext): Generator<CsvRow<PersonCsvColumn>> {
  for (const person of context.registry.people) yield personCsvRow(openDataPerson(context, person));
}

const JSON_BATCH = 200;

/** persons.json in pieces: the envelope, then the people a batch at a time. */
export function* personsJsonChunks(context: OpenDataContext, totals: Counts, generated: string): Generator<string> {
  const { registry, origin } = context;
  const head = {
    schema: `${origin}/opendata`,
    generated,
    as_of: registry.today,
    license: OPEN_DATA_LICENCE,
    totals,
    count: registry.people.length,
  };
  yield `${JSON.stringify(head).slice(0, -1)},"persons":[`;
  for (let i = 0; i < registry.people.length; i += JSON_BATCH) {
    const batch = registry.people.slice(i, i + JSON_BATCH).map((person) => JSON.stringify(openDataPerson(context, person)));
    yield `${i === 0 ? '\n' : ',\n'}${batch.join(',\n')}`;
  }
  yield '\n]}\n';
}

const EVENT_CHUNK = 500;
const SOURCE_CHUNK = 1000;

/** The first public source URL of each event (sources in the order they were recorded). */
async function publicSourceUrls(store: Store, eventIds: readonly number[]): Promise<Map<number, string>> {
  const urls = new Map<number, string>();
  for (let i = 0; i < eventIds.length; i += SOURCE_CHUNK) {
    const rows = await store.db
      .selectFrom('event_source')
      .innerJoin('source', 'source.id', 'event_source.source_id')
      .select(['event_source.event_id', 'source.url', 'source.confidentiality'])
      .where('event_source.event_id', 'in', eventIds.slice(i, i + SOURCE_CHUNK))
      .where('source.url', 'is not', null)
      .orderBy('source.id')
      .execute();
    for (const row of rows) {
      // Sources are not about one person: their own level decides, like a deal's.
      if (urls.has(row.event_id) || !maySee(PUBLIC, { level: row.confidentiality, consent: true })) continue;
      urls.set(row.event_id, row.url!);
    }
  }
  return urls;
}

async function eventsOfChunk(store: Store, people: readonly PublicPerson[]) {
  const ids = people.map((person) => person.id);
  // Records merged into these people are the same people: their events are theirs (as on the person page).
  const merged = await store.db.selectFrom('person').select(['id', 'merged_into']).where('merged_into', 'in', ids).execute();
  const ownerOf = new Map<number, number>([...ids.map((id) => [id, id] as const), ...merged.map((row) => [row.id, row.merged_into!] as const)]);
  const rows = await store.db
    .selectFrom('event')
    .leftJoin('facility', 'facility.id', 'event.facility_id')
    .leftJoin('release_deal', 'release_deal.id', 'event.deal_id')
    .select([
      'event.id', 'event.person_id', 'event.type', 'event.date', 'event.articles', 'event.term_months', 'event.regime', 'event.reason',
      'event.country', 'event.organization', 'event.confidentiality', 'facility.name as facility',
      'release_deal.slug as deal', 'release_deal.confidentiality as deal_level',
    ])
    .where('event.person_id', 'in', [...ownerOf.keys()])
    .execute();
  // These people gave consent (they are in the public registry); each event's own level decides.
  const visible = rows.filter((row) => isEventType(row.type) && maySee(PUBLIC, { level: row.confidentiality, consent: true }));
  return { ownerOf, visible: visible.map((row) => ({ ...row, type: row.type as EventType, seq: row.id })) };
}

/** events.csv: the public events of published people, person by person, each person's in date order. */
export async function* eventCsvRows(store: Store, registry: PublicRegistry): AsyncGenerator<CsvRow<EventCsvColumn>> {
  for (let i = 0; i < registry.people.length; i += EVENT_CHUNK) {
    const people = registry.people.slice(i, i + EVENT_CHUNK);
    const { ownerOf, visible } = await eventsOfChunk(store, people);
    const sources = await publicSourceUrls(store, visible.map((row) => row.id));
    const byOwner = new Map<number, typeof visible>();
    for (const row of visible) {
      const owner = ownerOf.get(row.person_id)!;
      const list = byOwner.get(owner);
      if (list) list.push(row);
      else byOwner.set(owner, [row]);
    }
    for (const person of people) {
      for (const event of sortEvents(byOwner.get(person.id) ?? [])) {
        yield {
          person_id: person.external_id,
          type: event.type,
          date: event.date,
          facility: event.facility,
          articles: JSON.parse(event.articles) as string[],
          term_months: event.term_months,
          regime: event.regime,
          reason: event.reason,
          country: event.country,
          organization: event.organization,
          deal: event.deal && event.deal_level && maySee(PUBLIC, { level: event.deal_level, consent: true }) ? event.deal : null,
          source_url: sources.get(event.id) ?? null,
        };
      }
    }
  }
}

/**
 * Open data is opened in spreadsheets by people who did not write it: a text that a spreadsheet would
 * run as a formula (=, +, @, a tab or CR first, or a minus before something that is not a number) gets
 * a leading apostrophe (OWASP's advice for CSV injection). Vigil's own exports keep values as stored,
 * since they must import back unchanged; these files are not for re-import.
 */
export function spreadsheetSafe(cell: string): string {
  return /^[=+@\t\r]|^-(?![\d.])/.test(cell) ? `'${cell}` : cell;
}

/**
 * Rows as an RFC 4180 CSV stream (UTF-8, header row, lists joined with ";"). A failure while reading
 * ends the stream and is passed to `onError` (the response is already under way by then).
 */
export function csvStream<C extends string>(columns: readonly FieldSpec<C>[], rows: Iterable<CsvRow<C>> | AsyncIterable<CsvRow<C>>, onError: (error: Error) => void): Readable {
  const names = columns.map((column) => column.name);
  async function* cells() {
    for await (const row of rows) yield names.map((name) => spreadsheetSafe(csvCell(row[name])));
  }
  const stringifier = stringify({ header: true, columns: names, record_delimiter: 'windows' });
  return pipeline(Readable.from(cells()), stringifier, (error) => {
    if (error) onError(error);
  });
}
