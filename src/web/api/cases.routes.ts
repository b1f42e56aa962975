/** /api/v1/cases: criminal cases — list, read, create, update (version-checked), history. Seen only with both the case and its person. */
import type { Store } from '../../store/connection.js';
import { casePage, createCase, editCase, findCase, type CaseData, type CaseRecord } from '../../features/cases/case.service.js';
import { presentCases } from '../../features/cases/case.presenter.js';
import { findPerson } from '../../features/persons/person.service.js';
import { personIds } from '../../store/person.repository.js';
import type { App } from './app-types.js';
import { recordRoutes, type RecordApi } from './record-routes.js';
import { CaseCreate, CaseListQuery, CaseUpdate, CaseView } from './schemas.js';

export const caseApi: RecordApi<CaseData, CaseRecord, typeof CaseListQuery, typeof CaseCreate, typeof CaseUpdate> = {
  path: '/api/v1/cases',
  tag: 'cases',
  entity: 'case',
  schemas: { view: CaseView, list: CaseListQuery, create: CaseCreate, update: CaseUpdate },
  async page(store, { after, limit, person, ...filter }) {
    if (person === undefined) return casePage(store, { after, limit }, filter);
    const personId = (await personIds(store.db, [person])).get(person);
    return personId === undefined ? [] : casePage(store, { after, limit }, { ...filter, personId });
  },
  find: findCase,
  present: (store, viewer, cases) => presentCases(store.db, viewer, cases),
  async create(store, { person: reference, ...data }, context) {
    const person = await findPerson(store, reference);
    return createCase(store, { ...data, person_id: person.id }, context);
  },
  edit: editCase,
};

export function caseRoutes(app: App, store: Store): void {
  recordRoutes(app, store, caseApi);
}
