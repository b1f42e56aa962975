/** Recording and correcting events: versioned, logged with before/after and why, audited; counts follow. */
import { custodyEffect, isCountryCode, type EventType } from '../../domain/event-types.js';
import { isEventType } from '../../domain/custody.js';
import { normalizePartialDate } from '../../domain/partial-date.js';
import { errors } from '../../errors.js';
import type { Transaction } from 'kysely';
import type { Store } from '../../store/connection.js';
import type { DB } from '../../store/schema.js';
import { eventData, eventsOfPerson, insertEvents, linkEventSources, sourcesForUrls, type EventData, type EventRecord } from '../../store/event.repository.js';
import { recordChanges } from '../../store/history.repository.js';
import { rebuildStatus } from '../../store/status.repository.js';
import { appendAudit } from '../audit/audit.service.js';
import { ensureFacilities } from '../facilities/facility.service.js';
import type { EditContext } from '../persons/person.service.js';

export interface EventInput {
  type: string;
  date: string;
  facility?: string | null;
  articles?: string[];
  term_months?: number | null;
  regime?: string | null;
  reason?: string | null;
  country?: string | null;
  organization?: string | null;
  note?: string | null;
  confidentiality?: EventData['confidentiality'];
  source_urls?: string[];
}

function checkEvent(input: EventInput): { type: EventType; date: string } {
  if (!isEventType(input.type)) throw errors.validation(`type: "${input.type}" is not an event type`);
  let date: string;
  try {
    date = normalizePartialDate(input.date);
  } catch (error) {
    throw errors.validation(`date: ${(error as Error).message}`);
  }
  if (input.type === 'expelled' && !input.country) throw errors.validation('country: required for an expelled event');
  if (input.country && !isCountryCode(input.country)) throw errors.validation(`country: "${input.country}" is not an ISO 3166 two-letter code`);
  if (input.type !== 'sentenced' && (input.term_months ?? null) !== null) throw errors.validation(`term_months: does not apply to a ${input.type} event`);
  if (custodyEffect(input.type) === 'none' && input.type !== 'sentenced' && input.reason) throw errors.validation(`reason: does not apply to a ${input.type} event`);
  return { type: input.type, date };
}

/** More work that belongs to the same change (citing sources, say): done in the event's transaction, all or nothing. */
export type AlongWith = (trx: Transaction<DB>, eventId: number) => Promise<unknown>;

export async function createEvent(store: Store, personId: number, input: EventInput, context: EditContext, alongWith?: AlongWith): Promise<EventRecord> {
  const { type, date } = checkEvent(input);
  return store.db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const facilities = await ensureFacilities(trx, input.facility ? [input.facility] : [], context.actor, context.reason, now);
    const data: EventData = {
      person_id: personId, type, date, facility_id: input.facility ? facilities.ids.get(input.facility)! : null, case_id: null, deal_id: null,
      articles: input.articles ?? [], term_months: input.term_months ?? null, regime: input.regime ?? null, reason: input.reason ?? null,
      country: input.country ?? null, organization: input.organization ?? null, note: input.note ?? null, confidentiality: input.confidentiality ?? 'internal',
    };
    const [id] = await insertEvents(trx, [{ ...data, import_key: null, import_batch_id: null }], now);
    const urls = input.source_urls ?? [];
    const sources = await sourcesForUrls(trx, urls, now);
    await linkEventSources(trx, [...new Set(urls)].map((url) => ({ event_id: id!, source_id: sources.get(url)! })));
    await recordChanges(trx, [{ entity: 'event', entityId: id!, version: 1, action: 'create', actor: context.actor, reason: context.reason, before: null, after: { ...data, source_urls: urls } }], now);
    await appendAudit(trx, { actor: context.actor, action: 'create', entity: 'event', entityId: id!, ip: context.ip ?? null });
    await rebuildStatus(trx, [personId]);
    await alongWith?.(trx, id!);
    return (await eventsOfPerson(trx, personId)).find((event) => event.id === id)!;
  });
}

export async function updateEvent(store: Store, id: number, expectedVersion: number, changes: Partial<EventInput>, context: EditContext, alongWith?: AlongWith): Promise<EventRecord> {
  if (!context.reason.trim()) throw errors.validation('reason: say why the event changes (a source or an explanation)');
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw errors.notFound(`event ${id}`);
    if (row.version !== expectedVersion) throw errors.conflict(`event ${id}`, expectedVersion, row.version);
    const before = eventData(row);
    const facilityName = row.facility_id ? (await trx.selectFrom('facility').select('name').where('id', '=', row.facility_id).executeTakeFirst())?.name ?? null : null;
    const merged: EventInput = {
      type: before.type, date: before.date, facility: facilityName, articles: before.articles, term_months: before.term_months, regime: before.regime,
      reason: before.reason, country: before.country, organization: before.organization, note: before.note, confidentiality: before.confidentiality, ...changes,
    };
    const { type, date } = checkEvent(merged);
    const now = new Date().toISOString();
    const facilities = await ensureFacilities(trx, merged.facility ? [merged.facility] : [], context.actor, context.reason, now);
    const after: EventData = {
      ...before, type, date, facility_id: merged.facility ? facilities.ids.get(merged.facility)! : null, articles: merged.articles ?? [],
      term_months: merged.term_months ?? null, regime: merged.regime ?? null, reason: merged.reason ?? null, country: merged.country ?? null,
      organization: merged.organization ?? null, note: merged.note ?? null, confidentiality: merged.confidentiality ?? before.confidentiality,
    };
    const result = await trx
      .updateTable('event')
      .set({ ...after, articles: JSON.stringify(after.articles), version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw errors.conflict(`event ${id}`, expectedVersion, expectedVersion + 1);
    await recordChanges(trx, [{ entity: 'event', entityId: id, version: expectedVersion + 1, action: 'update', actor: context.actor, reason: context.reason, before, after }], now);
    await appendAudit(trx, { actor: context.actor, action: 'update', entity: 'event', entityId: id, ip: context.ip ?? null, detail: { version: expectedVersion + 1, reason: context.reason } });
    await rebuildStatus(trx, [row.person_id]);
    await alongWith?.(trx, id);
    return (await eventsOfPerson(trx, row.person_id)).find((event) => event.id === id)!;
  });
}
