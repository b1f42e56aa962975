/**
 * Confirming a reconciled list: for every line matched with confidence, the release or expulsion is
 * recorded as an event citing the deal, and the person joins the deal's list, all in one versioned
 * edit of the deal (one transaction). Lines that are uncertain or unmatched are not touched: they are
 * returned for a person to decide. Running it again records nothing twice.
 */
import { isCountryCode } from '../../domain/event-types.js';
import { normalizePartialDate } from '../../domain/partial-date.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Level } from '../../domain/confidentiality.js';
import { insertEvents, type EventData } from '../../store/event.repository.js';
import { recordChanges, type Executor } from '../../store/history.repository.js';
import { personIds } from '../../store/person.repository.js';
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

/** Of these people, the ones whose release or expulsion by this deal is already recorded. */
async function recordedFor(db: Executor, dealId: number, type: OutcomeOptions['as'], ids: Iterable<number>): Promise<Set<number>> {
  const people = [...ids];
  if (people.length === 0) return new Set();
  const rows = await db.selectFrom('event').select('person_id').where('deal_id', '=', dealId).where('type', '=', type).where('person_id', 'in', people).execute();
  return new Set(rows.map((row) => row.person_id));
}

export async function recordDealOutcomes(store: Store, slug: string, entries: readonly ReconcileEntry[], options: OutcomeOptions, context: EditContext): Promise<OutcomeReport> {
  const deal = await store.db.selectFrom('release_deal').select(['id', 'version', 'date', 'confidentiality']).where('slug', '=', slug).executeTakeFirst();
  if (!deal) throw errors.notFound(`deal ${slug}`);
  const { date, country } = checkOptions(options, deal.date);
  const matched = entries.filter((entry) => entry.status === 'matched' && entry.same_person_as_line === null && entry.external_id !== null);
  const report: OutcomeReport = {
    deal: slug, recorded: [], already_recorded: [],
    needs_decision: entries.filter((e) => e.status === 'uncertain' || e.status === 'unmatched').map(({ line, text, status, reason }) => ({ line, text, status, reason })),
  };

  // Nothing new (a repeated run): no empty edit of the deal.
  const known = await personIds(store.db, matched.map((entry) => entry.external_id!));
  if ((await recordedFor(store.db, deal.id, options.as, known.values())).size === matched.length) {
    report.already_recorded = matched.map(({ line, external_id }) => ({ line, external_id: external_id! }));
    return report;
  }

  await editRecord(store, dealKind, deal.id, deal.version, async (before, db) => {
    const ids = await personIds(db, matched.map((entry) => entry.external_id!));
    const done = await recordedFor(db, deal.id, options.as, ids.values());
    const fresh = matched.filter((entry) => !done.has(ids.get(entry.external_id!)!));
    report.already_recorded = matched.filter((entry) => done.has(ids.get(entry.external_id!)!)).map(({ line, external_id }) => ({ line, external_id: external_id! }));
    report.recorded = fresh.map(({ line, external_id }) => ({ line, external_id: external_id! }));
    const now = new Date().toISOString();
    const events: EventData[] = fresh.map((entry) => ({
      person_id: ids.get(entry.external_id!)!, type: options.as, date, facility_id: null, case_id: null, deal_id: deal.id, articles: [],
      term_months: null, regime: null, reason: 'negotiated', country, organization: null, note: null, confidentiality: options.level ?? deal.confidentiality,
    }));
    const eventIds = await insertEvents(db, events.map((event) => ({ ...event, import_key: null, import_batch_id: null })), now);
    await recordChanges(db, events.map((event, i) => ({ entity: 'event', entityId: eventIds[i]!, version: 1, action: 'create' as const, actor: context.actor, reason: context.reason, before: null, after: event })), now);
    for (const eventId of eventIds) await appendAudit(db, { actor: context.actor, action: 'create', entity: 'event', entityId: eventId, ip: context.ip ?? null, detail: { deal: slug } });
    await rebuildStatus(db, events.map((event) => event.person_id));
    const listed = new Set(before.people.map((person) => person.person_id));
    const joining = events.filter((event) => !listed.has(event.person_id)).map((event) => ({ person_id: event.person_id, outcome: 'released' as const, note: null }));
    return { ...before, people: [...before.people, ...joining] };
  }, context);
  return report;
}
