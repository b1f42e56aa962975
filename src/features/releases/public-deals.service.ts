/**
 * What the public may know of negotiated releases: the deals whose own level is public, their counts
 * (aggregates: everyone counts), the sanctions eased or lifted in return, and the people named in them.
 * A person is named only when they are in the public registry (consent, public record, not merged) and
 * the fact shown comes from a public value: the deal's own list, or an event the public may see. Anyone
 * else is counted, never named.
 */
import { firstDay } from '../../domain/partial-date.js';
import { maySee, PUBLIC } from '../../domain/policy.js';
import type { ConcessionAction, DealCondition, DealOutcome } from '../../domain/release-deal.js';
import type { Store } from '../../store/connection.js';
import type { PublicPerson, PublicRegistry } from '../public/public-registry.service.js';
import { releaseReport, type DealSummary, type ReleaseReport } from './reports.service.js';

export interface PublicConcession {
  issuer: string;
  target: string;
  description: string | null;
  action: ConcessionAction;
}

export interface PublicDeal {
  id: number;
  slug: string;
  date: string;
  facilitator: string | null;
  envoy: string | null;
  counterpart: string | null;
  destinations: string[];
  conditions: DealCondition[];
  summary: string | null;
  concessions: PublicConcession[];
  /** Freed and left in the country (events of the deal). */
  released: number;
  /** Freed and taken out of the country. */
  expelled: number;
  /** ISO country → people expelled there. */
  expelledTo: Record<string, number>;
  /** Named in the deal, refused expulsion and were taken back. */
  refused: number;
  /** Named in the deal and in custody on the day. */
  stillHeld: number;
}

export interface Named<T> {
  named: T[];
  /** Counted, not named: no consent, not public, or the fact is not public for them. */
  notNamed: number;
}

export interface FreedPerson {
  person: PublicPerson;
  /** Null when the person's own event of the deal is not public: only "freed" is known publicly. */
  type: 'released' | 'expelled' | null;
  country: string | null;
}

export interface HeldPerson {
  person: PublicPerson;
  outcome: DealOutcome | null;
}

export interface PublicDealDetail extends PublicDeal {
  freed: Named<FreedPerson>;
  held: Named<HeldPerson>;
}

export interface PublicRearrest {
  person: PublicPerson;
  released_on: string;
  detained_again_on: string;
}

export interface PublicReleases {
  /** Newest first. */
  deals: PublicDeal[];
  report: ReleaseReport;
}

async function publicDealRows(store: Store, slug?: string) {
  let query = store.db.selectFrom('release_deal').selectAll();
  if (slug !== undefined) query = query.where('slug', '=', slug);
  const rows = await query.execute();
  return rows.filter((row) => maySee(PUBLIC, { level: row.confidentiality, consent: true }));
}

async function concessionsOf(store: Store, dealIds: readonly number[]): Promise<Map<number, PublicConcession[]>> {
  const byDeal = new Map<number, PublicConcession[]>();
  if (dealIds.length === 0) return byDeal;
  const rows = await store.db
    .selectFrom('deal_concession')
    .innerJoin('sanction_measure', 'sanction_measure.id', 'deal_concession.measure_id')
    .select(['deal_concession.deal_id', 'deal_concession.action', 'sanction_measure.issuer', 'sanction_measure.target', 'sanction_measure.description'])
    .where('deal_concession.deal_id', 'in', [...dealIds])
    .orderBy('sanction_measure.issuer')
    .orderBy('sanction_measure.target')
    .execute();
  for (const row of rows) {
    const list = byDeal.get(row.deal_id) ?? [];
    list.push({ issuer: row.issuer, target: row.target, description: row.description, action: row.action as ConcessionAction });
    byDeal.set(row.deal_id, list);
  }
  return byDeal;
}

