/**
 * Confirming a reconciled list: for every confirmed line (a line and the person it names), the release
 * or expulsion is recorded as an event citing the deal, and the person joins the deal's list, all in one
 * versioned edit of the deal: one transaction, all or nothing. A confirmation that names no person, a
 * merged record, or a person already confirmed on another line rejects the whole list. Running it
 * again records nothing twice. A line may carry its own outcome (the workspace decides line by line):
 * released, expelled to a country, or, with no event, asked for but not released or refused expulsion.
 *
 * Two ways in: `recordConfirmedOutcomes` takes the pairs a person confirmed (the workspace, the API);
 * `recordDealOutcomes` takes a reconciled list and confirms only its confident matches (the CLI), leaving
 * uncertain and unmatched lines for a person to decide.
 */
import { isCountryCode } from '../../domain/event-types.js';
import { normalizePartialDate } from '../../domain/partial-date.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Level } from '../../domain/confidentiality.js';
import { insertEvents, type EventData } from '../../store/event.repository.js';
import { recordChanges, type Executor } from '../../store/history.repository.js';
import { rebuildStatus } from '../../store/status.repository.js';
import { appendAudit } from '../audit/audit.service.js';
import type { EditContext } from '../persons/person.service.js';
import { editRecord } from '../records/record.service.js';
import { dealKind } from './deal.service.js';
import type { ReconcileEntry } from './reconcile.service.js';

export interface OutcomeOptions {
  as: 'released' | 'expelled';
  /** Where people were taken (required for expelled). */
  country?: string | undefined;
  /** Defaults to the deal's date. */
  date?: string | undefined;
  /**
   * The level of the recorded events. Defaults to the deal's own level: a release in a published deal
   * is public knowledge (and shows on the public site for people with consent); a deal kept internal
   * keeps its events internal.
   */
  level?: Level | undefined;
}

/** What a confirmed line says became of the person: an event (released, expelled), or only their place on the deal's list. */
export const LINE_OUTCOMES = ['released', 'expelled', 'asked_not_released', 'refused_expulsion'] as const;
export type LineOutcome = (typeof LINE_OUTCOMES)[number];

/** A line of the list and the person (external id) a documenter confirmed it names. */
export interface Confirmation {
  line: number;
  person: string;
  /**
   * This line's own outcome, when the lines of one list differ (the workspace): it replaces
   * `options.as` and `options.country` for the line. Asked for but not released, and refused
   * expulsion, record no event; they set the person's outcome on the deal's list.
   */
  outcome?: LineOutcome;
  country?: string | undefined;
}

/** A confirmed line with the outcome it records. */
interface Resolved {
  line: number;
  external_id: string;
  outcome: LineOutcome;
  country: string | null;
}

export interface OutcomeReport {
  deal: string;
  recorded: { line: number; external_id: string }[];
  already_recorded: { line: number; external_id: string }[];
  /** Uncertain and unmatched lines: a person must decide them. */
  needs_decision: { line: number; text: string; status: string; reason: string | null }[];
}

function checkOptions(options: OutcomeOptions, dealDate: string): { date: string; country: string | null } {
  if (options.as !== 'released' && options.as !== 'expelled') throw errors.validation(`as: "${String(options.as)}" must be released or expelled`);
  if (options.as === 'expelled' && !options.country) throw errors.validation('country: an expulsion needs the country people were taken to (e.g. LT)');
  if (options.country && !isCountryCode(options.country)) throw errors.validation(`country: "${options.country}" is not an ISO 3166 two-letter code`);
  try {
    return { date: normalizePartialDate(options.date ?? dealDate), country: options.country ?? null };
  } catch (error) {
    throw errors.validation(`date: ${(error as Error).message}`);
  }
}

function resolveLines(confirmations: readonly Confirmation[], options: OutcomeOptions, country: string | null): Resolved[] {
  return confirmations.map(({ line, person, outcome, country: own }) => {
    if (outcome === undefined) return { line, external_id: person, outcome: options.as, country };
    if (!(LINE_OUTCOMES as readonly string[]).includes(outcome)) throw errors.validation(`line ${line}: outcome "${String(outcome)}" must be one of ${LINE_OUTCOMES.join(', ')}`);
    if (outcome === 'expelled' && !own) throw errors.validation(`line ${line}: an expulsion needs the country the person was taken to (e.g. LT)`);
    if (own && !isCountryCode(own)) throw errors.validation(`line ${line}: country "${own}" is not an ISO 3166 two-letter code`);
    return { line, external_id: person, outcome, country: outcome === 'expelled' ? own! : null };
  });
}

const isEvent = (outcome: LineOutcome): outcome is OutcomeOptions['as'] => outcome === 'released' || outcome === 'expelled';

/** Of these lines, the ones whose outcome by this deal is already recorded: the event, or the place on the deal's list. */
async function alreadyRecorded(db: Executor, dealId: number, lines: readonly Resolved[], ids: Map<string, number>): Promise<Set<number>> {
  const people = [...new Set(lines.map((line) => ids.get(line.external_id)!))];
  if (people.length === 0) return new Set();
  const events = await db.selectFrom('event').select(['person_id', 'type']).where('deal_id', '=', dealId).where('type', 'in', ['released', 'expelled']).where('person_id', 'in', people).execute();
  const listed = await db.selectFrom('deal_person').select(['person_id', 'outcome']).where('deal_id', '=', dealId).where('person_id', 'in', people).execute();
  const known = new Set([...events.map((e) => `event:${e.person_id}:${e.type}`), ...listed.map((l) => `list:${l.person_id}:${l.outcome}`)]);
  const keyOf = (line: Resolved) => `${isEvent(line.outcome) ? 'event' : 'list'}:${ids.get(line.external_id)}:${line.outcome}`;
  return new Set(lines.filter((line) => known.has(keyOf(line))).map((line) => line.line));
}

