/** What a viewer may see of a case: the case's own level, and the person it is about (policy.ts decides both). */
import type { Viewer } from '../../domain/policy.js';
import type { Executor } from '../../store/history.repository.js';
import { personsByIds } from '../../store/person.repository.js';
import { presentPerson, type Presented } from '../persons/person.presenter.js';
import { presentLeveled } from '../records/record.presenter.js';
import type { CaseData } from './case.service.js';

export async function presentCases<T extends CaseData>(db: Executor, viewer: Viewer, cases: readonly T[]): Promise<Presented<T & { person: string }>[]> {
  const people = new Map((await personsByIds(db, [...new Set(cases.map((legalCase) => legalCase.person_id))])).map((person) => [person.id, person]));
  return cases.map((legalCase) => {
    const person = people.get(legalCase.person_id);
    const shown = person && presentPerson(viewer, person).view ? presentLeveled(viewer, legalCase, 'case', person.publish) : null;
    if (!person || !shown?.view) return { view: null, restricted: [] };
    // Whose case it is is a value of the person's record, at the person's level.
    const restricted = person.confidentiality === 'restricted' ? [...shown.restricted, 'person'] : shown.restricted;
    return { view: { ...shown.view, person: person.external_id }, restricted };
  });
}
