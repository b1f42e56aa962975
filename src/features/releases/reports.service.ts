/**
 * The release reports advocates and diplomats ask for, computed from events and deal lists:
 * - released by deal and destination (how many were released or expelled, and where to);
 * - still held among those asked for (named in a deal but in custody on the day);
 * - re-arrested after release (custody that started again after it had ended).
 * People appear in lists only as far as the viewer may see them (policy module).
 */
import { today as todayDate } from '../../domain/partial-date.js';
import type { Viewer } from '../../domain/policy.js';
import type { Store } from '../../store/connection.js';
import { personsByIds } from '../../store/person.repository.js';
import { peopleWithStatusOn } from '../../store/status.repository.js';
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
  released: number;
  expelled: number;
  /** ISO country → people expelled there. */
  destinations: Record<string, number>;
  asked_for: number;
  still_held: PersonRef[];
  /** People the viewer may not see, counted but not named. */
  still_held_not_shown: number;
}

export interface Rearrest {
  person: PersonRef;
  released_on: string;
  detained_again_on: string;
}

export interface ReleaseReport {
  date: string;
  deals: DealSummary[];
  rearrested: Rearrest[];
  rearrested_not_shown: number;
}

async function visiblePeople(store: Store, viewer: Viewer, ids: readonly number[]): Promise<Map<number, PersonRef>> {
  const people = await personsByIds(store.db, [...new Set(ids)]);
  const shown = new Map<number, PersonRef>();
  for (const person of people) {
    const { view } = presentPerson(viewer, person);
    if (view) shown.set(person.id, { external_id: view.external_id, name: displayName(view.names) });
  }
  return shown;
}

export async function releaseReport(store: Store, viewer: Viewer, day: string = todayDate()): Promise<ReleaseReport> {
  const deals = await store.db.selectFrom('release_deal').select(['id', 'slug', 'date', 'facilitator']).orderBy('date').execute();
  const outcomes = await store.db
    .selectFrom('event')
    .select(['deal_id', 'type', 'country', (eb) => eb.fn.countAll<number>().as('n')])
    .where('deal_id', 'is not', null)
    .where('type', 'in', ['released', 'expelled'])
    .where('date', '<=', day)
    .groupBy(['deal_id', 'type', 'country'])
    .execute();
  const inCustody = await peopleWithStatusOn(store.db, 'custody', day);
  const named = await store.db.selectFrom('deal_person').select(['deal_id', 'person_id']).execute();
  const heldIds = named.filter((row) => inCustody.has(row.person_id)).map((row) => row.person_id);

  // A second custody interval that starts after an earlier one ended is a re-arrest.
  const custody = await store.db
    .selectFrom('status_interval')
    .select(['person_id', 'start_day', 'end_day'])
    .where('kind', '=', 'custody')
    .where('start_day', '<=', day)
    .orderBy('person_id')
    .orderBy('start_day')
    .execute();
  const rearrests: { person_id: number; released_on: string; detained_again_on: string }[] = [];
  for (let i = 1; i < custody.length; i++) {
    const before = custody[i - 1]!;
    const after = custody[i]!;
    if (before.person_id === after.person_id && before.end_day !== null) {
      rearrests.push({ person_id: after.person_id, released_on: before.end_day, detained_again_on: after.start_day });
    }
  }

  const shown = await visiblePeople(store, viewer, [...heldIds, ...rearrests.map((r) => r.person_id)]);
  const summaries = deals.map((deal): DealSummary => {
    const mine = outcomes.filter((row) => row.deal_id === deal.id);
    const destinations: Record<string, number> = {};
    for (const row of mine.filter((r) => r.type === 'expelled')) destinations[row.country ?? 'unknown'] = (destinations[row.country ?? 'unknown'] ?? 0) + Number(row.n);
    const held = named.filter((row) => row.deal_id === deal.id && inCustody.has(row.person_id));
    return {
      slug: deal.slug,
      date: deal.date,
      facilitator: deal.facilitator,
      released: mine.filter((r) => r.type === 'released').reduce((sum, r) => sum + Number(r.n), 0),
      expelled: mine.filter((r) => r.type === 'expelled').reduce((sum, r) => sum + Number(r.n), 0),
      destinations,
      asked_for: named.filter((row) => row.deal_id === deal.id).length,
      still_held: held.flatMap((row) => (shown.has(row.person_id) ? [shown.get(row.person_id)!] : [])),
      still_held_not_shown: held.filter((row) => !shown.has(row.person_id)).length,
    };
  });
  return {
    date: day,
    deals: summaries,
    rearrested: rearrests.flatMap((r) => (shown.has(r.person_id) ? [{ person: shown.get(r.person_id)!, released_on: r.released_on, detained_again_on: r.detained_again_on }] : [])),
    rearrested_not_shown: rearrests.filter((r) => !shown.has(r.person_id)).length,
  };
}
