/**
 * Records the fictional demo deals the way a documenter would: the sanction measures, the deal with the
 * people asked for, then the releases and expulsions confirmed from the deal's list (record-outcomes),
 * which attaches the deal to each event. Those events are then published like the rest of the demo.
 */
import type { DemoDeal, DemoDeals } from '../../demo/deals.js';
import { FICTIONAL_NOTE } from '../../demo/rows.js';
import type { Store } from '../../store/connection.js';
import { updateEvent } from '../events/event.service.js';
import type { EditContext } from '../persons/person.service.js';
import { createDeal } from '../releases/deal.service.js';
import type { ReconcileEntry } from '../releases/reconcile.service.js';
import { recordDealOutcomes } from '../releases/record-outcomes.service.js';
import { createSanction } from '../releases/sanction.service.js';

/** The deal's own list, confirmed line by line: every line is the person meant. */
function confirmed(externalIds: readonly string[]): ReconcileEntry[] {
  return externalIds.map((id, i) => ({ line: i + 1, text: id, external_id: id, score: 1, status: 'matched', reason: null, candidates: [], same_person_as_line: null }));
}

async function recordDeal(store: Store, deal: DemoDeal, measures: Map<string, number>, context: EditContext): Promise<void> {
  const created = await createDeal(store, {
    slug: deal.slug, date: deal.date, facilitator: deal.facilitator, envoy: deal.envoy, counterpart: deal.counterpart,
    destinations: deal.destinations, conditions: deal.conditions, summary: deal.summary, confidentiality: 'public',
    concessions: deal.concessions.flatMap(({ sanction, action }) => (measures.has(sanction) ? [{ measure_id: measures.get(sanction)!, action }] : [])),
    people: [
      ...deal.refused.map((person) => ({ person, outcome: 'refused_expulsion' as const, note: null })),
      ...deal.asked_not_released.map((person) => ({ person, outcome: 'asked_not_released' as const, note: null })),
    ],
  }, context);
  if (deal.released.length) await recordDealOutcomes(store, deal.slug, confirmed(deal.released), { as: 'released' }, context);
  for (const [country, ids] of Object.entries(deal.expelled).sort()) {
    await recordDealOutcomes(store, deal.slug, confirmed(ids), { as: 'expelled', country }, context);
  }
  // Outcomes are recorded as internal; the demo's imported events are all public, so these are too.
  const events = await store.db.selectFrom('event').select(['id', 'version']).where('deal_id', '=', created.id).where('confidentiality', '!=', 'public').orderBy('id').execute();
  for (const event of events) await updateEvent(store, event.id, event.version, { confidentiality: 'public', note: FICTIONAL_NOTE }, context);
}

export async function recordDemoDeals(store: Store, plan: DemoDeals, actor: string): Promise<void> {
  const context: EditContext = { actor, reason: 'FICTIONAL demo data' };
  const measures = new Map<string, number>();
  for (const { key, ...measure } of plan.sanctions) measures.set(key, (await createSanction(store, { ...measure, reimposed_on: null }, context)).id);
  for (const deal of plan.deals) await recordDeal(store, deal, measures, context);
}
