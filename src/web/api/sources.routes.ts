/**
 * /api/v1/sources: list, read, create, update (version-checked), history; and stored files (upload,
 * download: source-files.routes.ts). Each source has its own confidentiality level.
 */
import type { Store } from '../../store/connection.js';
import { createSource, editSource, findSource, sourcePage, type SourceData, type SourceRecord } from '../../features/sources/source.service.js';
import { presentLeveled } from '../../features/records/record.presenter.js';
import type { App } from './app-types.js';
import { recordRoutes, type RecordApi } from './record-routes.js';
import { sourceFileRoutes } from './source-files.routes.js';
import { SourceCreate, SourceListQuery, SourceUpdate, SourceView } from './schemas.js';

export const sourceApi: RecordApi<SourceData, SourceRecord, typeof SourceListQuery, typeof SourceCreate, typeof SourceUpdate> = {
  path: '/api/v1/sources',
  tag: 'sources',
  entity: 'source',
  schemas: { view: SourceView, list: SourceListQuery, create: SourceCreate, update: SourceUpdate },
  page: (store, { after, limit, ...filter }) => sourcePage(store, { after, limit }, filter),
  find: findSource,
  present: async (_store, viewer, sources) => sources.map((source) => presentLeveled(viewer, source, 'source')),
  create: createSource,
  edit: editSource,
};

export function sourceRoutes(app: App, store: Store): void {
  recordRoutes(app, store, sourceApi);
  sourceFileRoutes(app, store);
}
