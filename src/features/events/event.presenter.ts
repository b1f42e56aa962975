/** What a viewer may see of an event: its own level, and the consent of the person it is about. */
import { maySee, type Viewer } from '../../domain/policy.js';
import type { EventRecord } from '../../store/event.repository.js';
import type { Presented } from '../persons/person.presenter.js';

export type EventView = Omit<EventRecord, 'note'> & { note?: string | null };

export function presentEvent(viewer: Viewer, event: EventRecord, personConsent: boolean): Presented<EventView> {
  if (!maySee(viewer, { level: event.confidentiality, consent: personConsent })) return { view: null, restricted: [] };
  // Notes are working notes of the documenters: never public.
  const { note, ...rest } = event;
  // A cited source has its own level: an internal event may cite a restricted source.
  const sources = event.sources.filter((source) => maySee(viewer, { level: source.confidentiality, consent: personConsent }));
  const view: EventView = viewer.kind === 'public' ? { ...rest, sources } : { ...rest, sources, note };
  const restricted = [...(event.confidentiality === 'restricted' ? ['event'] : []), ...(sources.some((source) => source.confidentiality === 'restricted') ? ['source'] : [])];
  return { view, restricted };
}
