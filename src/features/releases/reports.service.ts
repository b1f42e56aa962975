/**
 * The release reports advocates and diplomats ask for, computed from events and deal lists:
 * - released by deal and destination (how many were released or expelled, and where to);
 * - still held among those asked for (named in a deal but in custody on the day);
 * - re-arrested after release (custody that started again after it had ended).
 *
 * What a viewer gets follows the policy (domain/policy.ts) and DOMAIN.md "Counting"/"Confidentiality":
 * - a deal the viewer may not see is left out entirely: not listed, not counted, not named by a re-arrest;
 * - the counts of a deal the viewer may see include everyone (aggregates, as registries report);
 * - a person is named only when the viewer may see the person and the events the line rests on (the
 *   detention that began the custody they are in; the release and the new detention of a re-arrest).
 *   Everyone else is counted in `*_not_shown`, never named.
 * The restricted values a report shows are returned beside it, for the caller to audit.
 */
import { firstDay, today as todayDate } from '../../domain/partial-date.js';
import { maySee, type Viewer } from '../../domain/policy.js';
import type { DealOutcome } from '../../domain/release-deal.js';
import type { Level } from '../../domain/confidentiality.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { personsByIds, type PersonRecord } from '../../store/person.repository.js';
import { presentPerson } from '../persons/person.presenter.js';
import { displayName } from '../search/search.service.js';

export interface PersonRef {
  external_id: string;
  name: string;
}

export interface DealSummary {
  slug: string;
  date: string;
  facilitator: string | null;
  confidentiality: Level;
  released: number;
  expelled: number;
  /** ISO country → people expelled there. */
  destinations: Record<string, number>;
  /** Everyone named in the deal's list, whatever became of them. */
  asked_for: number;
  asked_not_released: number;
  refused_expulsion: number;
  still_held: (PersonRef & { outcome: DealOutcome })[];
  /** People the viewer may not see, counted but not named. */
  still_held_not_shown: number;
}

export interface Rearrest {
  person: PersonRef;
  released_on: string;
  detained_again_on: string;
  /** The deal whose release it was, when there was one and the viewer may see it. */
  deal: string | null;
}

export interface ReleaseReport {
  date: string;
  /** Set when the report is about one deal (its re-arrests are the people that deal freed). */
  deal: string | null;
  deals: DealSummary[];
  rearrested: Rearrest[];
  rearrested_not_shown: number;
}

/** A restricted value the report shows, for the audit trail. */
export interface RestrictedRead {
  entity: 'deal' | 'person' | 'event';
  id: number;
}

export interface ReportOptions {
  /** YYYY-MM-DD; default today. */
  day?: string | undefined;
  /** One deal (slug) instead of all. */
  deal?: string | undefined;
}

type DealRow = { id: number; slug: string; date: string; facilitator: string | null; confidentiality: Level };
type CustodyEvent = { id: number; person: number; type: string; day: string; deal_id: number | null; confidentiality: Level };
type RearrestRow = { person_id: number; released_on: string; detained_again_on: string; deal_id: number | null };

async function visibleDeals(db: Executor, viewer: Viewer, slug: string | undefined): Promise<DealRow[]> {
  let query = db.selectFrom('release_deal').select(['id', 'slug', 'date', 'facilitator', 'confidentiality']).orderBy('date').orderBy('slug');
  if (slug !== undefined) query = query.where('slug', '=', slug);
  const deals = (await query.execute()).filter((deal) => maySee(viewer, { level: deal.confidentiality, consent: true }));
  // A deal the viewer may not see is answered like one that does not exist.
  if (slug !== undefined && deals.length === 0) throw errors.notFound(`deal ${slug}`);
  return deals;
}

async function outcomeCounts(db: Executor, dealIds: number[], day: string) {
  if (dealIds.length === 0) return [];
  return db
    .selectFrom('event')
    .select(['deal_id', 'type', 'country', (eb) => eb.fn.countAll<number>().as('n')])
    .where('deal_id', 'in', dealIds)
    .where('type', 'in', ['released', 'expelled'])
    .where('date', '<=', day)
    .groupBy(['deal_id', 'type', 'country'])
    .execute();
}

