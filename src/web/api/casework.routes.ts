/**
 * /api/v1/casework (assistance cases, aid given, follow-ups, reminders due) and /api/v1/health-flags.
 * Restricted by default: only roles cleared for restricted values see them (policy.ts), family contacts
 * and health details only with that clearance whatever the record's level, and every read of a
 * restricted value is written to the audit trail.
 */
import { z } from 'zod';
import type { Store } from '../../store/connection.js';
import { today } from '../../domain/partial-date.js';
import { personIds } from '../../store/person.repository.js';
import { findPerson } from '../../features/persons/person.service.js';
import {
  aidPage, createAid, createAssistanceCase, createFollowUp, editAid, editAssistanceCase, editFollowUp, findAid, findAssistanceCase, findFollowUp,
  followUpPage, followUpsDue, assistanceCasePage, type AidData, type AidRecord, type AssistanceCaseData, type AssistanceCaseRecord, type FollowUpData, type FollowUpRecord,
} from '../../features/casework/assistance.service.js';
import { presentAssistanceCases, presentCaseParts } from '../../features/casework/casework.presenter.js';
import { createHealthFlag, editHealthFlag, findHealthFlag, healthFlagPage, type HealthFlagData, type HealthFlagRecord } from '../../features/casework/health.service.js';
import { presentPersonBound } from '../../features/casework/person-bound.presenter.js';
import { allow } from './guards.js';
import { auditRestrictedRead } from './audit-reads.js';
import type { App } from './app-types.js';
import { errorsOf, recordRoutes, type RecordApi } from './record-routes.js';
import {
  AidCreate, AidListQuery, AidUpdate, AidView, AssistanceCaseCreate, AssistanceCaseListQuery, AssistanceCaseUpdate, AssistanceCaseView,
  FollowUpCreate, FollowUpListQuery, FollowUpUpdate, FollowUpView, HealthFlagCreate, HealthFlagListQuery, HealthFlagUpdate, HealthFlagView, RemindersQuery,
} from './casework.schemas.js';

/** The internal id of a person named by external id, or null (a list filtered by an unknown person is empty). */
export async function personFilter(store: Store, person: string | undefined): Promise<number | null | undefined> {
  if (person === undefined) return undefined;
  return (await personIds(store.db, [person])).get(person) ?? null;
}

export const assistanceCaseApi: RecordApi<AssistanceCaseData, AssistanceCaseRecord, typeof AssistanceCaseListQuery, typeof AssistanceCaseCreate, typeof AssistanceCaseUpdate> = {
  path: '/api/v1/casework/cases',
  tag: 'casework',
  entity: 'assistance_case',
  schemas: { view: AssistanceCaseView, list: AssistanceCaseListQuery, create: AssistanceCaseCreate, update: AssistanceCaseUpdate },
  async page(store, { after, limit, person, status }) {
    const personId = await personFilter(store, person);
    return personId === null ? [] : assistanceCasePage(store, { after, limit }, { personId, status });
  },
  find: findAssistanceCase,
  present: (store, viewer, records) => presentAssistanceCases(store.db, viewer, records),
  async create(store, { person, ...data }, context) {
    return createAssistanceCase(store, { ...data, person_id: (await findPerson(store, person)).id }, context);
  },
  edit: editAssistanceCase,
};

export const aidApi: RecordApi<AidData, AidRecord, typeof AidListQuery, typeof AidCreate, typeof AidUpdate> = {
  path: '/api/v1/casework/aid',
  tag: 'casework',
  entity: 'assistance_aid',
  schemas: { view: AidView, list: AidListQuery, create: AidCreate, update: AidUpdate },
  page: (store, { after, limit, case_id }) => aidPage(store, { after, limit }, { caseId: case_id }),
  find: findAid,
  present: (store, viewer, records) => presentCaseParts(store.db, viewer, records, 'assistance_aid'),
  create: (store, data, context) => createAid(store, data, context),
  edit: editAid,
};

export const followUpApi: RecordApi<FollowUpData, FollowUpRecord, typeof FollowUpListQuery, typeof FollowUpCreate, typeof FollowUpUpdate> = {
  path: '/api/v1/casework/follow-ups',
  tag: 'casework',
  entity: 'follow_up',
  schemas: { view: FollowUpView, list: FollowUpListQuery, create: FollowUpCreate, update: FollowUpUpdate },
  page: (store, { after, limit, case_id, due_by }) => followUpPage(store, { after, limit }, { caseId: case_id, dueBy: due_by }),
  find: findFollowUp,
  present: (store, viewer, records) => presentCaseParts(store.db, viewer, records, 'follow_up'),
  create: (store, data, context) => createFollowUp(store, data, context),
  edit: editFollowUp,
};

export const healthFlagApi: RecordApi<HealthFlagData, HealthFlagRecord, typeof HealthFlagListQuery, typeof HealthFlagCreate, typeof HealthFlagUpdate> = {
  path: '/api/v1/health-flags',
  tag: 'casework',
  entity: 'health_flag',
  schemas: { view: HealthFlagView, list: HealthFlagListQuery, create: HealthFlagCreate, update: HealthFlagUpdate },
  async page(store, { after, limit, person, kind }) {
    const personId = await personFilter(store, person);
    return personId === null ? [] : healthFlagPage(store, { after, limit }, { personId, kind });
  },
  find: findHealthFlag,
  present: (store, viewer, records) => presentPersonBound(store.db, viewer, records, { entity: 'health_flag', restrictedFields: ['detail'] }),
  async create(store, { person, ...data }, context) {
    return createHealthFlag(store, { ...data, person_id: (await findPerson(store, person)).id }, context);
  },
  edit: editHealthFlag,
};

function reminderRoute(app: App, store: Store): void {
  app.get('/api/v1/casework/reminders', {
    schema: {
      tags: ['casework'],
      summary: 'Reminders: follow-ups not done and due on or before a day (default today), the most overdue first',
      querystring: RemindersQuery,
      response: { 200: z.object({ date: z.string(), items: z.array(FollowUpView) }), ...errorsOf },
    },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const day = request.query.on ?? today();
    const due = await followUpsDue(store.db, day);
    const presented = await presentCaseParts(store.db, viewer, due, 'follow_up');
    await auditRestrictedRead(store, request, 'follow_up', presented.map((p, i) => ({ id: due[i]!.id, fields: p.restricted })));
    return { date: day, items: presented.flatMap((p) => (p.view ? [p.view] : [])) };
  });
}

export function caseworkRoutes(app: App, store: Store): void {
  recordRoutes(app, store, assistanceCaseApi);
  recordRoutes(app, store, aidApi);
  recordRoutes(app, store, followUpApi);
  reminderRoute(app, store);
  recordRoutes(app, store, healthFlagApi);
}
