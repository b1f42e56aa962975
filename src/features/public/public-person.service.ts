/**
 * One published person's public timeline: their public events (and those of records merged into
 * them), each with its place, the deal it belongs to when the deal is public, and the sources the
 * public may see. Event notes are the documenters' working notes and are never public (as in exports). The person themselves comes from the public registry, which applied the policy.
 */
import { sortEvents } from '../../domain/custody.js';
import { isEventType } from '../../domain/custody.js';
import type { EventType } from '../../domain/event-types.js';
import { maySee, PUBLIC } from '../../domain/policy.js';
import type { Store } from '../../store/connection.js';

export interface PublicEventView {
  id: number;
  type: EventType;
  date: string;
  facility: { id: number; name: string; type: string; region: string | null } | null;
  articles: string[];
  term_months: number | null;
  regime: string | null;
  reason: string | null;
  country: string | null;
  organization: string | null;
  deal: { slug: string; date: string } | null;
  sources: { url: string | null; title: string | null; published_date: string | null }[];
  seq: number;
}

export async function publicEventsOf(store: Store, personId: number): Promise<PublicEventView[]> {
  const merged = await store.db.selectFrom('person').select('id').where('merged_into', '=', personId).execute();
  const rows = await store.db
    .selectFrom('event')
    .leftJoin('facility', 'facility.id', 'event.facility_id')
    .leftJoin('release_deal', 'release_deal.id', 'event.deal_id')
    .select([
      'event.id', 'event.type', 'event.date', 'event.facility_id', 'event.articles', 'event.term_months', 'event.regime', 'event.reason',
      'event.country', 'event.organization', 'event.confidentiality',
      'facility.name as facility_name', 'facility.type as facility_type', 'facility.region as facility_region',
      'release_deal.slug as deal_slug', 'release_deal.date as deal_date', 'release_deal.confidentiality as deal_level',
    ])
    .where('event.person_id', 'in', [personId, ...merged.map((row) => row.id)])
    .execute();
  // The person has consent (they are in the public registry); each event's own level decides.
  const visible = rows.filter((row) => isEventType(row.type) && maySee(PUBLIC, { level: row.confidentiality, consent: true }));
  const sources = visible.length
    ? await store.db
        .selectFrom('event_source')
        .innerJoin('source', 'source.id', 'event_source.source_id')
        .select(['event_source.event_id', 'source.url', 'source.title', 'source.published_date', 'source.confidentiality'])
        .where('event_source.event_id', 'in', visible.map((row) => row.id))
        .orderBy('source.id')
        .execute()
    : [];
  const events = visible.map((row): PublicEventView => ({
    id: row.id,
    seq: row.id,
    type: row.type as EventType,
    date: row.date,
    facility: row.facility_id !== null && row.facility_name ? { id: row.facility_id, name: row.facility_name, type: row.facility_type ?? 'other', region: row.facility_region } : null,
    articles: JSON.parse(row.articles) as string[],
    term_months: row.term_months,
    regime: row.regime,
    reason: row.reason,
    country: row.country,
    organization: row.organization,
    deal: row.deal_slug && row.deal_level && maySee(PUBLIC, { level: row.deal_level, consent: true }) ? { slug: row.deal_slug, date: row.deal_date! } : null,
    sources: sources
      .filter((source) => source.event_id === row.id && maySee(PUBLIC, { level: source.confidentiality, consent: true }))
      .map(({ url, title, published_date }) => ({ url, title, published_date })),
  }));
  return sortEvents(events);
}
