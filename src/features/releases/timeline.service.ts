/**
 * The timeline analysts and the public chart need: the count of political prisoners month by month,
 * with new arrests, the negotiated releases (by deal) and the sanction measures imposed, eased, lifted
 * or reimposed in each month. Aggregates only: everyone is counted; deals the viewer may not see are left out.
 */
import { maySee, type Viewer } from '../../domain/policy.js';
import { sql } from 'kysely';
import type { Store } from '../../store/connection.js';
import { monthlySeries } from '../stats/stats.service.js';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../opendata/opendata.service.js';

export interface TimelineMonth {
  /** The last day of the month (or the `to` day for the last row). */
  date: string;
  in_custody: number;
  political_prisoners: number;
  released_political_prisoners: number;
  died_in_custody: number;
  arrests: number;
  released_by_deals: number;
  expelled_by_deals: number;
  deals: string[];
  sanction_changes: string[];
}

const month = (date: string) => date.slice(0, 7);

export async function releaseTimeline(store: Store, viewer: Viewer, from: string, to?: string): Promise<TimelineMonth[]> {
  const series = await monthlySeries(store, from, to);
  const last = series.at(-1)!.date;
  const arrests = await store.db
    .selectFrom('event')
    .select([sql<string>`substr(date, 1, 7)`.as('month'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('type', '=', 'detained')
    .where('date', '>=', from.slice(0, 7))
    .where('date', '<=', last)
    .groupBy(sql`substr(date, 1, 7)`)
    .execute();
  const deals = (await store.db.selectFrom('release_deal').select(['id', 'slug', 'date', 'confidentiality']).execute())
    .filter((deal) => maySee(viewer, { level: deal.confidentiality, consent: true }));
  // Only `deal_id is not null` in the query: the planner then reads the small partial index of deal
  // events (0010); asked for the types as well, SQLite read every release by type instead (3.7 s at 10M events).
  const dealEvents = (await store.db
    .selectFrom('event')
    .select(['deal_id', 'type', 'date'])
    .where('deal_id', 'is not', null)
    .execute()).filter((event) => event.type === 'released' || event.type === 'expelled');
  const visibleDeals = new Set(deals.map((deal) => deal.id));
  const sanctions = await store.db.selectFrom('sanction_measure').select(['issuer', 'target', 'imposed_on', 'eased_on', 'lifted_on', 'reimposed_on']).execute();
  const changes = sanctions.flatMap((s) =>
    (['imposed_on', 'eased_on', 'lifted_on', 'reimposed_on'] as const).flatMap((field) =>
      s[field] ? [{ month: month(s[field]!), text: `${s.issuer} ${field.replace('_on', '')} ${s.target}` }] : [],
    ),
  );
  return series.map((counts) => {
    const m = month(counts.date);
    const inMonth = dealEvents.filter((e) => month(e.date) === m && visibleDeals.has(e.deal_id!));
    return {
      ...counts,
      arrests: Number(arrests.find((a) => a.month === m)?.n ?? 0),
      released_by_deals: inMonth.filter((e) => e.type === 'released').length,
      expelled_by_deals: inMonth.filter((e) => e.type === 'expelled').length,
      deals: deals.filter((deal) => month(deal.date) === m).map((deal) => deal.slug),
      sanction_changes: changes.filter((c) => c.month === m).map((c) => c.text),
    };
  });
}

export const TIMELINE_COLUMNS = ['date', 'in_custody', 'political_prisoners', 'released_political_prisoners', 'died_in_custody', 'arrests', 'released_by_deals', 'expelled_by_deals', 'deals', 'sanction_changes'] as const;

/**
 * The timeline as CSV for analysts (RFC 4180, UTF-8, header row, lists joined with ";"). Sanction
 * targets are typed in by people: a text a spreadsheet would run as a formula is defused.
 */
export function timelineCsv(months: readonly TimelineMonth[]): string {
  const rows = months.map((m) => TIMELINE_COLUMNS.map((column) => {
    const value = m[column];
    return spreadsheetSafe(Array.isArray(value) ? value.join(';') : String(value));
  }));
  return stringify(rows, { header: true, columns: [...TIMELINE_COLUMNS] });
}
