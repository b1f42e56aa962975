/**
 * An edit made by someone who could not see all of a record changes only what they saw: names above
 * their clearance, fields whose level hides them, and the field levels (no form offers them) stay as
 * they are. Used for direct edits in the workspace and for approved proposals alike.
 */
import { fieldLevel, maySee, type Viewer } from '../../domain/policy.js';
import type { PersonData, PersonRecord } from '../../store/person.repository.js';
import { PERSON_FIELDS } from './person.presenter.js';

export type PersonField = (typeof PERSON_FIELDS)[number];

/** The fields of a person this viewer may not see (so a form must neither show nor change them). */
export function unseenFields(viewer: Viewer, person: Pick<PersonRecord, 'confidentiality' | 'field_levels' | 'publish'>): PersonField[] {
  return PERSON_FIELDS.filter((field) => !maySee(viewer, { level: fieldLevel(person.confidentiality, person.field_levels, field), consent: person.publish }));
}

export function keepUnseen(editor: Viewer, current: PersonRecord, edited: PersonData): Omit<PersonData, 'external_id'> {
  const { external_id: _id, ...changes } = edited;
  const result: Omit<PersonData, 'external_id'> = {
    ...changes,
    names: [...edited.names, ...current.names.filter((name) => !maySee(editor, { level: name.confidentiality, consent: current.publish }))],
    field_levels: current.field_levels,
  };
  for (const field of unseenFields(editor, current)) (result as Record<string, unknown>)[field] = current[field];
  return result;
}
