/**
 * The web application: security headers, sessions and CSRF, the JSON API (validated by zod, described
 * by OpenAPI generated from the same schemas), and the health check.
 */
import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isVigilError, VigilError } from '../errors.js';
import type { Store } from '../store/connection.js';
import { isReachable } from '../store/connection.js';
import { monthlySeries, statsOn } from '../features/stats/stats.service.js';
import { today } from '../domain/partial-date.js';
import { searchIndexWithin, searchPeople } from '../features/search/search.service.js';
import { authenticate, SESSION_COOKIE } from '../features/auth/authenticate.js';
import type { App } from './api/app-types.js';
import { authRoutes } from './api/auth.routes.js';
import { passkeyRoutes } from './api/passkeys.routes.js';
import { personRoutes } from './api/persons.routes.js';
import { eventRoutes } from './api/events.routes.js';
import { facilityRoutes } from './api/facilities.routes.js';
import { caseRoutes } from './api/cases.routes.js';
import { sourceRoutes } from './api/sources.routes.js';
import { dealRoutes } from './api/deals.routes.js';
import { sanctionRoutes } from './api/sanctions.routes.js';
import { tokenRoutes } from './api/tokens.routes.js';
import { auditRoutes } from './api/audit.routes.js';
import { reportRoutes } from './api/reports.routes.js';
import { caseworkRoutes } from './api/casework.routes.js';
import { letterRoutes } from './api/letters.routes.js';
import { accountabilityRoutes } from './api/accountability.routes.js';
import { afterReleaseRoutes } from './api/after-release.routes.js';
import { ErrorBody } from './api/schemas.js';
import { refuseNul } from './api/nul-guard.js';
import { takeTurns } from './fair-turns.js';
import { notReadyYet, SITE_START_WAIT_MS, siteNotFound } from './site/site.js';
import { siteRoutes } from './site/routes.js';
import { adminRoutes } from './admin/routes.js';
import { isWorkspaceForm } from './admin/admin.js';

export interface AppOptions {
  store: Store;
  /**
   * What the public side reads (site, open data, public API, public registry and search): a read
   * replica of `store` (VIGIL_PUBLIC_DATABASE, src/store/replica.ts). Default: `store` itself.
   */
  publicStore?: Store;
  logger?: boolean;
  /** How long a public page waits for the public registry before answering 503, the site is starting (default SITE_START_WAIT_MS, 10 s). */
  siteStartWaitMs?: number;
}

const Counts = z.object({
  date: z.string(),
  in_custody: z.number().int(),
  political_prisoners: z.number().int(),
  released_political_prisoners: z.number().int(),
  died_in_custody: z.number().int(),
});

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function validationMessage(error: { validation?: { instancePath?: string; message?: string }[]; validationContext?: string }): string {
  const first = error.validation?.[0];
  const where = `${error.validationContext ?? 'request'}${first?.instancePath ? first.instancePath.replaceAll('/', '.') : ''}`;
  return `${where}: ${first?.message ?? 'is not valid'}`;
}

