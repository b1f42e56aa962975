/** /api/v1/facilities: list, read, create, update (version-checked), history. Facilities are public information. */
import type { Store } from '../../store/connection.js';
import { createFacility, editFacility, facilityPage, findFacility, type FacilityData, type FacilityRecord } from '../../features/facilities/facility.service.js';
import type { App } from './app-types.js';
import { presentOpen, recordRoutes, type RecordApi } from './record-routes.js';
import { FacilityCreate, FacilityListQuery, FacilityUpdate, FacilityView } from './schemas.js';

export const facilityApi: RecordApi<FacilityData, FacilityRecord, typeof FacilityListQuery, typeof FacilityCreate, typeof FacilityUpdate> = {
  path: '/api/v1/facilities',
  tag: 'facilities',
  entity: 'facility',
  schemas: { view: FacilityView, list: FacilityListQuery, create: FacilityCreate, update: FacilityUpdate },
  page: (store, { after, limit, ...filter }) => facilityPage(store, { after, limit }, filter),
  find: findFacility,
  present: presentOpen,
  create: createFacility,
  edit: editFacility,
};

export function facilityRoutes(app: App, store: Store): void {
  recordRoutes(app, store, facilityApi);
}