/** Person → the first day of the custody they are in at the end of `day`. */
async function custodyStarts(db: Executor, personIds: number[], day: string): Promise<Map<number, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('status_interval')
    .select(['person_id', 'start_day'])
    .where('kind', '=', 'custody')
    .where('person_id', 'in', personIds)
    .where('start_day', '<=', day)
    .where((eb) => eb.or([eb('end_day', 'is', null), eb('end_day', '>', day)]))
    .execute();
  return new Map(rows.map((row) => [row.person_id, row.start_day]));
}

/** A second custody interval that starts after an earlier one ended is a re-arrest. */
async function rearrestRows(db: Executor, day: string): Promise<Omit<RearrestRow, 'deal_id'>[]> {
  const custody = await db
    .selectFrom('status_interval')
    .select(['person_id', 'start_day', 'end_day'])
    .where('kind', '=', 'custody')
    .where('start_day', '<=', day)
    .orderBy('person_id')
    .orderBy('start_day')
    .execute();
  const rearrests: Omit<RearrestRow, 'deal_id'>[] = [];
  for (let i = 1; i < custody.length; i++) {
    const before = custody[i - 1]!;
    const after = custody[i]!;
    if (before.person_id === after.person_id && before.end_day !== null) {
      rearrests.push({ person_id: after.person_id, released_on: before.end_day, detained_again_on: after.start_day });
    }
  }
  return rearrests;
}

/** The custody-changing events of these people (and of records merged into them), by person. */
async function custodyEvents(db: Executor, personIds: number[]): Promise<Map<number, CustodyEvent[]>> {
  const byPerson = new Map<number, CustodyEvent[]>();
  if (personIds.length === 0) return byPerson;
  const rows = await db
    .selectFrom('event')
    .innerJoin('person', 'person.id', 'event.person_id')
    .select(['event.id', 'event.person_id', 'person.merged_into', 'event.type', 'event.date', 'event.deal_id', 'event.confidentiality'])
    .where((eb) => eb.or([eb('event.person_id', 'in', personIds), eb('person.merged_into', 'in', personIds)]))
    .where('event.type', 'in', ['detained', 'released', 'expelled'])
    .orderBy('event.id')
    .execute();
  for (const row of rows) {
    const person = row.merged_into ?? row.person_id;
    const list = byPerson.get(person) ?? [];
    list.push({ id: row.id, person, type: row.type, day: firstDay(row.date), deal_id: row.deal_id, confidentiality: row.confidentiality });
    byPerson.set(person, list);
  }
  return byPerson;
}

const LEAVING = new Set(['released', 'expelled']);

/** Says who the viewer may name, and collects the restricted values shown on the way. */
class Naming {
  readonly reads: RestrictedRead[] = [];
  private readonly shown = new Map<number, { person: PersonRecord; ref: PersonRef; restricted: boolean }>();

  constructor(
    private readonly viewer: Viewer,
    people: readonly PersonRecord[],
    private readonly events: Map<number, CustodyEvent[]>,
  ) {
    for (const person of people) {
      const { view } = presentPerson(viewer, person);
      if (!view) continue;
      const restricted = person.confidentiality === 'restricted' || view.names[0]?.confidentiality === 'restricted';
      this.shown.set(person.id, { person, ref: { external_id: view.external_id, name: displayName(view.names) }, restricted });
    }
  }

  /** The viewer may see an event of this person on this day that matches. */
  private visibleEvent(personId: number, day: string, matches: (type: string) => boolean): CustodyEvent | undefined {
    const consent = this.shown.get(personId)?.person.publish ?? false;
    return this.events.get(personId)?.find((e) => e.day === day && matches(e.type) && maySee(this.viewer, { level: e.confidentiality, consent }));
  }

  /** The person, if the viewer may see them and an event on each of these days backs the line. */
  name(personId: number, backing: { day: string; matches: (type: string) => boolean }[]): PersonRef | null {
    const entry = this.shown.get(personId);
    if (!entry) return null;
    const events = backing.map(({ day, matches }) => this.visibleEvent(personId, day, matches));
    if (events.some((event) => event === undefined)) return null;
    if (entry.restricted) this.reads.push({ entity: 'person', id: personId });
    for (const event of events) if (event!.confidentiality === 'restricted') this.reads.push({ entity: 'event', id: event!.id });
    return entry.ref;
  }
}

