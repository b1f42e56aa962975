/**
 * /api/v1/officials, /api/v1/violations and /api/v1/reports/accountability (per official, court or
 * facility; JSON, CSV or a printable HTML document). Everything appears only as far as the viewer may
 * see it; restricted values shown are written to the audit trail, and every report to it as an export.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Store } from '../../store/connection.js';
import { appendAudit } from '../../features/audit/audit.service.js';
import { presentOfficials, presentViolations } from '../../features/accountability/accountability.presenter.js';
import { accountabilityReport, type RestrictedRead } from '../../features/accountability/accountability.service.js';
import { accountabilityCsv } from '../../features/accountability/accountability.csv.js';
import { accountabilityDocument, REPORT_CSS_HASH } from '../../features/accountability/accountability-report.html.js';
import { createOfficial, editOfficial, facilityIdByName, findOfficial, officialPage, type OfficialData, type OfficialRecord } from '../../features/accountability/officials.service.js';
import { createViolation, editViolation, findViolation, violationPage, type ViolationData, type ViolationRecord } from '../../features/accountability/violations.service.js';
import { findPerson } from '../../features/persons/person.service.js';
import { allow } from './guards.js';
import { auditRestrictedRead } from './audit-reads.js';
import type { App } from './app-types.js';
import { errorsOf, recordRoutes, type RecordApi } from './record-routes.js';
import { personFilter } from './casework.routes.js';
import {
  AccountabilityQuery, OfficialCreate, OfficialListQuery, OfficialUpdate, OfficialView, ViolationCreate, ViolationListQuery, ViolationUpdate, ViolationView,
} from './casework.schemas.js';

/** `facility` (a name) in, `facility_id` stored; undefined leaves it as it is. */
async function withFacilityId<T extends { facility?: string | null }>(store: Store, input: T): Promise<Omit<T, 'facility'> & { facility_id?: number | null }> {
  const { facility, ...rest } = input;
  return facility === undefined ? rest : { ...rest, facility_id: await facilityIdByName(store.db, 'facility', facility) };
}

export const officialApi: RecordApi<OfficialData, OfficialRecord, typeof OfficialListQuery, typeof OfficialCreate, typeof OfficialUpdate> = {
  path: '/api/v1/officials',
  tag: 'accountability',
  entity: 'official',
  schemas: { view: OfficialView, list: OfficialListQuery, create: OfficialCreate, update: OfficialUpdate },
  page: (store, { after, limit, role, institution }) => officialPage(store, { after, limit }, { role, institution }),
  find: findOfficial,
  present: (store, viewer, records) => presentOfficials(store.db, viewer, records),
  async create(store, { facility, ...data }, context) {
    return createOfficial(store, { ...data, facility_id: await facilityIdByName(store.db, 'facility', facility) }, context);
  },
  async edit(store, id, version, changes, context) {
    return editOfficial(store, id, version, await withFacilityId(store, changes), context);
  },
};

export const violationApi: RecordApi<ViolationData, ViolationRecord, typeof ViolationListQuery, typeof ViolationCreate, typeof ViolationUpdate> = {
  path: '/api/v1/violations',
  tag: 'accountability',
  entity: 'violation',
  schemas: { view: ViolationView, list: ViolationListQuery, create: ViolationCreate, update: ViolationUpdate },
  async page(store, { after, limit, person, type, facility, from, to }) {
    const personId = await personFilter(store, person);
    const facilityId = facility === undefined ? undefined : ((await store.db.selectFrom('facility').select('id').where('name', '=', facility).executeTakeFirst())?.id ?? null);
    if (personId === null || facilityId === null) return [];
    return violationPage(store, { after, limit }, { personId, type, facilityId, from, to });
  },
  find: findViolation,
  present: (store, viewer, records) => presentViolations(store.db, viewer, records),
  async create(store, { person, facility, ...data }, context) {
    const personId = (await findPerson(store, person)).id;
    return createViolation(store, { ...data, person_id: personId, facility_id: await facilityIdByName(store.db, 'facility', facility) }, context);
  },
  async edit(store, id, version, changes, context) {
    return editViolation(store, id, version, await withFacilityId(store, changes), context);
  },
};

const Named = z.object({ name: z.string(), role: z.string() });
const ReportBody = z.object({
  by: z.string(),
  generated_at: z.string(),
  generator: z.string(),
  scope: z.object({ clearance: z.string(), viewer: z.string(), from: z.string().nullable(), to: z.string().nullable(), demo: z.boolean() }),
  groups: z.array(z.object({
    key: z.string(), name: z.string(), details: z.record(z.string(), z.string().nullable()), officials: z.array(Named),
    counts: z.record(z.string(), z.number().int()),
    items: z.array(z.object({
      kind: z.string(), id: z.number().int(), person: z.object({ external_id: z.string(), name: z.string() }), date: z.string().nullable(), summary: z.string(),
      role: z.string().nullable(), violation_type: z.string().nullable(), term_months: z.number().int().nullable(), description: z.string().nullable(),
      officials: z.array(Named), facility: z.string().nullable(), confidentiality: z.string(),
      sources: z.array(z.object({ kind: z.string(), title: z.string().nullable(), url: z.string().nullable(), citation: z.string().nullable(), published_date: z.string().nullable() })),
    })),
  })),
});

async function auditReport(store: Store, request: FastifyRequest, reads: readonly RestrictedRead[], detail: Record<string, unknown>): Promise<void> {
  for (const entity of [...new Set(reads.map((read) => read.entity))]) {
    await auditRestrictedRead(store, request, entity, reads.filter((read) => read.entity === entity).map(({ id, fields }) => ({ id, fields })));
  }
  const viewer = allow(request, 'export');
  await store.db.transaction().execute((trx) => appendAudit(trx, { actor: viewer.email, action: 'export', entity: 'accountability_report', ip: request.ip, detail }));
}

function reportRoute(app: App, store: Store): void {
  app.get('/api/v1/reports/accountability', {
    schema: {
      tags: ['accountability'],
      summary: 'Accountability report per official, court or place of detention: JSON, CSV (?format=csv) or a printable HTML document for UN and OSCE submissions (?format=html)',
      querystring: AccountabilityQuery,
      produces: ['application/json', 'text/csv', 'text/html'],
      response: { 200: z.union([ReportBody, z.string().describe('text/csv or text/html')]), ...errorsOf },
    },
  }, async (request, reply) => {
    const viewer = allow(request, 'export');
    const { by, format, rows, from, to } = request.query;
    const { report, restricted } = await accountabilityReport(store, viewer, { by, from, to });
    await auditReport(store, request, restricted, { report: 'accountability', by, format, from: from ?? null, to: to ?? null, groups: report.groups.length });
    const file = `vigil-accountability-by-${by}-${report.generated_at.slice(0, 10)}`;
    reply.header('cache-control', 'no-store');
    if (format === 'csv') {
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}.csv"`).send(accountabilityCsv(report, rows));
    }
    if (format === 'html') {
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-disposition', `inline; filename="${file}.html"`)
        .header('content-security-policy', `default-src 'none'; style-src '${REPORT_CSS_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`)
        .send(accountabilityDocument(report));
    }
    return report;
  });
}

export function accountabilityRoutes(app: App, store: Store): void {
  recordRoutes(app, store, officialApi);
  recordRoutes(app, store, violationApi);
  reportRoute(app, store);
}
