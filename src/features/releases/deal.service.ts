/**
 * Release deals (DOMAIN.md "Release deal"): date, facilitating government and envoy, destinations,
 * conditions, the people named in the deal and what became of them, and the sanctions eased or lifted
 * in return. People and concessions are part of the deal: setting them is a versioned edit of the deal.
 */
import { isCountryCode } from '../../domain/event-types.js';
import type { ConcessionAction, DealCondition, DealOutcome, ReleaseDeal } from '../../domain/release-deal.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { personIds } from '../../store/person.repository.js';
import { equalTo } from '../../store/record.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { alreadyExists, checkedDate, createRecord, editRecord, findRecord, recordsPage, versionOf, withoutVersion, type RecordKind, type Versioned } from '../records/record.service.js';

export interface DealPerson {
  person_id: number;
  outcome: DealOutcome;
  note: string | null;
}

export interface DealConcession {
  measure_id: number;
  action: ConcessionAction;
}

export type DealData = Omit<ReleaseDeal, 'id' | 'version'> & { people: DealPerson[]; concessions: DealConcession[] };
export type DealRecord = DealData & Versioned;

/** A person named by external id, as the API and imports name people. */
export type DealPersonInput = Omit<DealPerson, 'person_id'> & { person: string };

export const dealKind: RecordKind<'release_deal', DealData, DealRecord> = {
  entity: 'deal',
  table: 'release_deal',
  columns: ({ people: _people, concessions: _concessions, ...deal }) => ({ ...deal, destinations: JSON.stringify(deal.destinations), conditions: JSON.stringify(deal.conditions) }),
  record: async (db, row) => {
    const people = await db.selectFrom('deal_person').select(['person_id', 'outcome', 'note']).where('deal_id', '=', row.id).orderBy('person_id').execute();
    const concessions = await db.selectFrom('deal_concession').select(['measure_id', 'action']).where('deal_id', '=', row.id).orderBy('measure_id').execute();
    return {
      slug: row.slug, date: row.date, facilitator: row.facilitator, envoy: row.envoy, counterpart: row.counterpart,
      destinations: JSON.parse(row.destinations) as string[], conditions: JSON.parse(row.conditions) as DealCondition[], summary: row.summary,
      confidentiality: row.confidentiality, people: people as DealPerson[], concessions: concessions as DealConcession[], ...versionOf(row),
    };
  },
  data: withoutVersion,
  async link(db, id, data) {
    await db.deleteFrom('deal_person').where('deal_id', '=', id).execute();
    await db.deleteFrom('deal_concession').where('deal_id', '=', id).execute();
    if (data.people.length) await db.insertInto('deal_person').values(data.people.map((person) => ({ deal_id: id, ...person }))).execute();
    if (data.concessions.length) await db.insertInto('deal_concession').values(data.concessions.map((concession) => ({ deal_id: id, ...concession }))).execute();
  },
};

async function checkDeal(db: Executor, data: DealData, id: number | null): Promise<DealData> {
  const holder = await db.selectFrom('release_deal').select('id').where('slug', '=', data.slug).executeTakeFirst();
  if (holder && holder.id !== id) throw alreadyExists('slug', data.slug, 'a deal with slug');
  const wrong = data.destinations.find((code) => !isCountryCode(code));
  if (wrong) throw errors.validation(`destinations: "${wrong}" is not an ISO 3166 two-letter code`);
  const twice = data.people.find((person, i) => data.people.findIndex((other) => other.person_id === person.person_id) !== i);
  if (twice) throw errors.validation(`people: person ${twice.person_id} is named twice; name each person once with one outcome`);
  const measureIds = [...new Set(data.concessions.map((concession) => concession.measure_id))];
  if (measureIds.length !== data.concessions.length) throw errors.validation('concessions: a measure is named twice; name each measure once');
  const known = measureIds.length ? new Set((await db.selectFrom('sanction_measure').select('id').where('id', 'in', measureIds).execute()).map((row) => row.id)) : new Set<number>();
  const unknown = measureIds.find((measureId) => !known.has(measureId));
  if (unknown !== undefined) throw errors.validation(`concessions: there is no sanction measure ${unknown} (create it with POST /api/v1/sanctions)`);
  return { ...data, date: checkedDate('date', data.date)!, destinations: [...new Set(data.destinations)], conditions: [...new Set(data.conditions)] };
}

/** Internal ids of the people named; every one must exist. */
export async function resolveDealPeople(db: Executor, people: readonly DealPersonInput[]): Promise<DealPerson[]> {
  const ids = await personIds(db, people.map((person) => person.person));
  const missing = people.find((person) => !ids.has(person.person));
  if (missing) throw errors.validation(`people: there is no person with external id ${missing.person}`);
  return people.map(({ person, outcome, note }) => ({ person_id: ids.get(person)!, outcome, note }));
}

export async function dealPage(store: Store, page: { after: number; limit: number }, filter: { from?: string; to?: string; facilitator?: string }): Promise<DealRecord[]> {
  const filters = equalTo({ facilitator: filter.facilitator });
  if (filter.from) filters.push(['date', '>=', filter.from]);
  if (filter.to) filters.push(['date', '<=', filter.to]);
  return recordsPage(store, dealKind, page, filters);
}

export const findDeal = (store: Store, id: number) => findRecord(store.db, dealKind, id);

export async function createDeal(store: Store, deal: Omit<DealData, 'people'> & { people: DealPersonInput[] }, context: EditContext): Promise<DealRecord> {
  const data = await checkDeal(store.db, { ...deal, people: await resolveDealPeople(store.db, deal.people) }, null);
  return createRecord(store, dealKind, data, context);
}

export async function editDeal(store: Store, id: number, expectedVersion: number, changes: Partial<Omit<DealData, 'people'>> & { people?: DealPersonInput[] }, context: EditContext): Promise<DealRecord> {
  return editRecord(store, dealKind, id, expectedVersion, async (before, db) => {
    const { people, ...rest } = changes;
    const after = { ...before, ...rest, people: people ? await resolveDealPeople(db, people) : before.people };
    return checkDeal(db, after, id);
  }, context);
}
