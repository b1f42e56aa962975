/**
 * /api/v1/letters: the letters log. Volunteers may log letters (the 'log_letters' action) about people
 * they may see; every member may read the log (it is internal: it names the volunteers). The public
 * sees only the counts, on the person's page.
 */
import type { Store } from '../../store/connection.js';
import { errors } from '../../errors.js';
import { findPerson } from '../../features/persons/person.service.js';
import { presentPerson } from '../../features/persons/person.presenter.js';
import { presentPersonBound } from '../../features/casework/person-bound.presenter.js';
import { editLetter, findLetter, letterCounts, letterPage, logLetter, type LetterData, type LetterRecord } from '../../features/casework/letters.service.js';
import type { Viewer } from '../../domain/policy.js';
import { allow } from './guards.js';
import type { App } from './app-types.js';
import { errorsOf, recordRoutes, type RecordApi } from './record-routes.js';
import { personFilter } from './casework.routes.js';
import { LetterCountsQuery, LetterCountsView, LetterCreate, LetterListQuery, LetterUpdate, LetterView } from './casework.schemas.js';

/** The person, if the viewer may see them; 404 otherwise, so their existence is not given away. */
async function visiblePerson(store: Store, viewer: Viewer, reference: string) {
  const person = await findPerson(store, reference);
  if (!presentPerson(viewer, person).view) throw errors.notFound(`person ${reference}`);
  return person;
}

export const letterApi: RecordApi<LetterData, LetterRecord, typeof LetterListQuery, typeof LetterCreate, typeof LetterUpdate> = {
  path: '/api/v1/letters',
  tag: 'letters',
  entity: 'letter',
  schemas: { view: LetterView, list: LetterListQuery, create: LetterCreate, update: LetterUpdate },
  async page(store, { after, limit, person, direction }) {
    const personId = await personFilter(store, person);
    return personId === null ? [] : letterPage(store, { after, limit }, { personId, direction });
  },
  find: findLetter,
  present: (store, viewer, records) => presentPersonBound(store.db, viewer, records, { entity: 'letter' }),
  writeAction: 'log_letters',
  async checkCreate(store, viewer, data) {
    await visiblePerson(store, viewer, data.person);
  },
  async create(store, { person, ...data }, context) {
    return logLetter(store, { ...data, person_id: (await findPerson(store, person)).id }, context);
  },
  edit: editLetter,
};

export function letterRoutes(app: App, store: Store): void {
  app.get('/api/v1/letters/counts', {
    schema: {
      tags: ['letters'],
      summary: 'How many letters were sent to a person and how many replies came back (letters logged on merged duplicates count too)',
      querystring: LetterCountsQuery,
      response: { 200: LetterCountsView, ...errorsOf },
    },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const person = await visiblePerson(store, viewer, request.query.person);
    const counts = (await letterCounts(store.db, [person.id])).get(person.id) ?? { sent: 0, replies: 0 };
    return { person: person.external_id, ...counts };
  });
  recordRoutes(app, store, letterApi);
}
