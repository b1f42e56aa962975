/** /api/v1/persons: list, read, create, update (version-checked), history, events. */
import { z } from 'zod';
import type { Store } from '../../store/connection.js';
import { personsByIds, type NameVariant, type PersonData, type PersonRecord } from '../../store/person.repository.js';
import { eventsOfPerson } from '../../store/event.repository.js';
import { createPerson, editPerson, findPerson, personHistory } from '../../features/persons/person.service.js';
import { presentPerson } from '../../features/persons/person.presenter.js';
import { presentEvent } from '../../features/events/event.presenter.js';
import { searchPeople } from '../../features/search/search.service.js';
import { errors } from '../../errors.js';
import type { Viewer } from '../../domain/policy.js';
import { allow } from './guards.js';
import { auditRestrictedRead } from './audit-reads.js';
import type { App } from './app-types.js';
import { ErrorBody, EventView, HistoryEntry, IdParam, NameVariantInput, PersonCreate, PersonListQuery, PersonUpdate, PersonView } from './schemas.js';

const errorsOf = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

function variants(names: z.output<typeof NameVariantInput>[]): NameVariant[] {
  return names.map((name) => ({
    family: name.family ?? null, given: name.given ?? null, patronymic: name.patronymic ?? null, full_name: name.full_name ?? null,
    lang: name.lang ?? null, script: name.script ?? (/[\u0400-\u04FF]/.test(`${name.family ?? ''}${name.given ?? ''}${name.full_name ?? ''}`) ? 'Cyrl' : 'Latn'),
    romanization: name.romanization ?? null, confidentiality: name.confidentiality,
  }));
}

/** History snapshots are records too: the viewer sees of them what they may see of the record. */
function redactSnapshot(viewer: Viewer, snapshot: unknown, current: PersonRecord): unknown {
  if (snapshot === null || typeof snapshot !== 'object') return snapshot;
  const data = snapshot as PersonData & { merged_into?: number | null };
  const { view } = presentPerson(viewer, { ...current, ...data, merged_into: data.merged_into ?? null });
  if (!view) return null;
  const { id: _id, version: _v, created_at: _c, updated_at: _u, ...content } = view;
  return content;
}

export function personRoutes(app: App, store: Store): void {
  app.get('/api/v1/persons', {
    schema: { tags: ['persons'], summary: 'List people (filters, name search, pagination)', querystring: PersonListQuery, response: { 200: z.object({ items: z.array(PersonView), next_after: z.number().int().nullable() }), ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const query = request.query;
    let ids: number[];
    if (query.q) {
      ids = (await searchPeople(store, query.q, { limit: query.limit })).map((hit) => hit.id);
    } else {
      let select = store.db.selectFrom('person').select('id').where('id', '>', query.after).orderBy('id').limit(query.limit);
      if (query.region) select = select.where('region', '=', query.region);
      if (query.gender) select = select.where('gender', '=', query.gender);
      if (query.published) select = select.where('publish', '=', query.published === 'yes' ? 1 : 0);
      ids = (await select.execute()).map((row) => row.id);
    }
    const presented = (await personsByIds(store.db, ids)).map((person) => ({ id: person.id, ...presentPerson(viewer, person) }));
    await auditRestrictedRead(store, request, 'person', presented.map((p) => ({ id: p.id, fields: p.restricted })));
    const items = presented.flatMap((p) => (p.view ? [p.view] : []));
    return { items, next_after: !query.q && ids.length === query.limit ? ids.at(-1)! : null };
  });

  app.get('/api/v1/persons/:id', {
    schema: { tags: ['persons'], summary: 'Read one person', params: IdParam, response: { 200: PersonView, ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const person = await findPerson(store, request.params.id);
    const { view, restricted } = presentPerson(viewer, person);
    if (!view) throw errors.notFound(`person ${request.params.id}`);
    await auditRestrictedRead(store, request, 'person', [{ id: person.id, fields: restricted }]);
    return view;
  });

  app.post('/api/v1/persons', {
    schema: { tags: ['persons'], summary: 'Create a person', body: PersonCreate, response: { 201: PersonView, ...errorsOf } },
  }, async (request, reply) => {
    const viewer = allow(request, 'write');
    const body = request.body;
    const data: PersonData = {
      external_id: body.external_id, birth_date: body.birth_date ?? null, gender: body.gender ?? 'unknown', region: body.region ?? null,
      occupation: body.occupation ?? null, tags: body.tags ?? [], biography: body.biography ?? {}, publish: body.publish ?? false,
      confidentiality: body.confidentiality ?? 'internal', field_levels: body.field_levels ?? {}, names: variants(body.names),
    };
    const person = await createPerson(store, data, { actor: viewer.email, reason: body.change_reason, ip: request.ip });
    return reply.status(201).send(presentPerson(viewer, person).view!);
  });

  app.patch('/api/v1/persons/:id', {
    schema: { tags: ['persons'], summary: 'Change a person (send the version you edited)', params: IdParam, body: PersonUpdate, response: { 200: PersonView, ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'write');
    const person = await findPerson(store, request.params.id);
    const { version, change_reason, names, ...fields } = request.body;
    const changes: Partial<PersonData> = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    if (names) changes.names = variants(names);
    const updated = await editPerson(store, person.id, version, changes, { actor: viewer.email, reason: change_reason, ip: request.ip });
    return presentPerson(viewer, updated).view!;
  });

  app.get('/api/v1/persons/:id/history', {
    schema: { tags: ['persons'], summary: 'Every version of a person record: who, when, before, after, why', params: IdParam, response: { 200: z.object({ items: z.array(HistoryEntry) }), ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const person = await findPerson(store, request.params.id);
    if (!presentPerson(viewer, person).view) throw errors.notFound(`person ${request.params.id}`);
    const history = await personHistory(store, request.params.id);
    const items = history.map((entry) => ({ ...entry, before: redactSnapshot(viewer, entry.before, person), after: redactSnapshot(viewer, entry.after, person) }));
    return { items };
  });

  app.get('/api/v1/persons/:id/events', {
    schema: { tags: ['persons', 'events'], summary: "A person's events in date order", params: IdParam, response: { 200: z.object({ items: z.array(EventView) }), ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const person = await findPerson(store, request.params.id);
    if (!presentPerson(viewer, person).view) throw errors.notFound(`person ${request.params.id}`);
    const presented = (await eventsOfPerson(store.db, person.id)).map((event) => ({ id: event.id, ...presentEvent(viewer, event, person.publish) }));
    await auditRestrictedRead(store, request, 'event', presented.map((p) => ({ id: p.id, fields: p.restricted })));
    return { items: presented.flatMap((p) => (p.view ? [p.view] : [])) };
  });
}

