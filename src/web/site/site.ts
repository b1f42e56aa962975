/**
 * The public awareness site: pages registered here share one chain — pick the language, take the
 * public registry as of now, validate the query (a bad value gets a page naming it), render (or take
 * the cached page), send. Everything a page shows passed the policy in the public registry or comes
 * from aggregate counts.
 */
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../store/connection.js';
import { relyingParty } from '../../features/auth/passkeys.service.js';
import { publicRegistry, type PublicRegistry } from '../../features/public/public-registry.service.js';
import { isVigilError, STARTING_RETRY_SECONDS } from '../../errors.js';
import { within } from '../../store/event-loop.js';
import { today as todayDate } from '../../domain/partial-date.js';
import type { App } from '../api/app-types.js';
import { html, type Child } from './html.js';
import { formatDate, pickLang, say } from './i18n.js';
import { common, layout, type PageContext } from './layout.js';
import { pageCacheFor, servePage, type Rendered } from './page-cache.js';
import { SITE_CSS } from './site.css.js';

/**
 * The site's public address (VIGIL_ORIGIN, the same setting passkeys use): feeds, open data and embed
 * code need absolute links, and cached pages cannot take them from the request's Host header.
 */
export function siteOrigin(): string {
  return relyingParty().origin;
}

export interface PageInput<Q> {
  ctx: PageContext;
  registry: PublicRegistry;
  store: Store;
  query: Q;
  params: Record<string, string>;
  /** How long to wait for something still being built at start (the name index) before errors.starting. */
  startWaitMs: number;
}

/** A page in the site layout, or a document of its own (feed, embeds, downloads). */
export type PageResult = { status?: number; title: string; main: Child; description?: string } | Rendered;

export interface SitePage<Q> {
  path: string;
  query: z.ZodType<Q>;
  render(input: PageInput<Q>): Promise<PageResult>;
}

export function sitePage<Q>(page: SitePage<Q>): SitePage<Q> {
  return page;
}

const HTML = 'text/html; charset=utf-8';

function isRendered(result: PageResult): result is Rendered {
  return 'body' in result;
}

function inLayout(ctx: PageContext, result: PageResult): Rendered {
  if (isRendered(result)) return result;
  return { status: result.status ?? 200, type: HTML, body: layout(ctx, result, (date) => formatDate(ctx.lang, date)).value };
}

function contextOf(request: FastifyRequest, registry: Pick<PublicRegistry, 'today' | 'demo'>): PageContext {
  const raw = (request.query ?? {}) as Record<string, unknown>;
  const lang = pickLang(typeof raw.lang === 'string' ? raw.lang : undefined, request.headers['accept-language']);
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (key !== 'lang' && typeof value === 'string') query[key] = value;
  return { lang, path: request.url.split('?')[0]!, query, today: registry.today, demo: registry.demo };
}

/**
 * How long a page waits for the public registry before answering that the site is starting. Built
 * when `vigil serve` starts, the registry takes minutes at a million people; a visitor (or the proxy in
 * front, which gives up after a minute or so) gets an answer instead of a page that never comes.
 */
export const SITE_START_WAIT_MS = 10_000;

/** The public registry, or undefined when it is still being built after `waitMs`. */
function registryWithin(store: Store, waitMs: number): Promise<PublicRegistry | undefined> {
  return within(publicRegistry(store), waitMs);
}

/** The headers of every "starting" answer (page or API): ask again later, and let no one cache it. */
export function notReadyYet(reply: FastifyReply): FastifyReply {
  return reply.status(503).header('Retry-After', String(STARTING_RETRY_SECONDS)).header('Cache-Control', 'no-store');
}

/** 503 with Retry-After: the registry is still being built (never cached, by us or anyone). */
function startingAnswer(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const ctx = contextOf(request, { today: todayDate(), demo: false });
  const c = (key: keyof typeof common.texts.en) => say(ctx.lang, common, key);
  const page = inLayout(ctx, {
    status: 503,
    title: c('starting_title'),
    main: html`<h1>${c('starting_title')}</h1><p>${c('starting')}</p><p><a href="${request.url}">${c('try_again')}</a></p>`,
  });
  return notReadyYet(reply).header('Content-Type', HTML).send(page.body);
}

/** A page in the site's look saying what went wrong (404 or 400), in the visitor's language. */
export function problemPage(ctx: PageContext, status: 404 | 400, what = ''): Rendered {
  const c = (key: keyof typeof common.texts.en) => say(ctx.lang, common, key, { what });
  const [title, text] = status === 404 ? [c('not_found_title'), c('not_found')] : [c('bad_request_title'), c('bad_request')];
  return inLayout(ctx, { status, title, main: html`<h1>${title}</h1><p>${text}</p><p><a href="/?lang=${ctx.lang}">${say(ctx.lang, common, 'home')}</a></p>` });
}

function describeProblem(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; ');
}

export function registerPage<Q>(app: App, store: Store, page: SitePage<Q>, startWaitMs: number): void {
  app.get(page.path, { schema: { hide: true } }, async (request, reply) => {
    const registry = await registryWithin(store, startWaitMs);
    if (!registry) return startingAnswer(request, reply);
    const ctx = contextOf(request, registry);
    // The shown names and list order in this language (at start, `vigil serve` works them out ahead).
    await registry.prepare(ctx.lang);
    const key = `${registry.stamp}|${registry.today}|${ctx.lang}|${request.url}`;
    try {
      return await servePage(pageCacheFor(store), request, reply, key, async () => {
        const parsed = page.query.safeParse(ctx.query);
        if (!parsed.success) return problemPage(ctx, 400, describeProblem(parsed.error));
        const result = await page.render({ ctx, registry, store, query: parsed.data, params: (request.params ?? {}) as Record<string, string>, startWaitMs });
        return inLayout(ctx, result);
      });
    } catch (error) {
      // A search while the name index is still being built at start (a failed render is not cached).
      if (isVigilError(error) && error.id === 'starting') return startingAnswer(request, reply);
      throw error;
    }
  });
}

/** Not-found for site paths: an HTML page in the visitor's language (the API keeps its JSON errors). */
export async function siteNotFound(store: Store, request: FastifyRequest, reply: FastifyReply, startWaitMs: number): Promise<FastifyReply> {
  const registry = await registryWithin(store, startWaitMs);
  if (!registry) return startingAnswer(request, reply);
  const page = problemPage(contextOf(request, registry), 404);
  return reply.status(404).header('Content-Type', HTML).send(page.body);
}

export function registerAssets(app: App): void {
  app.get('/assets/site.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('Content-Type', 'text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(SITE_CSS),
  );
  // Browsers ask for it unbidden; the site has no icon, and saying so is not an error.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.status(204).header('Cache-Control', 'public, max-age=86400').send());
}
