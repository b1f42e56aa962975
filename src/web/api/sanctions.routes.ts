/** /api/v1/sanctions: sanction measures — list, read, create, update (version-checked), history. Public information. */
import type { Store } from '../../store/connection.js';
import { createSanction, editSanction, findSanction, sanctionPage, type SanctionData, type SanctionRecord } from '../../features/releases/sanction.service.js';
import type { App } from './app-types.js';
import { presentOpen, recordRoutes, type RecordApi } from './record-routes.js';
import { SanctionCreate, SanctionListQuery, SanctionUpdate, SanctionView } from './schemas.js';

export const sanctionApi: RecordApi<SanctionData, SanctionRecord, typeof SanctionListQuery, typeof SanctionCreate, typeof SanctionUpdate> = {
  path: '/api/v1/sanctions',
  tag: 'sanctions',
  entity: 'sanction',
  schemas: { view: SanctionView, list: SanctionListQuery, create: SanctionCreate, update: SanctionUpdate },
  page: (store, { after, limit, ...filter }) => sanctionPage(store, { after, limit }, filter),
  find: findSanction,
  present: presentOpen,
  create: createSanction,
  edit: editSanction,
};

export function sanctionRoutes(app: App, store: Store): void {
  recordRoutes(app, store, sanctionApi);
}