async function refusedCounts(store: Store, dealIds: readonly number[]): Promise<Map<number, number>> {
  if (dealIds.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('deal_person')
    .select(['deal_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('outcome', '=', 'refused_expulsion')
    .where('deal_id', 'in', [...dealIds])
    .groupBy('deal_id')
    .execute();
  return new Map(rows.map((row) => [row.deal_id, Number(row.n)]));
}

type DealRow = Awaited<ReturnType<typeof publicDealRows>>[number];

function publicDeal(row: DealRow, summary: DealSummary | undefined, concessions: PublicConcession[], refused: number): PublicDeal {
  return {
    id: row.id, slug: row.slug, date: row.date, facilitator: row.facilitator, envoy: row.envoy, counterpart: row.counterpart,
    destinations: JSON.parse(row.destinations) as string[], conditions: JSON.parse(row.conditions) as DealCondition[], summary: row.summary,
    concessions,
    released: summary?.released ?? 0,
    expelled: summary?.expelled ?? 0,
    expelledTo: summary?.destinations ?? {},
    refused,
    stillHeld: summary ? summary.still_held.length + summary.still_held_not_shown : 0,
  };
}

async function dealsFrom(store: Store, rows: DealRow[], report: ReleaseReport): Promise<PublicDeal[]> {
  const ids = rows.map((row) => row.id);
  const [concessions, refused] = await Promise.all([concessionsOf(store, ids), refusedCounts(store, ids)]);
  return rows
    .map((row) => publicDeal(row, report.deals.find((deal) => deal.slug === row.slug), concessions.get(row.id) ?? [], refused.get(row.id) ?? 0))
    .sort((a, b) => b.date.localeCompare(a.date) || a.slug.localeCompare(b.slug));
}

/** Every deal the public may see, newest first, with the release report of the day. */
export async function publicReleases(store: Store, day: string): Promise<PublicReleases> {
  const [rows, report] = await Promise.all([publicDealRows(store), releaseReport(store, PUBLIC, day)]);
  return { deals: await dealsFrom(store, rows, report), report };
}

/** People freed by the deal on or before the day, one entry per person (an expulsion wins over a release). */
async function freedBy(store: Store, registry: PublicRegistry, dealId: number, day: string): Promise<Named<FreedPerson>> {
  const events = await store.db
    .selectFrom('event')
    .select(['person_id', 'type', 'country', 'confidentiality'])
    .where('deal_id', '=', dealId)
    .where('type', 'in', ['released', 'expelled'])
    .where('date', '<=', day)
    .orderBy('id')
    .execute();
  const listed = new Set((await store.db.selectFrom('deal_person').select('person_id').where('deal_id', '=', dealId).execute()).map((row) => row.person_id));
  const byPerson = new Map<number, (typeof events)[number]>();
  for (const event of events) if (byPerson.get(event.person_id)?.type !== 'expelled') byPerson.set(event.person_id, event);
  const result: Named<FreedPerson> = { named: [], notNamed: 0 };
  for (const [personId, event] of byPerson) {
    const person = registry.byId.get(personId);
    const eventIsPublic = maySee(PUBLIC, { level: event.confidentiality, consent: true });
    // The deal's own list is public with the deal; otherwise only a public event may say they were freed.
    if (!person || (!listed.has(personId) && !eventIsPublic)) result.notNamed++;
    else result.named.push({ person, type: eventIsPublic ? (event.type as 'released' | 'expelled') : null, country: eventIsPublic ? event.country : null });
  }
  return result;
}

/** Named in the deal and held on the day; named only when the public events also show them held. */
async function heldOf(store: Store, registry: PublicRegistry, dealId: number, summary: DealSummary | undefined): Promise<Named<HeldPerson>> {
  if (!summary) return { named: [], notNamed: 0 };
  const outcomes = new Map((await store.db.selectFrom('deal_person').select(['person_id', 'outcome']).where('deal_id', '=', dealId).execute()).map((row) => [row.person_id, row.outcome as DealOutcome]));
  const result: Named<HeldPerson> = { named: [], notNamed: summary.still_held_not_shown };
  for (const ref of summary.still_held) {
    const person = registry.byExternalId.get(ref.external_id);
    if (person && person.status === 'held') result.named.push({ person, outcome: outcomes.get(person.id) ?? null });
    else result.notNamed++;
  }
  return result;
}

/** One deal the public may see, with the people freed and those still held; null when there is none or it is not public. */
export async function publicDealDetail(store: Store, registry: PublicRegistry, slug: string, day: string): Promise<PublicDealDetail | null> {
  const [row] = await publicDealRows(store, slug);
  if (!row) return null;
  const report = await releaseReport(store, PUBLIC, day);
  const [deal] = await dealsFrom(store, [row], report);
  const summary = report.deals.find((entry) => entry.slug === row.slug);
  const [freed, held] = await Promise.all([freedBy(store, registry, row.id, day), heldOf(store, registry, row.id, summary)]);
  return { ...deal!, freed, held };
}

/**
 * Re-arrests from the report, named only when the person's public events show both the release and the
 * new detention on those days (the report works from every event, public or not).
 */
export async function publicRearrests(store: Store, registry: PublicRegistry, report: ReleaseReport): Promise<Named<PublicRearrest>> {
  const candidates = report.rearrested.flatMap((entry) => {
    const person = registry.byExternalId.get(entry.person.external_id);
    return person ? [{ person, released_on: entry.released_on, detained_again_on: entry.detained_again_on }] : [];
  });
  const ids = [...new Set(candidates.map((entry) => entry.person.id))];
  const events = ids.length
    ? await store.db.selectFrom('event').select(['person_id', 'type', 'date', 'confidentiality']).where('person_id', 'in', ids).where('type', 'in', ['detained', 'released', 'expelled']).execute()
    : [];
  const publicDays = new Set(events.filter((e) => maySee(PUBLIC, { level: e.confidentiality, consent: true })).map((e) => `${e.person_id}|${e.type === 'detained' ? 'in' : 'out'}|${firstDay(e.date)}`));
  const named = candidates.filter((entry) => publicDays.has(`${entry.person.id}|out|${entry.released_on}`) && publicDays.has(`${entry.person.id}|in|${entry.detained_again_on}`));
  return { named, notNamed: report.rearrested.length + report.rearrested_not_shown - named.length };
}
