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

export interface AppOptions {
  store: Store;
  logger?: boolean;
}

const dayQuery = z.object({ on: z.string().optional(), from: z.string().optional() });

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

  return app;
}