function errorHandling(app: App, publicStore: Store, startWaitMs: number): void {
  app.setErrorHandler((error, request, reply) => {
    if (isVigilError(error)) {
      if (error.id === 'starting') notReadyYet(reply);
      return reply.status(error.status).send({ error: { id: error.id, message: error.message } });
    }
    const failure = error as { statusCode?: number; validation?: unknown; code?: string; message: string };
    if (failure.validation) return reply.status(400).send({ error: { id: 'validation_failed', message: validationMessage(failure as never) } });
    // Two requests creating the same name at once: the database's unique constraint stops the second.
    if (failure.code === 'SQLITE_CONSTRAINT_UNIQUE' || failure.code === '23505') {
      return reply.status(409).send({ error: { id: 'already_exists', message: 'a record with this name, slug or id already exists (saved by someone else just now); reload and check' } });
    }
    if (failure.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ error: { id: 'body_too_large', message: 'the request body is too large (at most 1 MB)' } });
    if (failure.statusCode && failure.statusCode >= 400 && failure.statusCode < 500) {
      return reply.status(failure.statusCode).send({ error: { id: 'bad_request', message: failure.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { id: 'internal_error', message: 'something went wrong on the server; it has been logged' } });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (request.method === 'GET' && !path.startsWith('/api/')) return siteNotFound(publicStore, request, reply, startWaitMs);
    return reply.status(404).send({ error: { id: 'not_found', message: `no such page or endpoint: ${request.method} ${path}` } });
  });
}

/** Who is asking, for every request; cookie sessions must prove with a CSRF token that the request is theirs. */
function authentication(app: App, store: Store): void {
  app.decorateRequest('auth', null as never);
  app.addHook('onRequest', async (request) => {
    request.auth = await authenticate(store, { authorization: request.headers.authorization, cookie: request.cookies[SESSION_COOKIE] });
    const session = request.auth.session;
    // Workspace forms carry the token as a form field, checked once the body is read (src/web/admin/admin.ts).
    if (session && UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken && !isWorkspaceForm(request)) {
      throw new VigilError('csrf_failed', 'this request needs the X-CSRF-Token header of your session (from sign-in or GET /api/v1/auth/me)', 403);
    }
  });
}

/**
 * The public endpoints read `publicStore`; the health check asks both stores, since sign-in needs the
 * primary. A name search waits `startWaitMs` at most for the name index being built at start, then 503.
 */
function publicRoutes(app: App, store: Store, publicStore: Store, startWaitMs: number): void {
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    const ok = (await isReachable(store)) && (publicStore === store || (await isReachable(publicStore)));
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'store unreachable' });
  });

  app.get('/api/v1/stats', {
    schema: {
      tags: ['public'],
      summary: 'Counts for a date (or a month-end series), computed from events; aggregate, so everyone is counted',
      querystring: z.object({ on: z.string().optional(), from: z.string().optional() }),
      response: { 200: z.union([Counts, z.object({ series: z.array(Counts) })]), 400: ErrorBody },
    },
  }, async (request) => {
    const day = request.query.on ?? today();
    if (request.query.from) return { series: await monthlySeries(publicStore, request.query.from, day) };
    return statsOn(publicStore, day);
  });

  app.get('/api/v1/public/persons', {
    schema: {
      tags: ['public'],
      summary: 'Published people (with consent), searched on public name variants only',
      querystring: z.object({ q: z.string().max(300).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
      response: { 200: z.object({ persons: z.array(z.object({ id: z.number().int(), external_id: z.string(), name: z.string(), score: z.number().optional() })) }), 400: ErrorBody, 503: ErrorBody },
    },
  }, async (request) => {
    const { q, limit } = request.query;
    if (q !== undefined && q.trim() !== '') {
      const hits = await searchPeople(publicStore, q, { publicOnly: true, limit, waitMs: startWaitMs });
      return { persons: hits.map(({ id, external_id, name, score }) => ({ id, external_id, name, score })) };
    }
    const indexed = await searchIndexWithin(publicStore, true, startWaitMs);
    return { persons: [...indexed.people].slice(0, limit).map(([id, person]) => ({ id, external_id: person.external_id, name: person.name })) };
  });
}

/**
 * Behind a reverse proxy every request comes from the proxy's address; per-address sign-in limits then
 * need the client address the proxy reports. VIGIL_TRUST_PROXY names the proxies to believe
 * ("127.0.0.1" or "10.0.0.0/8,127.0.0.1"); unset, X-Forwarded-For is ignored.
 */
export function trustProxy(value = process.env.VIGIL_TRUST_PROXY): FastifyServerOptions['trustProxy'] {
  if (!value) return false;
  return value.split(',').map((part) => part.trim());
}

export async function buildApp({ store, publicStore = store, logger = false, siteStartWaitMs = SITE_START_WAIT_MS }: AppOptions): Promise<App> {
  const app = Fastify({
    bodyLimit: 1024 * 1024,
    trustProxy: trustProxy(),
    logger: logger
      ? {
          level: 'info',
          // Query strings can hold the names people search for; they stay out of the logs.
          serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }) },
        }
      : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  takeTurns(app);
  errorHandling(app, publicStore, siteStartWaitMs);
  await app.register(cookie);
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Vigil often runs over plain http on a laptop or a LAN; upgrading its own requests would break it.
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Vigil API', version: '1', description: 'Registry of political prisoners. Private endpoints need a session (cookie + X-CSRF-Token for writes) or an API token (Authorization: Bearer).' },
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer', description: 'API token from "vigil token create" or POST /api/v1/tokens' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ token: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  authentication(app, store);
  refuseNul(app);
  publicRoutes(app, store, publicStore, siteStartWaitMs);
  authRoutes(app, store);
  passkeyRoutes(app, store);
  personRoutes(app, store);
  eventRoutes(app, store);
  facilityRoutes(app, store);
  caseRoutes(app, store);
  sourceRoutes(app, store);
  dealRoutes(app, store);
  sanctionRoutes(app, store);
  tokenRoutes(app, store);
  auditRoutes(app, store);
  reportRoutes(app, store);
  caseworkRoutes(app, store);
  letterRoutes(app, store);
  accountabilityRoutes(app, store);
  afterReleaseRoutes(app, store);
  siteRoutes(app, publicStore, siteStartWaitMs);
  await adminRoutes(app, store);
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
