/**
 * /api/v1/deals: release deals — list, read, create, update (version-checked), history; setting the
 * people named in a deal and the concessions given for it, each a versioned edit of the deal; and the
 * list workflow: reconcile a published list, then record the lines a person confirmed (all or nothing).
 */
import { z } from 'zod';
import type { Store } from '../../store/connection.js';
import { createDeal, dealPage, editDeal, findDeal, type DealData, type DealRecord } from '../../features/releases/deal.service.js';
import { presentDeals } from '../../features/releases/deal.presenter.js';
import { reconcileLines } from '../../features/releases/reconcile.service.js';
import { LINE_OUTCOMES, recordConfirmedOutcomes } from '../../features/releases/record-outcomes.service.js';
import { personsByIds } from '../../store/person.repository.js';
import { auditRestrictedRead } from './audit-reads.js';
import { allow } from './guards.js';
import type { App } from './app-types.js';
import { contextOf, errorsOf, presentWritten, recordRoutes, visibleRecord, type RecordApi } from './record-routes.js';
import { DealConcessionsUpdate, DealCreate, DealListQuery, DealPeopleUpdate, DealUpdate, DealView, ErrorBody, Level, NumericIdParam } from './schemas.js';

export const dealApi: RecordApi<DealData, DealRecord, typeof DealListQuery, typeof DealCreate, typeof DealUpdate> = {
  path: '/api/v1/deals',
  tag: 'deals',
  entity: 'deal',
  schemas: { view: DealView, list: DealListQuery, create: DealCreate, update: DealUpdate },
  page: (store, { after, limit, ...filter }) => dealPage(store, { after, limit }, filter),
  find: findDeal,
  present: (store, viewer, deals) => presentDeals(store.db, viewer, deals),
  create: createDeal,
  edit: editDeal,
};

/** The parts of a deal kept in rows of their own, each set as a whole list (a versioned edit of the deal). */
const PARTS = [
  { part: 'people', body: DealPeopleUpdate, summary: 'Set the people named in a deal and what became of each (send the version you edited)' },
  { part: 'concessions', body: DealConcessionsUpdate, summary: 'Set the sanctions eased or lifted in return for a deal (send the version you edited)' },
] as const;

export function dealRoutes(app: App, store: Store): void {
  recordRoutes(app, store, dealApi);

  for (const { part, body, summary } of PARTS) {
    app.put(`/api/v1/deals/:id/${part}`, {
      schema: { tags: ['deals'], summary, params: NumericIdParam, body, response: { 200: DealView, ...errorsOf } },
    }, async (request) => {
      const viewer = allow(request, 'write');
      await visibleRecord(store, dealApi, viewer, request.params.id);
      const { version, change_reason, ...changes } = request.body as z.output<typeof DealPeopleUpdate> | z.output<typeof DealConcessionsUpdate>;
      const deal = await editDeal(store, request.params.id, version, changes, contextOf(request, viewer, change_reason));
      return (await presentWritten(store, dealApi, viewer, deal)) as z.output<typeof DealView>;
    });
  }
  listRoutes(app, store);
}

const Candidate = z.object({ external_id: z.string(), name: z.string(), score: z.number(), birth_date: z.string().nullable() });
const ReconcileEntry = z.object({
  line: z.number().int(), text: z.string(), external_id: z.string().nullable().describe('set only for a confident match'), score: z.number(),
  status: z.enum(['matched', 'uncertain', 'unmatched', 'empty']), reason: z.string().nullable(), candidates: z.array(Candidate), same_person_as_line: z.number().int().nullable(),
});
const OutcomesBody = z.object({
  as: z.enum(['released', 'expelled']),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 two-letter code such as LT').optional().describe('where people were taken (required for expelled)'),
  date: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date as YYYY, YYYY-MM or YYYY-MM-DD').optional().describe("default: the deal's date"),
  level: Level.optional().describe("level of the events recorded; default: the deal's level"),
  confirmations: z.array(z.object({
    line: z.number().int().min(1),
    person: z.string().min(1).max(100).describe('external id'),
    outcome: z.enum(LINE_OUTCOMES).optional().describe('this line\'s own outcome, replacing `as`; asked_not_released and refused_expulsion record no event, only the place on the list'),
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 two-letter code such as LT').optional().describe('for a line expelled: where to'),
  })).min(1).max(5000),
  change_reason: z.string().min(1).max(2000).describe('the list: where it was published'),
});
const OutcomeReport = z.object({
  deal: z.string(),
  recorded: z.array(z.object({ line: z.number().int(), external_id: z.string() })),
  already_recorded: z.array(z.object({ line: z.number().int(), external_id: z.string() })),
  needs_decision: z.array(z.object({ line: z.number().int(), text: z.string(), status: z.string(), reason: z.string().nullable() })),
});

/** Reconciling shows candidates, restricted people among them: only cleared writers do it, and it is audited. */
function listRoutes(app: App, store: Store): void {
  app.post('/api/v1/deals/reconcile', {
    schema: {
      tags: ['deals'],
      summary: 'Match a published list (one name a line, any spelling) against the registry; never guesses: unsure lines stay unmatched, with candidates',
      body: z.object({ lines: z.array(z.string().max(500)).min(1).max(5000) }),
      response: { 200: z.object({ items: z.array(ReconcileEntry) }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (request) => {
    allow(request, 'write');
    const items = await reconcileLines(store, request.body.lines);
    const ids = await store.db.selectFrom('person').select('id').where('external_id', 'in', [...new Set(items.flatMap((e) => e.candidates.map((c) => c.external_id))), '']).execute();
    const restricted = (await personsByIds(store.db, ids.map((row) => row.id))).filter((p) => p.confidentiality === 'restricted' || p.names[0]?.confidentiality === 'restricted');
    await auditRestrictedRead(store, request, 'person', restricted.map((p) => ({ id: p.id, fields: ['name'] })));
    return { items };
  });

  app.post('/api/v1/deals/:id/outcomes', {
    schema: {
      tags: ['deals'],
      summary: 'Record the release or expulsion of every confirmed line (line, person) citing the deal: one transaction, all or nothing',
      params: NumericIdParam,
      body: OutcomesBody,
      response: { 200: OutcomeReport, ...errorsOf },
    },
  }, async (request) => {
    const viewer = allow(request, 'write');
    const { record } = await visibleRecord(store, dealApi, viewer, request.params.id);
    const { confirmations, change_reason, ...options } = request.body;
    return recordConfirmedOutcomes(store, (record as DealRecord).slug, confirmations, options, contextOf(request, viewer, change_reason));
  });
}
