/**
 * What a viewer may see of casework: an assistance case with its person and at its level (family
 * contacts only with restricted clearance); aid and follow-ups exactly when their case is visible.
 */
import type { Viewer } from '../../domain/policy.js';
import type { Executor } from '../../store/history.repository.js';
import type { Presented } from '../persons/person.presenter.js';
import { casesByIds, type AssistanceCaseData } from './assistance.service.js';
import { peopleOf, presentBound, presentPersonBound } from './person-bound.presenter.js';

export function presentAssistanceCases<T extends AssistanceCaseData>(db: Executor, viewer: Viewer, cases: readonly T[]): Promise<Presented<T & { person: string }>[]> {
  return presentPersonBound(db, viewer, cases, { entity: 'assistance_case', restrictedFields: ['family_contacts'] });
}

/** Aid entries and follow-ups: seen with their case, and as restricted as it is. */
export async function presentCaseParts<T extends { case_id: number }>(db: Executor, viewer: Viewer, records: readonly T[], entity: string): Promise<Presented<T & { person: string }>[]> {
  const cases = await casesByIds(db, records.map((record) => record.case_id));
  const people = await peopleOf(db, [...cases.values()]);
  return records.map((record) => {
    const owner = cases.get(record.case_id);
    const shown = owner ? presentBound(viewer, owner, people.get(owner.person_id), { entity }) : null;
    if (!shown?.view) return { view: null, restricted: [] };
    return { view: { ...record, person: shown.view.person }, restricted: shown.restricted };
  });
}
