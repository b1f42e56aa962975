/** What a viewer may see of a record that has one confidentiality level of its own (a source, a deal, a case). */
import type { Level } from '../../domain/confidentiality.js';
import { maySee, type Viewer } from '../../domain/policy.js';
import type { Presented } from '../persons/person.presenter.js';

/** `consent`: for a record about a person, whether that person's publication consent is given. */
export function presentLeveled<T extends { confidentiality: Level }>(viewer: Viewer, record: T, entity: string, consent = true): Presented<T> {
  if (!maySee(viewer, { level: record.confidentiality, consent })) return { view: null, restricted: [] };
  return { view: record, restricted: record.confidentiality === 'restricted' ? [entity] : [] };
}
