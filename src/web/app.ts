/**
 * The web application. This issue serves the health check and the counts; the public site, the
 * workspace and the full API are built on this app by their own features.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isVigilError, VigilError } from '../errors.js';
import type { Store } from '../store/connection.js';
import { isReachable } from '../store/connection.js';
import { monthlySeries, statsOn } from '../features/stats/stats.service.js';
import { today } from '../domain/partial-date.js';
import { searchIndex, searchPeople } from '../features/search/search.service.js';

export interface AppOptions {
  store: Store;
  logger?: boolean;
}

const dayQuery = z.object({ on: z.string().optional(), from: z.string().optional() });
const publicPersonsQuery = z.object({
  q: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export async function buildApp({ store, logger = false }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 1024 * 1024,
    logger: logger
      ? {
          level: 'info',
          // Query strings can hold the names people search for; they stay out of the logs.
          serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }) },
        }
      : false,
  });

  app.setErrorHandler((error, request, reply) => {
    if (isVigilError(error)) {
      return reply.status(error.status).send({ error: { id: error.id, message: error.message } });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ error: { id: 'bad_request', message: (error as Error).message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { id: 'internal_error', message: 'something went wrong on the server; it has been logged' } });
  });

  app.get('/healthz', async (_request, reply) => {
    const ok = await isReachable(store);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'store unreachable' });
  });

  app.get('/api/v1/stats', async (request) => {
    const parsed = dayQuery.safeParse(request.query);
    if (!parsed.success) throw new VigilError('validation_failed', 'query: on and from must be dates (YYYY-MM-DD)');
    const day = parsed.data.on ?? today();
    if (parsed.data.from) return { series: await monthlySeries(store, parsed.data.from, day) };
    return statsOn(store, day);
  });

  // Published people only, matched on public name variants only (the search index's public view).
  app.get('/api/v1/public/persons', async (request) => {
    const parsed = publicPersonsQuery.safeParse(request.query);
    if (!parsed.success) throw new VigilError('validation_failed', 'query: q is a name (at most 300 characters), limit a whole number from 1 to 100');
    const { q, limit } = parsed.data;
    if (q !== undefined && q.trim() !== '') {
      const hits = await searchPeople(store, q, { publicOnly: true, limit });
      return { persons: hits.map(({ id, external_id, name, score }) => ({ id, external_id, name, score })) };
    }
    const indexed = await searchIndex(store, true);
    const persons = [...indexed.people].slice(0, limit).map(([id, person]) => ({ id, external_id: person.external_id, name: person.name }));
    return { persons };
  });

  return app;
}
