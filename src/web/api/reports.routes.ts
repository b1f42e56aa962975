/** /api/v1/reports/releases: the release reports, people named only as far as the viewer may see them. */
import { z } from 'zod';
import type { Store } from '../../store/connection.js';
import { releaseReport } from '../../features/releases/reports.service.js';
import { releaseTimeline } from '../../features/releases/timeline.service.js';
import { checkDay } from '../../features/stats/stats.service.js';
import { allow } from './guards.js';
import type { App } from './app-types.js';
import { ErrorBody } from './schemas.js';

const PersonRef = z.object({ external_id: z.string(), name: z.string() });

export function reportRoutes(app: App, store: Store): void {
  app.get('/api/v1/reports/releases', {
    schema: {
      tags: ['releases'],
      summary: 'Released by deal and destination; still held among those named in each deal; re-arrested after release',
      querystring: z.object({ on: z.string().optional().describe('YYYY-MM-DD; default today') }),
      response: {
        200: z.object({
          date: z.string(),
          deals: z.array(z.object({
            slug: z.string(), date: z.string(), facilitator: z.string().nullable(), released: z.number().int(), expelled: z.number().int(),
            destinations: z.record(z.string(), z.number().int()), asked_for: z.number().int(), still_held: z.array(PersonRef), still_held_not_shown: z.number().int(),
          })),
          rearrested: z.array(z.object({ person: PersonRef, released_on: z.string(), detained_again_on: z.string() })),
          rearrested_not_shown: z.number().int(),
        }),
        400: ErrorBody, 401: ErrorBody, 403: ErrorBody,
      },
    },
  }, async (request) => {
    const viewer = allow(request, 'read');
    return releaseReport(store, viewer, request.query.on ? checkDay(request.query.on) : undefined);
  });

  app.get('/api/v1/reports/timeline', {
    schema: {
      tags: ['releases'],
      summary: 'Month by month: political prisoners, arrests, releases and expulsions by deal, sanction changes',
      querystring: z.object({ from: z.string().default('2020-01-01'), to: z.string().optional() }),
      response: {
        200: z.object({
          months: z.array(z.object({
            date: z.string(), in_custody: z.number().int(), political_prisoners: z.number().int(), released_political_prisoners: z.number().int(),
            died_in_custody: z.number().int(), arrests: z.number().int(), released_by_deals: z.number().int(), expelled_by_deals: z.number().int(),
            deals: z.array(z.string()), sanction_changes: z.array(z.string()),
          })),
        }),
        400: ErrorBody, 401: ErrorBody, 403: ErrorBody,
      },
    },
  }, async (request) => {
    const viewer = allow(request, 'read');
    return { months: await releaseTimeline(store, viewer, request.query.from, request.query.to) };
  });
}
