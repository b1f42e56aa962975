/**
 * What a viewer may see of life after release. The public sees none of it, ever (domain/after-release.ts).
 * A member sees a record only when they may see the person it is about, the deal it names, and the
 * record's own level; then each field passes the policy on its own level (policy.fieldLevel).
 */
import { AFTER_RELEASE_FIELDS } from '../../domain/after-release.js';
import { fieldLevel, maySee, type Viewer } from '../../domain/policy.js';
import type { Executor } from '../../store/history.repository.js';
import { personsByIds } from '../../store/person.repository.js';
import { presentPerson, type Presented } from '../persons/person.presenter.js';
import type { AfterReleaseData, FieldLevels } from './after-release.service.js';

export type AfterReleaseView = Pick<AfterReleaseData, 'person_id' | 'deal_id' | 'confidentiality'> &
  Partial<Omit<AfterReleaseData, 'person_id' | 'deal_id' | 'confidentiality' | 'field_levels'>> & {
    /** External id of the person. */
    person: string;
    /** Slug of the deal, or null for a record "in general". */
    deal: string | null;
    field_levels: FieldLevels;
    /** Fields left out because the viewer may not see them. */
    hidden: string[];
  };

export async function presentAfterRelease<T extends AfterReleaseData>(db: Executor, viewer: Viewer, records: readonly T[]): Promise<Presented<AfterReleaseView & Omit<T, keyof AfterReleaseData>>[]> {
  if (viewer.kind === 'public') return records.map(() => ({ view: null, restricted: [] }));
  const people = new Map((await personsByIds(db, [...new Set(records.map((r) => r.person_id))])).map((person) => [person.id, person]));
  const dealIds = [...new Set(records.flatMap((r) => (r.deal_id === null ? [] : [r.deal_id])))];
  const deals = new Map(dealIds.length ? (await db.selectFrom('release_deal').select(['id', 'slug', 'confidentiality']).where('id', 'in', dealIds).execute()).map((d) => [d.id, d]) : []);
  return records.map((record) => {
    const person = people.get(record.person_id);
    const deal = record.deal_id === null ? null : deals.get(record.deal_id);
    if (!person || !presentPerson(viewer, person).view || deal === undefined) return { view: null, restricted: [] };
    if (deal && !maySee(viewer, { level: deal.confidentiality, consent: true })) return { view: null, restricted: [] };
    if (!maySee(viewer, { level: record.confidentiality, consent: person.publish })) return { view: null, restricted: [] };
    const restricted: string[] = [];
    if (person.confidentiality === 'restricted') restricted.push('person');
    if (deal?.confidentiality === 'restricted') restricted.push('deal');
    const { needs: _n, needs_text: _t, passport_withheld: _p, note: _o, country: _c, reunited_on: _r, ...rest } = record;
    const view: Record<string, unknown> & { hidden: string[] } = { ...rest, person: person.external_id, deal: deal?.slug ?? null, hidden: [] };
    for (const field of AFTER_RELEASE_FIELDS) {
      const level = fieldLevel(record.confidentiality, record.field_levels, field);
      if (!maySee(viewer, { level, consent: person.publish })) {
        view.hidden.push(field);
        continue;
      }
      if (level === 'restricted') restricted.push(field);
      view[field] = record[field];
    }
    return { view: view as unknown as AfterReleaseView & Omit<T, keyof AfterReleaseData>, restricted };
  });
}
