/**
 * Export in the import formats of DOMAIN.md, so an export imports back unchanged. Streams page by page
 * (keyset on id), whatever the size of the store. `publicOnly` keeps only people with publication consent
 * and values marked public; it is what open data is built from.
 */
import { sql } from 'kysely';
import type { Store } from '../../store/connection.js';
import { personsByIds } from '../../store/person.repository.js';
import type { NameVariant } from '../../store/person.repository.js';
import type { Level } from '../../domain/confidentiality.js';
import { maySee, OPERATOR, PUBLIC } from '../../domain/policy.js';
import { presentPerson } from '../persons/person.presenter.js';

import { EVENT_COLUMNS, FACILITY_COLUMNS, PERSON_COLUMNS } from '../import/rows.js';

export type ExportKind = 'persons' | 'events' | 'facilities';
export type ExportValue = string | number | string[] | null;
export type ExportRow = Record<string, ExportValue>;

export const EXPORT_COLUMNS: Record<ExportKind, readonly string[]> = {
  persons: PERSON_COLUMNS,
  events: EVENT_COLUMNS,
  facilities: FACILITY_COLUMNS,
};

export interface ExportOptions {
  publicOnly?: boolean;
  pageSize?: number;
}

function nameColumns(names: NameVariant[]): ExportRow {
  const row: ExportRow = {};
  for (const name of names) {
    if (name.script === 'Cyrl' && (name.lang === 'be' || name.lang === 'ru') && row[`family_name_${name.lang}`] === undefined) {
      row[`family_name_${name.lang}`] = name.family;
      row[`given_name_${name.lang}`] = name.given;
      row[`patronymic_${name.lang}`] = name.patronymic;
    }
    if (name.script === 'Latn' && name.lang === null && row.name_latin === undefined) {
      row.name_latin = name.full_name ?? [name.given, name.family].filter(Boolean).join(' ');
    }
  }
  return row;
}

async function* persons(store: Store, options: ExportOptions): AsyncGenerator<ExportRow> {
  const pageSize = options.pageSize ?? 1000;
  const viewer = options.publicOnly ? PUBLIC : OPERATOR;
  let after = 0;
  for (;;) {
    let query = store.db.selectFrom('person').select('id').where('id', '>', after).orderBy('id').limit(pageSize);
    // A narrowing for speed only; what may be shown is decided by the policy below.
    if (options.publicOnly) query = query.where('publish', '=', 1);
    const ids = (await query.execute()).map((row) => row.id);
    if (ids.length === 0) return;
    for (const person of await personsByIds(store.db, ids)) {
      const { view } = presentPerson(viewer, person);
      if (!view) continue;
      yield {
        external_id: view.external_id,
        ...nameColumns(view.names),
        birth_date: view.birth_date ?? null,
        gender: view.gender ?? null,
        region: view.region ?? null,
        occupation: view.occupation ?? null,
        tags: view.tags ?? [],
        publish: view.publish ? 'yes' : 'no',
      };
    }
    after = ids.at(-1)!;
  }
}

/** The policy's answer for the public: the person's record and the event itself must both be public, with consent. */
function publicEvent(event: { confidentiality: Level; person_confidentiality: Level; publish: number; merged_into: number | null }): boolean {
  const consent = event.publish === 1;
  return event.merged_into === null && maySee(PUBLIC, { level: event.person_confidentiality, consent }) && maySee(PUBLIC, { level: event.confidentiality, consent });
}

/**
 * The source URL each event cites (the smallest, so an export is stable); for the public only sources
 * the policy lets the public see — an internal source's link must not ride along with a public event.
 */
async function firstSourceUrls(store: Store, eventIds: readonly number[], publicOnly: boolean): Promise<Map<number, string>> {
  const first = new Map<number, string>();
  if (eventIds.length === 0) return first;
  const rows = await store.db
    .selectFrom('event_source')
    .innerJoin('source', 'source.id', 'event_source.source_id')
    .select(['event_source.event_id', 'source.url', 'source.confidentiality'])
    .where('event_source.event_id', 'in', [...eventIds])
    .where('source.url', 'is not', null)
    .execute();
  for (const row of rows) {
    if (publicOnly && !maySee(PUBLIC, { level: row.confidentiality, consent: true })) continue;
    const known = first.get(row.event_id);
    if (known === undefined || row.url! < known) first.set(row.event_id, row.url!);
  }
  return first;
}

async function* events(store: Store, options: ExportOptions): AsyncGenerator<ExportRow> {
  const pageSize = options.pageSize ?? 5000;
  let after = 0;
  for (;;) {
    let query = store.db
      .selectFrom('event')
      .innerJoin('person', 'person.id', 'event.person_id')
      .leftJoin('facility', 'facility.id', 'event.facility_id')
      .select([
        'event.id', 'person.external_id', 'event.type', 'event.date', 'facility.name as facility', 'event.articles',
        'event.term_months', 'event.regime', 'event.reason', 'event.country', 'event.organization', 'event.note',
        'event.confidentiality', 'person.confidentiality as person_confidentiality', 'person.publish', 'person.merged_into',
      ])
      .where('event.id', '>', after)
      .orderBy('event.id')
      .limit(pageSize);
    // A narrowing for speed only; what may be shown is decided by the policy below.
    if (options.publicOnly) query = query.where('person.publish', '=', 1);
    const page = await query.execute();
    if (page.length === 0) return;
    const sourceUrls = await firstSourceUrls(store, page.map((event) => event.id), options.publicOnly === true);
    for (const event of page) {
      if (options.publicOnly && !publicEvent(event)) continue;
      yield {
        person_external_id: event.external_id,
        type: event.type,
        date: event.date,
        facility: event.facility,
        articles: JSON.parse(event.articles) as string[],
        term_months: event.term_months,
        regime: event.regime,
        reason: event.reason,
        country: event.country,
        organization: event.organization,
        note: options.publicOnly ? null : event.note,
        source_url: sourceUrls.get(event.id) ?? null,
      };
    }
    after = page.at(-1)!.id;
  }
}

async function* facilities(store: Store): AsyncGenerator<ExportRow> {
  const rows = await store.db.selectFrom('facility').selectAll().orderBy('name').execute();
  for (const row of rows) {
    yield { name: row.name, type: row.type, address: row.address, region: row.region, lat: row.lat, lon: row.lon };
  }
}

export function exportRows(store: Store, kind: ExportKind, options: ExportOptions = {}): AsyncGenerator<ExportRow> {
  if (kind === 'persons') return persons(store, options);
  if (kind === 'events') return events(store, options);
  return facilities(store);
}

/** A value as a CSV cell: lists joined with ";", nothing as an empty cell. */
export function csvCell(value: ExportValue | undefined): string {
  if (value === null || value === undefined) return '';
  return Array.isArray(value) ? value.join(';') : String(value);
}
