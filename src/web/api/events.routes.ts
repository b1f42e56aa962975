/** /api/v1/events: list, read, create, update (version-checked), history. */
import { z } from 'zod';
import type { Store } from '../../store/connection.js';
import { eventHistory, eventsOfPerson } from '../../store/event.repository.js';
import { createEvent, updateEvent } from '../../features/events/event.service.js';
import { presentEvent } from '../../features/events/event.presenter.js';
import { findPerson } from '../../features/persons/person.service.js';
import { presentPerson } from '../../features/persons/person.presenter.js';
import { errors } from '../../errors.js';
import { clearance, type Viewer } from '../../domain/policy.js';
import { allows, type Level } from '../../domain/confidentiality.js';
import { allow } from './guards.js';
import { auditRestrictedRead } from './audit-reads.js';
import type { App } from './app-types.js';
import { ErrorBody, EventCreate, EventListQuery, EventUpdate, EventView, HistoryEntry, NumericIdParam } from './schemas.js';

const errorsOf = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

async function visibleEvent(store: Store, viewer: Viewer, id: number) {
  const row = await store.db
    .selectFrom('event')
    .innerJoin('person', 'person.id', 'event.person_id')
    .select(['event.person_id', 'person.external_id', 'person.publish'])
    .where('event.id', '=', id)
    .executeTakeFirst();
  if (!row) throw errors.notFound(`event ${id}`);
  const person = await findPerson(store, row.external_id);
  const event = (await eventsOfPerson(store.db, row.person_id)).find((e) => e.id === id)!;
  const presented = presentEvent(viewer, event, person.publish);
  if (!presented.view || !presentPerson(viewer, person).view) throw errors.notFound(`event ${id}`);
  return presented;
}

export function eventRoutes(app: App, store: Store): void {
  app.get('/api/v1/events', {
    schema: { tags: ['events'], summary: 'List events (by person, type, date range)', querystring: EventListQuery, response: { 200: z.object({ items: z.array(EventView), next_after: z.number().int().nullable() }), ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const query = request.query;
    let select = store.db
      .selectFrom('event')
      .innerJoin('person', 'person.id', 'event.person_id')
      .select(['event.id', 'event.person_id', 'person.publish'])
      .where('event.id', '>', query.after)
      .orderBy('event.id')
      .limit(query.limit);
    if (query.person) select = select.where('person.external_id', '=', query.person);
    if (query.type) select = select.where('event.type', '=', query.type);
    if (query.from) select = select.where('event.date', '>=', query.from);
    if (query.to) select = select.where('event.date', '<=', query.to);
    const rows = await select.execute();
    const byPerson = new Map<number, Awaited<ReturnType<typeof eventsOfPerson>>>();
    for (const personId of new Set(rows.map((row) => row.person_id))) byPerson.set(personId, await eventsOfPerson(store.db, personId));
    const presented = rows.map((row) => ({ id: row.id, ...presentEvent(viewer, byPerson.get(row.person_id)!.find((e) => e.id === row.id)!, row.publish === 1) }));
    await auditRestrictedRead(store, request, 'event', presented.map((p) => ({ id: p.id, fields: p.restricted })));
    return { items: presented.flatMap((p) => (p.view ? [p.view] : [])), next_after: rows.length === query.limit ? rows.at(-1)!.id : null };
  });

  app.get('/api/v1/events/:id', {
    schema: { tags: ['events'], summary: 'Read one event', params: NumericIdParam, response: { 200: EventView, ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const { view, restricted } = await visibleEvent(store, viewer, request.params.id);
    await auditRestrictedRead(store, request, 'event', [{ id: request.params.id, fields: restricted }]);
    return view!;
  });

  app.post('/api/v1/events', {
    schema: { tags: ['events'], summary: 'Record an event for a person', body: EventCreate, response: { 201: EventView, ...errorsOf } },
  }, async (request, reply) => {
    const viewer = allow(request, 'write');
    const { person: reference, change_reason, ...input } = request.body;
    const person = await findPerson(store, reference);
    const event = await createEvent(store, person.id, input, { actor: viewer.email, reason: change_reason, ip: request.ip });
    return reply.status(201).send(presentEvent(viewer, event, person.publish).view!);
  });

  app.patch('/api/v1/events/:id', {
    schema: { tags: ['events'], summary: 'Correct an event (send the version you edited)', params: NumericIdParam, body: EventUpdate, response: { 200: EventView, ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'write');
    await visibleEvent(store, viewer, request.params.id);
    const { version, change_reason, changes } = request.body;
    const event = await updateEvent(store, request.params.id, version, changes, { actor: viewer.email, reason: change_reason, ip: request.ip });
    return presentEvent(viewer, event, true).view!;
  });

  app.get('/api/v1/events/:id/history', {
    schema: { tags: ['events'], summary: 'Every version of an event', params: NumericIdParam, response: { 200: z.object({ items: z.array(HistoryEntry) }), ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    await visibleEvent(store, viewer, request.params.id);
    const history = await eventHistory(store.db, request.params.id);
    // A version is shown only if the viewer could see the event at the level it had then.
    const shown = (snapshot: unknown) => {
      const level = (snapshot as { confidentiality?: Level } | null)?.confidentiality;
      return snapshot !== null && level && allows(clearance(viewer), level) ? snapshot : null;
    };
    return { items: history.map((entry) => ({ ...entry, before: shown(entry.before), after: shown(entry.after) })) };
  });
}
