/** What a viewer may see of a deal: the deal's level decides the deal; each person named passes the policy on their own record. */
import type { Viewer } from '../../domain/policy.js';
import type { Executor } from '../../store/history.repository.js';
import { personsByIds } from '../../store/person.repository.js';
import { presentPerson, type Presented } from '../persons/person.presenter.js';
import { presentLeveled } from '../records/record.presenter.js';
import type { DealData, DealPerson } from './deal.service.js';

export type DealView<T extends DealData> = Omit<T, 'people'> & { people: (DealPerson & { person: string })[] };

export async function presentDeals<T extends DealData>(db: Executor, viewer: Viewer, deals: readonly T[]): Promise<Presented<DealView<T>>[]> {
  const people = new Map((await personsByIds(db, [...new Set(deals.flatMap((deal) => deal.people.map((named) => named.person_id)))])).map((person) => [person.id, person]));
  return deals.map((deal) => {
    const shown = presentLeveled(viewer, deal, 'deal');
    if (!shown.view) return shown as Presented<never>;
    const restricted = [...shown.restricted];
    const named = deal.people.flatMap((entry) => {
      const person = people.get(entry.person_id);
      if (!person || !presentPerson(viewer, person).view) return [];
      if (person.confidentiality === 'restricted') restricted.push('person');
      return [{ ...entry, person: person.external_id }];
    });
    return { view: { ...deal, people: named }, restricted };
  });
}
