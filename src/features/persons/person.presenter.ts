/**
 * What a viewer may see of a person: every value passes the policy (domain/policy.ts) on its own level.
 * Returns which restricted values were shown, so the caller can write the read to the audit trail.
 */
import type { Level } from '../../domain/confidentiality.js';
import { fieldLevel, maySee, type Viewer } from '../../domain/policy.js';
import type { NameVariant, PersonRecord } from '../../store/person.repository.js';

export const PERSON_FIELDS = ['birth_date', 'gender', 'region', 'occupation', 'tags', 'biography'] as const;
type PersonField = (typeof PERSON_FIELDS)[number];

export interface PersonView {
  id: number;
  external_id: string;
  version: number;
  names: NameVariant[];
  birth_date?: string | null;
  gender?: string;
  region?: string | null;
  occupation?: string | null;
  tags?: string[];
  biography?: Record<string, string>;
  publish: boolean;
  confidentiality: Level;
  field_levels?: Record<string, Level>;
  merged_into: number | null;
  created_at: string;
  updated_at: string;
}

export interface Presented<T> {
  view: T | null;
  /** Names of restricted values included in the view (empty when none). */
  restricted: string[];
}

export function presentPerson(viewer: Viewer, person: PersonRecord): Presented<PersonView> {
  const consent = person.publish;
  if (!maySee(viewer, { level: person.confidentiality, consent }) || (viewer.kind === 'public' && person.merged_into !== null)) {
    return { view: null, restricted: [] };
  }
  const restricted: string[] = [];
  const names = person.names.filter((name) => {
    const visible = maySee(viewer, { level: name.confidentiality, consent });
    if (visible && name.confidentiality === 'restricted') restricted.push('name');
    return visible;
  });
  const view: PersonView = {
    id: person.id, external_id: person.external_id, version: person.version, names, publish: person.publish,
    confidentiality: person.confidentiality, merged_into: person.merged_into, created_at: person.created_at, updated_at: person.updated_at,
  };
  if (viewer.kind === 'member') view.field_levels = person.field_levels;
  for (const field of PERSON_FIELDS) {
    const level = fieldLevel(person.confidentiality, person.field_levels, field);
    if (!maySee(viewer, { level, consent })) continue;
    if (level === 'restricted') restricted.push(field);
    (view as unknown as Record<PersonField, unknown>)[field] = person[field];
  }
  return { view, restricted };
}
