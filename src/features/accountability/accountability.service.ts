/**
 * Accountability reports: what is documented per official (perpetrator), per court and per place of
 * detention — the cases, events and violations, the people affected, the officials involved and the
 * sources cited. Built for one viewer from what the policy lets them see; the restricted records it
 * includes are returned so the caller can write the read to the audit trail.
 */
import { VIOLATION_TYPES, type ViolationType } from '../../domain/casework.js';
import { clearance as clearanceOf, maySee, type Viewer } from '../../domain/policy.js';
import type { Level } from '../../domain/confidentiality.js';
import { firstDay } from '../../domain/partial-date.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import type { OfficialLinkTable, ViolationTable } from '../../store/schema-casework.js';
import type { Selectable } from 'kysely';
import { holdsDemoData } from '../demo/demo.service.js';
import { loadSight, type SeenCase, type SeenEvent, type SeenOfficial, type Sight } from './sight.js';

export const REPORT_GROUPINGS = ['official', 'court', 'facility'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** What each kind of group says about itself (`ReportGroup.details`). */
export const GROUP_DETAILS: Record<ReportGrouping, readonly string[]> = {
  official: ['name_latin', 'role', 'institution', 'institution_kind'],
  court: [],
  facility: ['type', 'region', 'address'],
};

export interface ReportSource {
  kind: string;
  title: string | null;
  url: string | null;
  citation: string | null;
  published_date: string | null;
}

export interface ReportItem {
  kind: 'case' | 'event' | 'violation';
  id: number;
  person: { external_id: string; name: string };
  date: string | null;
  /** One line saying what it is (English). */
  summary: string;
  /** The part the official played in it (reports by official), or the officials' parts. */
  role: string | null;
  violation_type: ViolationType | null;
  /** A case's sentence. */
  term_months: number | null;
  description: string | null;
  officials: { name: string; role: string }[];
  facility: string | null;
  sources: ReportSource[];
  confidentiality: Level;
}

export type ReportCounts = { cases: number; events: number; violations: number; persons: number; term_months: number } & Record<ViolationType, number>;

export interface ReportGroup {
  key: string;
  name: string;
  /** What the group is: an official's role and institution, a facility's type and region. */
  details: Record<string, string | null>;
  officials: { name: string; role: string }[];
  counts: ReportCounts;
  items: ReportItem[];
}

export interface AccountabilityReport {
  by: ReportGrouping;
  generated_at: string;
  generator: string;
  scope: { clearance: Level; viewer: string; from: string | null; to: string | null; demo: boolean };
  groups: ReportGroup[];
}

export interface RestrictedRead {
  entity: string;
  id: number;
  fields: string[];
}

export interface ReportOptions {
  by: ReportGrouping;
  from?: string | undefined;
  to?: string | undefined;
}

type ViolationRow = Selectable<ViolationTable>;

interface Loaded {
  sight: Sight;
  links: Selectable<OfficialLinkTable>[];
  violations: ViolationRow[];
  violationOfficials: Map<number, number[]>;
  sourcesOf: Map<string, number[]>;
}

const sourceKey = (entity: string, id: number) => `${entity}:${id}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

async function load(db: Executor, viewer: Viewer): Promise<Loaded> {
  const links = await db.selectFrom('official_link').selectAll().execute();
  const violations = await db.selectFrom('violation').selectAll().orderBy('id').execute();
  const violationOfficials = new Map<number, number[]>();
  for (const row of await db.selectFrom('violation_official').selectAll().execute()) push(violationOfficials, row.violation_id, row.official_id);
  const sourcesOf = new Map<string, number[]>();
  for (const row of await db.selectFrom('source_link').selectAll().where('entity', 'in', ['case', 'violation']).execute()) push(sourcesOf, sourceKey(row.entity, row.entity_id), row.source_id);
  const courtCases = await db.selectFrom('legal_case').select('id').where('court', 'is not', null).execute();
  const eventIds = links.filter((link) => link.entity === 'event').map((link) => link.entity_id);
  for (const row of eventIds.length ? await db.selectFrom('event_source').selectAll().where('event_id', 'in', eventIds).execute() : []) push(sourcesOf, sourceKey('event', row.event_id), row.source_id);
  const officials = await db.selectFrom('official').select('id').execute();
  const sight = await loadSight(db, viewer, {
    personIds: violations.map((v) => v.person_id),
    caseIds: [...links.filter((link) => link.entity === 'case').map((link) => link.entity_id), ...courtCases.map((row) => row.id), ...violations.flatMap((v) => (v.case_id === null ? [] : [v.case_id]))],
    eventIds,
    officialIds: officials.map((row) => row.id),
    sourceIds: [...sourcesOf.values()].flat(),
    facilityIds: violations.flatMap((v) => (v.facility_id === null ? [] : [v.facility_id])),
  });
  return { sight, links, violations, violationOfficials, sourcesOf };
}

/** Builds items and keeps track of the restricted records they show. */
class ItemMaker {
  readonly restricted = new Map<string, RestrictedRead>();
  constructor(private readonly loaded: Loaded, private readonly period: { from: string | null; to: string | null }) {}

  private note(entity: string, id: number, field: string): void {
    const key = sourceKey(entity, id);
    const read = this.restricted.get(key) ?? { entity, id, fields: [] };
    if (!read.fields.includes(field)) read.fields.push(field);
    this.restricted.set(key, read);
  }

  /** Undated items are left out once a period is asked for: they cannot be placed in it. */
  inPeriod(date: string | null): boolean {
    const { from, to } = this.period;
    if (!from && !to) return true;
    if (!date) return false;
    return (!from || firstDay(date) >= from) && (!to || firstDay(date) <= to);
  }

  private person(personId: number): { external_id: string; name: string } {
    const person = this.loaded.sight.people.get(personId)!;
    if (person.restricted) this.note('person', person.id, 'person');
    return { external_id: person.external_id, name: person.name };
  }

  private sources(entity: string, id: number): ReportSource[] {
    return (this.loaded.sourcesOf.get(sourceKey(entity, id)) ?? []).flatMap((sourceId) => {
      const source = this.loaded.sight.sources.get(sourceId);
      if (!source) return [];
      if (source.level === 'restricted') this.note('source', source.id, 'source');
      return [{ kind: source.kind, title: source.title, url: source.url, citation: source.citation, published_date: source.published_date }];
    });
  }

  official(official: SeenOfficial): { name: string; role: string } {
    if (official.level === 'restricted') this.note('official', official.id, 'official');
    return { name: official.name, role: official.role };
  }

  caseItem(c: SeenCase, role: string | null): ReportItem {
    if (c.level === 'restricted') this.note('case', c.id, 'case');
    const sentence = c.term_months !== null ? `${c.term_months} months${c.regime ? `, ${c.regime.replaceAll('_', ' ')} regime` : ''}` : null;
    const summary = [`Case ${c.case_number ?? `#${c.id}`}`, c.articles.length ? `art. ${c.articles.join(', ')} Criminal Code` : null, c.court, sentence].filter(Boolean).join('; ');
    return {
      kind: 'case', id: c.id, person: this.person(c.person_id), date: c.verdict_date, summary, role, violation_type: null, term_months: c.term_months, description: null,
      officials: [c.judge ? { name: c.judge, role: 'judge' } : null, c.prosecutor ? { name: c.prosecutor, role: 'prosecutor' } : null].filter((o) => o !== null),
      facility: null, sources: this.sources('case', c.id), confidentiality: c.level,
    };
  }

  eventItem(e: SeenEvent, role: string | null): ReportItem {
    if (e.level === 'restricted') this.note('event', e.id, 'event');
    const facility = e.facility_id === null ? null : (this.loaded.sight.facilities.get(e.facility_id)?.name ?? null);
    return {
      kind: 'event', id: e.id, person: this.person(e.person_id), date: e.date, summary: `${e.type.replaceAll('_', ' ')}${facility ? ` at ${facility}` : ''}`,
      role, violation_type: null, term_months: null, description: null, officials: [], facility, sources: this.sources('event', e.id), confidentiality: e.level,
    };
  }

  /** The violation if the viewer may see it (its person and its level). */
  visibleViolation(v: ViolationRow): boolean {
    const person = this.loaded.sight.people.get(v.person_id);
    return person !== undefined && maySee(this.loaded.sight.viewer, { level: v.confidentiality, consent: person.record.publish }) && this.inPeriod(v.date);
  }

  violationItem(v: ViolationRow, role: string | null): ReportItem {
    if (v.confidentiality === 'restricted') this.note('violation', v.id, 'violation');
    const officials = (this.loaded.violationOfficials.get(v.id) ?? []).flatMap((id) => {
      const official = this.loaded.sight.officials.get(id);
      return official ? [this.official(official)] : [];
    });
    const facility = v.facility_id === null ? null : (this.loaded.sight.facilities.get(v.facility_id)?.name ?? null);
    const when = v.end_date ? ` until ${v.end_date}` : '';
    return {
      kind: 'violation', id: v.id, person: this.person(v.person_id), date: v.date, summary: `${v.type.replaceAll('_', ' ')}${facility ? ` at ${facility}` : ''}${when}`,
      role, violation_type: v.type as ViolationType, term_months: null, description: v.description, officials, facility, sources: this.sources('violation', v.id), confidentiality: v.confidentiality,
    };
  }
}

function countsOf(items: readonly ReportItem[]): ReportCounts {
  const counts = { cases: 0, events: 0, violations: 0, persons: new Set(items.map((item) => item.person.external_id)).size, term_months: 0 } as ReportCounts;
  for (const type of VIOLATION_TYPES) counts[type] = 0;
  for (const item of items) {
    if (item.kind === 'case') {
      counts.cases += 1;
      counts.term_months += item.term_months ?? 0;
    }
    if (item.kind === 'event') counts.events += 1;
    if (item.kind === 'violation') {
      counts.violations += 1;
      counts[item.violation_type!] += 1;
    }
  }
  return counts;
}

function byDate(a: ReportItem, b: ReportItem): number {
  return (a.date ?? '9999').localeCompare(b.date ?? '9999') || a.kind.localeCompare(b.kind) || a.id - b.id;
}

function group(key: string, name: string, details: Record<string, string | null>, officials: { name: string; role: string }[], items: ReportItem[]): ReportGroup {
  const unique = [...new Map(officials.map((o) => [`${o.name}|${o.role}`, o])).values()];
  const sorted = items.sort(byDate);
  return { key, name, details, officials: unique, counts: countsOf(sorted), items: sorted };
}

function byOfficial(loaded: Loaded, make: ItemMaker): ReportGroup[] {
  const { sight } = loaded;
  return [...sight.officials.values()].map((official) => {
    const items: ReportItem[] = [];
    for (const link of loaded.links.filter((l) => l.official_id === official.id)) {
      const c = link.entity === 'case' ? sight.cases.get(link.entity_id) : undefined;
      const e = link.entity === 'event' ? sight.events.get(link.entity_id) : undefined;
      if (c && make.inPeriod(c.verdict_date)) items.push(make.caseItem(c, link.role));
      if (e && make.inPeriod(e.date)) items.push(make.eventItem(e, link.role));
    }
    for (const v of loaded.violations) if ((loaded.violationOfficials.get(v.id) ?? []).includes(official.id) && make.visibleViolation(v)) items.push(make.violationItem(v, 'involved'));
    const facility = official.facility_id === null ? null : (sight.facilities.get(official.facility_id)?.name ?? null);
    make.official(official);
    return group(`official:${official.id}`, official.name, { name_latin: official.name_latin, role: official.role, institution: official.institution ?? facility, institution_kind: official.institution_kind }, [], items);
  });
}

function byCourt(loaded: Loaded, make: ItemMaker): ReportGroup[] {
  const { sight } = loaded;
  const courts = new Map<string, SeenCase[]>();
  for (const c of sight.cases.values()) if (c.court?.trim() && make.inPeriod(c.verdict_date)) push(courts, c.court.trim(), c);
  return [...courts].map(([court, cases]) => {
    const caseIds = new Set(cases.map((c) => c.id));
    const items = cases.map((c) => make.caseItem(c, null));
    for (const v of loaded.violations) if (v.case_id !== null && caseIds.has(v.case_id) && make.visibleViolation(v)) items.push(make.violationItem(v, null));
    const officials = items.flatMap((item) => item.officials);
    for (const link of loaded.links) {
      const official = sight.officials.get(link.official_id);
      if (official && link.entity === 'case' && caseIds.has(link.entity_id)) officials.push({ ...make.official(official), role: link.role });
    }
    for (const official of sight.officials.values()) if (official.institution_kind === 'court' && official.institution?.trim() === court) officials.push(make.official(official));
    return group(`court:${court}`, court, {}, officials, items);
  });
}

function byFacility(loaded: Loaded, make: ItemMaker): ReportGroup[] {
  const { sight } = loaded;
  const groups = new Map<number, { items: ReportItem[]; officials: { name: string; role: string }[] }>();
  const entry = (id: number) => {
    let found = groups.get(id);
    if (!found) groups.set(id, (found = { items: [], officials: [] }));
    return found;
  };
  for (const v of loaded.violations) if (v.facility_id !== null && make.visibleViolation(v)) {
    const item = make.violationItem(v, null);
    entry(v.facility_id).items.push(item);
    entry(v.facility_id).officials.push(...item.officials);
  }
  for (const official of sight.officials.values()) if (official.facility_id !== null) entry(official.facility_id).officials.push(make.official(official));
  return [...groups].flatMap(([id, { items, officials }]) => {
    const facility = sight.facilities.get(id);
    return facility ? [group(`facility:${id}`, facility.name, { type: facility.type, region: facility.region, address: facility.address }, officials, items)] : [];
  });
}

function checkPeriod(field: string, value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw errors.validation(`${field}: give a day as YYYY-MM-DD`);
  return value;
}

/** The report for `viewer`, and the restricted records it shows (for the audit trail). */
export async function accountabilityReport(store: Store, viewer: Viewer, options: ReportOptions): Promise<{ report: AccountabilityReport; restricted: RestrictedRead[] }> {
  if (!(REPORT_GROUPINGS as readonly string[]).includes(options.by)) throw errors.validation(`by: must be one of ${REPORT_GROUPINGS.join(', ')}`);
  const period = { from: checkPeriod('from', options.from), to: checkPeriod('to', options.to) };
  const loaded = await load(store.db, viewer);
  const make = new ItemMaker(loaded, period);
  const groups = options.by === 'official' ? byOfficial(loaded, make) : options.by === 'court' ? byCourt(loaded, make) : byFacility(loaded, make);
  groups.sort((a, b) => b.counts.violations - a.counts.violations || b.items.length - a.items.length || a.name.localeCompare(b.name));
  const report: AccountabilityReport = {
    by: options.by,
    generated_at: new Date().toISOString(),
    generator: 'Vigil',
    scope: { clearance: clearanceOf(viewer), viewer: viewer.kind === 'member' ? viewer.email : 'public', from: period.from, to: period.to, demo: await holdsDemoData(store) },
    groups,
  };
  return { report, restricted: [...make.restricted.values()] };
}
