/**
 * What a viewer may see of records about one person (assistance cases, letters, violations, health
 * flags): the person must be visible to them, the record's own level must be, and some fields are
 * restricted whatever the record's level (family contacts, health details). policy.ts decides each step.
 */
import type { Level } from '../../domain/confidentiality.js';
import { maySee, type Viewer } from '../../domain/policy.js';
import type { Executor } from '../../store/history.repository.js';
import { personsByIds, type PersonRecord } from '../../store/person.repository.js';
import { presentPerson, type Presented } from '../persons/person.presenter.js';

export interface PersonBound {
  person_id: number;
  /** Records without a level of their own (letters) are internal. */
  confidentiality?: Level;
}

export interface BoundOptions<T> {
  /** The record's name in the audit trail. */
  entity: string;
  /** Fields shown only to viewers cleared for restricted values. */
  restrictedFields?: readonly (keyof T & string)[];
}

export async function peopleOf(db: Executor, records: readonly { person_id: number }[]): Promise<Map<number, PersonRecord>> {
  const ids = [...new Set(records.map((record) => record.person_id))];
  return new Map((await personsByIds(db, ids)).map((person) => [person.id, person]));
}

/** One record, given its person: the view (or null) and the restricted values it shows. */
export function presentBound<T extends PersonBound>(viewer: Viewer, record: T, person: PersonRecord | undefined, options: BoundOptions<T>): Presented<T & { person: string }> {
  if (!person || !presentPerson(viewer, person).view) return { view: null, restricted: [] };
  const level = record.confidentiality ?? 'internal';
  if (!maySee(viewer, { level, consent: person.publish })) return { view: null, restricted: [] };
  const restricted = level === 'restricted' ? [options.entity] : [];
  // Whose record it is is a value of the person's record, at the person's level.
  if (person.confidentiality === 'restricted') restricted.push('person');
  const view: Record<string, unknown> = { ...(record as object), person: person.external_id };
  const cleared = maySee(viewer, { level: 'restricted', consent: person.publish });
  for (const field of options.restrictedFields ?? []) {
    if (!cleared) delete view[field];
    else if (!isEmpty(record[field])) restricted.push(field);
  }
  return { view: view as unknown as T & { person: string }, restricted };
}

export async function presentPersonBound<T extends PersonBound>(db: Executor, viewer: Viewer, records: readonly T[], options: BoundOptions<T>): Promise<Presented<T & { person: string }>[]> {
  const people = await peopleOf(db, records);
  return records.map((record) => presentBound(viewer, record, people.get(record.person_id), options));
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}