function dealSummary(deal: DealRow, outcomes: Awaited<ReturnType<typeof outcomeCounts>>, named: { deal_id: number; person_id: number; outcome: string }[], held: Map<number, string>, naming: Naming): DealSummary {
  const mine = outcomes.filter((row) => row.deal_id === deal.id);
  const destinations: Record<string, number> = {};
  for (const row of mine.filter((r) => r.type === 'expelled')) destinations[row.country ?? 'unknown'] = (destinations[row.country ?? 'unknown'] ?? 0) + Number(row.n);
  const listed = named.filter((row) => row.deal_id === deal.id);
  const stillHeld: DealSummary['still_held'] = [];
  let notShown = 0;
  for (const row of listed.filter((r) => held.has(r.person_id))) {
    const ref = naming.name(row.person_id, [{ day: held.get(row.person_id)!, matches: (type) => type === 'detained' }]);
    if (ref) stillHeld.push({ ...ref, outcome: row.outcome as DealOutcome });
    else notShown++;
  }
  return {
    slug: deal.slug, date: deal.date, facilitator: deal.facilitator, confidentiality: deal.confidentiality,
    released: mine.filter((r) => r.type === 'released').reduce((sum, r) => sum + Number(r.n), 0),
    expelled: mine.filter((r) => r.type === 'expelled').reduce((sum, r) => sum + Number(r.n), 0),
    destinations,
    asked_for: listed.length,
    asked_not_released: listed.filter((r) => r.outcome === 'asked_not_released').length,
    refused_expulsion: listed.filter((r) => r.outcome === 'refused_expulsion').length,
    still_held: stillHeld,
    still_held_not_shown: notShown,
  };
}

/** The report and the restricted values in it (deals, people, events), which the caller audits. */
export async function buildReleaseReport(store: Store, viewer: Viewer, options: ReportOptions = {}): Promise<{ report: ReleaseReport; reads: RestrictedRead[] }> {
  const day = options.day ?? todayDate();
  const deals = await visibleDeals(store.db, viewer, options.deal);
  const dealIds = deals.map((deal) => deal.id);
  const outcomes = await outcomeCounts(store.db, dealIds, day);
  const named = dealIds.length ? await store.db.selectFrom('deal_person').select(['deal_id', 'person_id', 'outcome']).where('deal_id', 'in', dealIds).orderBy('person_id').execute() : [];
  const held = await custodyStarts(store.db, [...new Set(named.map((row) => row.person_id))], day);
  const rearrestsAll = await rearrestRows(store.db, day);

  const candidates = [...new Set([...named.filter((row) => held.has(row.person_id)).map((row) => row.person_id), ...rearrestsAll.map((r) => r.person_id)])];
  const events = await custodyEvents(store.db, candidates);
  // Whose release it was: a deal's release or expulsion event on the day custody ended.
  const rearrests: RearrestRow[] = rearrestsAll.map((r) => ({ ...r, deal_id: events.get(r.person_id)?.find((e) => e.day === r.released_on && LEAVING.has(e.type) && e.deal_id !== null)?.deal_id ?? null }));
  const mineOnly = options.deal === undefined ? rearrests : rearrests.filter((r) => r.deal_id === deals[0]!.id);

  const naming = new Naming(viewer, await personsByIds(store.db, candidates), events);
  const summaries = deals.map((deal) => dealSummary(deal, outcomes, named, held, naming));
  const slugOf = new Map(deals.map((deal) => [deal.id, deal.slug]));
  const rearrested: Rearrest[] = [];
  for (const r of mineOnly) {
    const ref = naming.name(r.person_id, [
      { day: r.released_on, matches: (type) => LEAVING.has(type) },
      { day: r.detained_again_on, matches: (type) => type === 'detained' },
    ]);
    if (ref) rearrested.push({ person: ref, released_on: r.released_on, detained_again_on: r.detained_again_on, deal: r.deal_id === null ? null : slugOf.get(r.deal_id) ?? null });
  }
  const reads: RestrictedRead[] = [...deals.filter((deal) => deal.confidentiality === 'restricted').map((deal) => ({ entity: 'deal' as const, id: deal.id })), ...naming.reads];
  return {
    report: { date: day, deal: options.deal ?? null, deals: summaries, rearrested, rearrested_not_shown: mineOnly.length - rearrested.length },
    reads,
  };
}

export async function releaseReport(store: Store, viewer: Viewer, day: string = todayDate()): Promise<ReleaseReport> {
  return (await buildReleaseReport(store, viewer, { day })).report;
}
