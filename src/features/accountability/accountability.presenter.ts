/**
 * What a viewer may see of officials and violations: each at its own level (a violation also needs its
 * person), and of what they refer to (cases, events, officials, sources) only what the viewer may see.
 */
import type { Viewer } from '../../domain/policy.js';
import type { Executor } from '../../store/history.repository.js';
import { presentBound } from '../casework/person-bound.presenter.js';
import type { Presented } from '../persons/person.presenter.js';
import { presentLeveled } from '../records/record.presenter.js';
import type { OfficialData, OfficialLink } from './officials.service.js';
import { loadSight } from './sight.js';
import type { ViolationData } from './violations.service.js';

export type OfficialView<T> = T & { facility: string | null };

export async function presentOfficials<T extends OfficialData>(db: Executor, viewer: Viewer, officials: readonly T[]): Promise<Presented<OfficialView<T>>[]> {
  const links = officials.flatMap((official) => official.links);
  const sight = await loadSight(db, viewer, {
    caseIds: links.filter((link) => link.entity === 'case').map((link) => link.entity_id),
    eventIds: links.filter((link) => link.entity === 'event').map((link) => link.entity_id),
    facilityIds: officials.flatMap((official) => (official.facility_id === null ? [] : [official.facility_id])),
  });
  const target = (link: OfficialLink) => (link.entity === 'case' ? sight.cases.get(link.entity_id) : sight.events.get(link.entity_id));
  return officials.map((official) => {
    const shown = presentLeveled(viewer, official, 'official');
    if (!shown.view) return { view: null, restricted: [] };
    const visible = official.links.filter((link) => target(link) !== undefined);
    const restricted = visible.some((link) => target(link)!.level === 'restricted') ? [...shown.restricted, 'links'] : shown.restricted;
    const facility = official.facility_id === null ? null : (sight.facilities.get(official.facility_id)?.name ?? null);
    return { view: { ...official, links: visible, facility }, restricted };
  });
}

export type ViolationView<T> = Omit<T, 'official_ids' | 'source_ids'> & {
  person: string;
  facility: string | null;
  officials: { id: number; name: string; role: string }[];
  sources: { id: number; kind: string; url: string | null; title: string | null; citation: string | null }[];
};

export async function presentViolations<T extends ViolationData>(db: Executor, viewer: Viewer, violations: readonly T[]): Promise<Presented<ViolationView<T>>[]> {
  const sight = await loadSight(db, viewer, {
    personIds: violations.map((v) => v.person_id),
    caseIds: violations.flatMap((v) => (v.case_id === null ? [] : [v.case_id])),
    eventIds: violations.flatMap((v) => (v.event_id === null ? [] : [v.event_id])),
    officialIds: violations.flatMap((v) => v.official_ids),
    sourceIds: violations.flatMap((v) => v.source_ids),
    facilityIds: violations.flatMap((v) => (v.facility_id === null ? [] : [v.facility_id])),
  });
  return violations.map((violation) => {
    const shown = presentBound(viewer, violation, sight.people.get(violation.person_id)?.record, { entity: 'violation' });
    if (!shown.view) return { view: null, restricted: [] };
    const { official_ids: officialIds, source_ids: sourceIds, ...rest } = shown.view;
    const officials = officialIds.flatMap((id) => {
      const official = sight.officials.get(id);
      return official ? [official] : [];
    });
    const sources = sourceIds.flatMap((id) => {
      const source = sight.sources.get(id);
      return source ? [source] : [];
    });
    const restricted = [...shown.restricted];
    if (officials.some((o) => o.level === 'restricted')) restricted.push('officials');
    if (sources.some((s) => s.level === 'restricted')) restricted.push('sources');
    const view = {
      ...rest,
      case_id: violation.case_id !== null && sight.cases.has(violation.case_id) ? violation.case_id : null,
      event_id: violation.event_id !== null && sight.events.has(violation.event_id) ? violation.event_id : null,
      facility: violation.facility_id === null ? null : (sight.facilities.get(violation.facility_id)?.name ?? null),
      officials: officials.map(({ id, name, role }) => ({ id, name, role })),
      sources: sources.map(({ id, kind, url, title, citation }) => ({ id, kind, url, title, citation })),
    };
    return { view: view as unknown as ViolationView<T>, restricted };
  });
}
