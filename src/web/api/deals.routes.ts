/**
 * /api/v1/deals: release deals — list, read, create, update (version-checked), history; and setting the
 * people named in a deal and the concessions given for it, each a versioned edit of the deal.
 */
import type { z } from 'zod';
import type { Store } from '../../store/connection.js';
import { createDeal, dealPage, editDeal, findDeal, type DealData, type DealRecord } from '../../features/releases/deal.service.js';
import { presentDeals } from '../../features/releases/deal.presenter.js';
import { allow } from './guards.js';
import type { App } from './app-types.js';
import { contextOf, errorsOf, presentWritten, recordRoutes, visibleRecord, type RecordApi } from './record-routes.js';
import { DealConcessionsUpdate, DealCreate, DealListQuery, DealPeopleUpdate, DealUpdate, DealView, NumericIdParam } from './schemas.js';

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
}