async function checkConfirmations(db: Executor, confirmations: readonly Confirmation[]): Promise<Map<string, number>> {
  const lineOf = new Map<number, number>();
  const personLine = new Map<string, number>();
  for (const { line, person } of confirmations) {
    if (!Number.isInteger(line) || line < 1) throw errors.validation(`line: ${String(line)} is not a line number (1, 2, ...)`);
    if (lineOf.has(line)) throw errors.validation(`line ${line}: confirmed twice; confirm each line once`);
    lineOf.set(line, line);
    const earlier = personLine.get(person);
    if (earlier !== undefined) throw errors.validation(`lines ${earlier} and ${line} both name ${person}; confirm one of them`);
    personLine.set(person, line);
  }
  const people = confirmations.length ? await db.selectFrom('person').select(['id', 'external_id', 'merged_into']).where('external_id', 'in', [...personLine.keys()]).execute() : [];
  const byExternal = new Map(people.map((row) => [row.external_id, row]));
  for (const { line, person } of confirmations) {
    const row = byExternal.get(person);
    if (!row) throw errors.validation(`line ${line}: there is no person with external id ${person}`);
    if (row.merged_into !== null) throw errors.validation(`line ${line}: ${person} was merged into another record; confirm that record instead`);
  }
  return new Map(people.map((row) => [row.external_id, row.id]));
}

/** Records the release or expulsion of every confirmed person, citing the deal: all or nothing. */
export async function recordConfirmedOutcomes(store: Store, slug: string, confirmations: readonly Confirmation[], options: OutcomeOptions, context: EditContext): Promise<OutcomeReport> {
  const deal = await store.db.selectFrom('release_deal').select(['id', 'version', 'date', 'confidentiality']).where('slug', '=', slug).executeTakeFirst();
  if (!deal) throw errors.notFound(`deal ${slug}`);
  const { date, country } = checkOptions(options, deal.date);
  const lines = resolveLines(confirmations, options, country);
  const known = await checkConfirmations(store.db, confirmations);
  const report: OutcomeReport = { deal: slug, recorded: [], already_recorded: [], needs_decision: [] };
  const pairOf = ({ line, external_id }: Resolved) => ({ line, external_id });

  // Nothing new (a repeated run): no empty edit of the deal.
  if ((await alreadyRecorded(store.db, deal.id, lines, known)).size === confirmations.length) {
    report.already_recorded = lines.map(pairOf);
    return report;
  }

  await editRecord(store, dealKind, deal.id, deal.version, async (before, db) => {
    const ids = await checkConfirmations(db, confirmations);
    const done = await alreadyRecorded(db, deal.id, lines, ids);
    const fresh = lines.filter((line) => !done.has(line.line));
    report.already_recorded = lines.filter((line) => done.has(line.line)).map(pairOf);
    report.recorded = fresh.map(pairOf);
    const now = new Date().toISOString();
    const events: EventData[] = fresh.flatMap((line) => isEvent(line.outcome) ? [{
      person_id: ids.get(line.external_id)!, type: line.outcome, date, facility_id: null, case_id: null, deal_id: deal.id, articles: [],
      term_months: null, regime: null, reason: 'negotiated', country: line.country, organization: null, note: null, confidentiality: options.level ?? deal.confidentiality,
    }] : []);
    const eventIds = await insertEvents(db, events.map((event) => ({ ...event, import_key: null, import_batch_id: null })), now);
    await recordChanges(db, events.map((event, i) => ({ entity: 'event', entityId: eventIds[i]!, version: 1, action: 'create' as const, actor: context.actor, reason: context.reason, before: null, after: event })), now);
    for (const eventId of eventIds) await appendAudit(db, { actor: context.actor, action: 'create', entity: 'event', entityId: eventId, ip: context.ip ?? null, detail: { deal: slug } });
    await rebuildStatus(db, events.map((event) => event.person_id));
    // Each confirmed person is on the deal's list with what became of them (a release or expulsion is "released").
    const listed = new Map(before.people.map((person) => [person.person_id, person]));
    for (const line of fresh) {
      const id = ids.get(line.external_id)!;
      listed.set(id, { person_id: id, outcome: isEvent(line.outcome) ? 'released' : line.outcome, note: listed.get(id)?.note ?? null });
    }
    return { ...before, people: [...listed.values()] };
  }, context);
  return report;
}

/** Confirms the confident matches of a reconciled list; uncertain and unmatched lines are returned to decide. */
export async function recordDealOutcomes(store: Store, slug: string, entries: readonly ReconcileEntry[], options: OutcomeOptions, context: EditContext): Promise<OutcomeReport> {
  const confirmations = entries
    .filter((entry) => entry.status === 'matched' && entry.same_person_as_line === null && entry.external_id !== null)
    .map((entry) => ({ line: entry.line, person: entry.external_id! }));
  const report = await recordConfirmedOutcomes(store, slug, confirmations, options, context);
  report.needs_decision = entries.filter((e) => e.status === 'uncertain' || e.status === 'unmatched').map(({ line, text, status, reason }) => ({ line, text, status, reason }));
  return report;
}
