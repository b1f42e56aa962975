/**
 * /api/v1/reports: the release reports (JSON, and as a printable HTML document) and the timeline for
 * analysts (JSON and CSV). Deals, people and events appear only as far as the viewer may see them; the
 * restricted values shown are written to the audit trail.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Store } from '../../store/connection.js';
import { buildReleaseReport, type RestrictedRead } from '../../features/releases/reports.service.js';
import { printableReleaseReport, RELEASE_REPORT_CSP } from '../../features/releases/release-report.html.js';
import { releaseTimeline, timelineCsv } from '../../features/releases/timeline.service.js';
import { checkDay } from '../../features/stats/stats.service.js';
import { allow } from './guards.js';
import { auditRestrictedRead } from './audit-reads.js';
import type { App } from './app-types.js';
import { ErrorBody } from './schemas.js';

const PersonRef = z.object({ external_id: z.string(), name: z.string() });

const ReportQuery = z.object({
  on: z.string().optional().describe('YYYY-MM-DD; default today'),
  deal: z.string().max(100).optional().describe('one deal (slug) instead of all; its re-arrests are the people it freed'),
});

const ReleaseReportBody = z.object({
  date: z.string(),
  deal: z.string().nullable(),
  deals: z.array(z.object({
    slug: z.string(), date: z.string(), facilitator: z.string().nullable(), confidentiality: z.string(), released: z.number().int(), expelled: z.number().int(),
    destinations: z.record(z.string(), z.number().int()), asked_for: z.number().int(), asked_not_released: z.number().int(), refused_expulsion: z.number().int(),
    still_held: z.array(PersonRef.extend({ outcome: z.string() })), still_held_not_shown: z.number().int(),
  })),
  rearrested: z.array(z.object({ person: PersonRef, released_on: z.string(), detained_again_on: z.string(), deal: z.string().nullable() })),
  rearrested_not_shown: z.number().int(),
});

const TimelineQuery = z.object({ from: z.string().default('2020-01-01').describe('first month (YYYY-MM-DD)'), to: z.string().optional().describe('last day (YYYY-MM-DD); default today') });

const TimelineMonth = z.object({
  date: z.string(), in_custody: z.number().int(), political_prisoners: z.number().int(), released_political_prisoners: z.number().int(),
  died_in_custody: z.number().int(), arrests: z.number().int(), released_by_deals: z.number().int(), expelled_by_deals: z.number().int(),
  deals: z.array(z.string()), sanction_changes: z.array(z.string()),
});

const reportErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

async function auditReads(store: Store, request: FastifyRequest, reads: readonly RestrictedRead[]): Promise<void> {
  for (const entity of ['deal', 'person', 'event'] as const) {
    const ids = [...new Set(reads.filter((read) => read.entity === entity).map((read) => read.id))];
    await auditRestrictedRead(store, request, entity, ids.map((id) => ({ id, fields: [entity] })));
  }
}

const reportOptions = (query: z.output<typeof ReportQuery>) => ({ day: query.on ? checkDay(query.on) : undefined, deal: query.deal });

export function reportRoutes(app: App, store: Store): void {
  app.get('/api/v1/reports/releases', {
    schema: {
      tags: ['releases'],
      summary: 'Released by deal and destination; still held among those named in each deal; re-arrested after release',
      querystring: ReportQuery,
      response: { 200: ReleaseReportBody, ...reportErrors },
    },
  }, async (request) => {
    const viewer = allow(request, 'read');
    const { report, reads } = await buildReleaseReport(store, viewer, reportOptions(request.query));
    await auditReads(store, request, reads);
    return report;
  });

  app.get('/api/v1/reports/releases.html', {
    schema: {
      tags: ['releases'],
      summary: 'The release reports as a standalone printable HTML document (no scripts), for one deal or all',
      querystring: ReportQuery,
      produces: ['text/html'],
      response: { 200: z.string().describe('text/html'), ...reportErrors },
    },
  }, async (request, reply) => {
    const viewer = allow(request, 'read');
    const { html, reads } = await printableReleaseReport(store, viewer, reportOptions(request.query));
    await auditReads(store, request, reads);
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', RELEASE_REPORT_CSP)
      .header('cache-control', 'no-store')
      .send(html);
  });

  app.get('/api/v1/reports/timeline', {
    schema: {
      tags: ['releases'],
      summary: 'Month by month: political prisoners, arrests, releases and expulsions by deal, sanction changes',
      querystring: TimelineQuery,
      response: { 200: z.object({ months: z.array(TimelineMonth) }), ...reportErrors },
    },
  }, async (request) => {
    const viewer = allow(request, 'read');
    return { months: await releaseTimeline(store, viewer, request.query.from, request.query.to) };
  });

  app.get('/api/v1/reports/timeline.csv', {
    schema: {
      tags: ['releases'],
      summary: 'The timeline as CSV for analysts (header row; deals and sanction changes joined with ";")',
      querystring: TimelineQuery,
      produces: ['text/csv'],
      response: { 200: z.string().describe('text/csv'), ...reportErrors },
    },
  }, async (request, reply) => {
    const viewer = allow(request, 'read');
    const csv = timelineCsv(await releaseTimeline(store, viewer, request.query.from, request.query.to));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="vigil-timeline.csv"')
      .header('cache-control', 'no-store')
      .send(csv);
  });
}
