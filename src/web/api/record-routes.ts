/**
 * The five routes every versioned record has (list, read, create, update, history), each the same chain:
 * authenticate and authorize (guards.ts), validate (zod), command (the feature's service, which runs the
 * transaction), present (what the policy lets this viewer see), audit the restricted values shown.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Store } from '../../store/connection.js';
import { historyOf } from '../../store/history.repository.js';
import type { Action, Viewer } from '../../domain/policy.js';
import type { Presented } from '../../features/persons/person.presenter.js';
import type { EditContext } from '../../features/persons/person.service.js';
import { given } from '../../features/records/record.service.js';
import { errors } from '../../errors.js';
import { allow, type Member } from './guards.js';
import { auditRestrictedRead } from './audit-reads.js';
import type { App } from './app-types.js';
import { ErrorBody, HistoryEntry as HistoryEntrySchema, NumericIdParam, pageOf } from './schemas.js';

export const errorsOf = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

type Page = { after: number; limit: number };

export interface RecordApi<Data, Rec extends Data & { id: number }, Q extends z.ZodType<Page>, C extends z.ZodType<{ change_reason: string }>, U extends z.ZodType<{ version: number; change_reason: string }>> {
  path: string;
  tag: string;
  /** The record's name in summaries, errors and the audit trail: "facility", "case", ... */
  entity: string;
  schemas: { view: z.ZodType; list: Q; create: C; update: U };
  page(store: Store, query: z.output<Q>): Promise<Rec[]>;
  find(store: Store, id: number): Promise<Rec>;
  /** What the viewer may see of each record or history snapshot (the policy decides, in the feature's presenter). */
  present(store: Store, viewer: Viewer, records: readonly Data[]): Promise<Presented<object>[]>;
  create(store: Store, data: Omit<z.output<C>, 'change_reason'>, context: EditContext): Promise<Rec>;
  edit(store: Store, id: number, version: number, changes: Partial<Omit<z.output<U>, 'version' | 'change_reason'>>, context: EditContext): Promise<Rec>;
  /** The action creating and changing these records needs (default 'write'; letters: 'log_letters'). */
  writeAction?: Action;
  /** Refuses a create the viewer may not make (e.g. about a person they may not see); 404 rather than 403. */
  checkCreate?(store: Store, viewer: Viewer, data: Omit<z.output<C>, 'change_reason'>): Promise<void>;
}

/** For records without a confidentiality level (facilities, sanction measures): every member sees all of them. */
export async function presentOpen(_store: Store, _viewer: Viewer, records: readonly object[]): Promise<Presented<object>[]> {
  return records.map((view) => ({ view, restricted: [] }));
}

export function contextOf(request: FastifyRequest, viewer: Member, reason: string): EditContext {
  return { actor: viewer.email, reason, ip: request.ip };
}

type AnyApi = RecordApi<any, any, z.ZodType<Page>, z.ZodType<{ change_reason: string }>, z.ZodType<{ version: number; change_reason: string }>>;

/** The record if the viewer may see it; 404 (not 403) otherwise, so its existence is not given away. */
export async function visibleRecord(store: Store, api: AnyApi, viewer: Viewer, id: number): Promise<{ record: { id: number }; shown: Presented<object> }> {
  const record = await api.find(store, id);
  const [shown] = await api.present(store, viewer, [record]);
  if (!shown?.view) throw errors.notFound(`${api.entity} ${id}`);
  return { record, shown };
}

/** Answers with the record as the writer may see it. */
export async function presentWritten(store: Store, api: AnyApi, viewer: Viewer, record: { id: number }): Promise<object> {
  const [shown] = await api.present(store, viewer, [record]);
  return shown?.view ?? {};
}

export function recordRoutes<Data, Rec extends Data & { id: number }, Q extends z.ZodType<Page>, C extends z.ZodType<{ change_reason: string }>, U extends z.ZodType<{ version: number; change_reason: string }>>(
  app: App,
  store: Store,
  api: RecordApi<Data, Rec, Q, C, U>,
): void {
  const { path, tag, entity, schemas } = api;
  const plain = api as unknown as AnyApi;

  app.get(path, {
    schema: { tags: [tag], summary: `List ${tag} (filters, pagination by id)`, querystring: schemas.list, response: { 200: pageOf(schemas.view), ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const query = request.query as z.output<Q>;
    const records = await api.page(store, query);
    const presented = await api.present(store, viewer, records);
    await auditRestrictedRead(store, request, entity, presented.map((p, i) => ({ id: records[i]!.id, fields: p.restricted })));
    return { items: presented.flatMap((p) => (p.view ? [p.view] : [])), next_after: records.length === query.limit ? records.at(-1)!.id : null };
  });

  app.get(`${path}/:id`, {
    schema: { tags: [tag], summary: `Read one ${entity}`, params: NumericIdParam, response: { 200: schemas.view, ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const { record, shown } = await visibleRecord(store, plain, viewer, request.params.id);
    await auditRestrictedRead(store, request, entity, [{ id: record.id, fields: shown.restricted }]);
    return shown.view;
  });

  app.post(path, {
    schema: { tags: [tag], summary: `Create a ${entity}`, body: schemas.create, response: { 201: schemas.view, ...errorsOf } },
  }, async (request, reply) => {
    const viewer = allow(request, api.writeAction ?? 'write');
    const { change_reason, ...data } = request.body as z.output<C>;
    await api.checkCreate?.(store, viewer, data);
    const record = await api.create(store, data, contextOf(request, viewer, change_reason));
    return reply.status(201).send(await presentWritten(store, plain, viewer, record));
  });

  app.patch(`${path}/:id`, {
    schema: { tags: [tag], summary: `Change a ${entity} (send the version you edited)`, params: NumericIdParam, body: schemas.update, response: { 200: schemas.view, ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, api.writeAction ?? 'write');
    await visibleRecord(store, plain, viewer, request.params.id);
    const { version, change_reason, ...changes } = request.body as z.output<U>;
    const record = await api.edit(store, request.params.id, version, given(changes), contextOf(request, viewer, change_reason));
    return presentWritten(store, plain, viewer, record);
  });

  app.get(`${path}/:id/history`, {
    schema: { tags: [tag], summary: `Every version of a ${entity}: who, when, before, after, why`, params: NumericIdParam, response: { 200: z.object({ items: z.array(HistoryEntrySchema) }), ...errorsOf } },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const { record } = await visibleRecord(store, plain, viewer, request.params.id);
    const history = await historyOf(store.db, entity, record.id);
    // A version is shown only as far as the viewer could see the record as it was then.
    const restricted: string[] = [];
    const shown = async (snapshot: unknown) => {
      if (snapshot === null) return null;
      const [presented] = await api.present(store, viewer, [snapshot as Data]);
      restricted.push(...(presented?.restricted ?? []));
      return presented?.view ?? null;
    };
    const items = [];
    for (const entry of history) items.push({ ...entry, before: await shown(entry.before), after: await shown(entry.after) });
    await auditRestrictedRead(store, request, entity, [{ id: record.id, fields: restricted }]);
    return { items };
  });
}
