/**
 * The documenters' workspace at /admin. Every page goes through one chain: who is it (signed-in member,
 * or off to the sign-in form), was a form really sent from this session (CSRF field), which language,
 * then the page, then the shell. Forms are plain HTML posts answered with a redirect (post/redirect/get),
 * so the back button and reloads never send anything twice.
 */
import { timingSafeEqual } from 'node:crypto';
import formbody from '@fastify/formbody';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isVigilError, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { today } from '../../domain/partial-date.js';
import { holdsDemoData } from '../../features/demo/demo.service.js';
import type { App } from '../api/app-types.js';
import type { Member } from '../api/guards.js';
import { html } from '../site/html.js';
import { pickLang } from '../site/i18n.js';
import { adminLayout, NOTICES, t, type AdminContext, type AdminPage, type Notice } from './admin-layout.js';
import { ADMIN_CSS } from './admin.css.js';
import { uploadLimitBytes } from '../../features/files/file-store.service.js';
import { ADMIN_JS, PASSKEY_JS } from './admin.js.js';

export type FormBody = Record<string, string | string[] | undefined>;

export interface AdminInput {
  ctx: AdminContext;
  store: Store;
  request: FastifyRequest;
  reply: FastifyReply;
  params: Record<string, string>;
  /** The form fields of a POST (url-encoded); empty for GET. */
  body: FormBody;
}

/** What a page handler answers: a page in the shell, a redirect after a successful post, or a finished reply. */
export type AdminResult = AdminPage | { redirect: string } | { sent: true };

export type AdminHandler = (input: AdminInput) => Promise<AdminResult>;

export interface AdminRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: AdminHandler;
}

const HTML = 'text/html; charset=utf-8';

/** Form posts to /admin carry their CSRF token as a field; app.ts leaves those to the workspace to check. */
export function isWorkspaceForm(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return request.url.startsWith('/admin/') && (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data'));
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Refuses a cookie-session post whose _csrf field is not the session's token. */
export function checkCsrf(request: FastifyRequest, sent: string): void {
  const session = request.auth.session;
  if (session && !sameSecret(sent, session.csrfToken)) {
    throw new VigilError('csrf_failed', 'this form was not sent from a page of your current session (it may be old); go back, reload the page and send it again', 403);
  }
}

/**
 * Reads a workspace upload form part by part: fields are collected as they come; the file part is
 * handed to `onFile` only once the `_csrf` field before it has been checked (a wrong or missing token
 * drains the file and refuses the form). Returns the fields and what `onFile` made of the file, if any.
 */
export async function readUploadForm<T>(
  request: FastifyRequest,
  limits: { fileSize: number; files?: number; fields?: number },
  onFile: (file: MultipartFile, fields: Record<string, string>) => Promise<T>,
): Promise<{ fields: Record<string, string>; file: T | undefined }> {
  const fields: Record<string, string> = {};
  let file: T | undefined;
  for await (const part of request.parts({ limits: { files: 1, fields: 10, ...limits } })) {
    if (part.type === 'field') {
      fields[part.fieldname] = typeof part.value === 'string' ? part.value : '';
      continue;
    }
    try {
      checkCsrf(request, fields._csrf ?? '');
    } catch (error) {
      part.file.resume(); // let the upload run out, so the connection is free for the answer
      throw error;
    }
    file = await onFile(part, fields);
  }
  checkCsrf(request, fields._csrf ?? '');
  return { fields, file };
}

/** One string from a form field (the first, if a name came several times). */
export function one(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value sent under a name (checkbox groups, repeated rows). */
export function all(body: FormBody, name: string): string[] {
  const value = body[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const demoChecked = new WeakMap<Store, { at: number; demo: boolean }>();

/** Whether the store holds the fictional demo (asked at most once a minute: it scans people's tags). */
async function isDemo(store: Store): Promise<boolean> {
  const known = demoChecked.get(store);
  if (known && Date.now() - known.at < 60_000) return known.demo;
  const demo = await holdsDemoData({ ...store, db: store.readsAside ?? store.db });
  demoChecked.set(store, { at: Date.now(), demo });
  return demo;
}

function queryOf(request: FastifyRequest): Record<string, string> {
  const raw = (request.query ?? {}) as Record<string, unknown>;
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (key !== 'lang' && key !== 'done' && typeof value === 'string') query[key] = value;
  return query;
}

export function langOf(request: FastifyRequest) {
  const raw = (request.query ?? {}) as Record<string, unknown>;
  return pickLang(typeof raw.lang === 'string' ? raw.lang : undefined, request.headers['accept-language']);
}

async function contextOf(store: Store, request: FastifyRequest, member: Member): Promise<AdminContext> {
  const raw = (request.query ?? {}) as Record<string, unknown>;
  const done = typeof raw.done === 'string' && (NOTICES as readonly string[]).includes(raw.done) ? (raw.done as Notice) : null;
  return {
    lang: langOf(request), path: request.url.split('?')[0]!, query: queryOf(request), member,
    csrf: request.auth.session?.csrfToken ?? '', today: today(), demo: await isDemo(store), notice: done,
  };
}

function problem(ctx: AdminContext, error: VigilError): AdminPage {
  if (error.status === 403) return { status: 403, title: t(ctx, 'forbidden_title'), main: html`<h1>${t(ctx, 'forbidden_title')}</h1><p>${t(ctx, 'forbidden', { role: ctx.member.role })}</p><p class="muted">${error.message}</p>` };
  if (error.status === 404) return { status: 404, title: t(ctx, 'not_found_title'), main: html`<h1>${t(ctx, 'not_found_title')}</h1><p>${t(ctx, 'not_found')}</p><p class="muted">${error.message}</p>` };
  return { status: error.status, title: error.id, main: html`<h1>${error.id.replaceAll('_', ' ')}</h1><p>${error.message}</p>` };
}

async function answer(store: Store, route: AdminRoute, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const viewer = request.auth.viewer;
  if (viewer.kind !== 'member') {
    const next = request.method === 'GET' ? request.url : '/admin';
    return reply.redirect(`/admin/sign-in?lang=${langOf(request)}&next=${encodeURIComponent(next)}`, 303);
  }
  const session = request.auth.session;
  const body = (request.method === 'POST' && request.body && typeof request.body === 'object' ? request.body : {}) as FormBody;
  // A multipart form (file upload) is read by its handler as a stream; it checks its _csrf field itself.
  const multipart = (request.headers['content-type'] ?? '').startsWith('multipart/form-data');
  const ctx = await contextOf(store, request, viewer);
  let result: AdminResult;
  try {
    if (request.method === 'POST' && session && !multipart) checkCsrf(request, one(body, '_csrf'));
    result = await route.handler({ ctx, store, request, reply, params: (request.params ?? {}) as Record<string, string>, body });
  } catch (error) {
    if (!isVigilError(error)) throw error;
    result = problem(ctx, error);
  }
  if ('sent' in result) return reply;
  if ('redirect' in result) return reply.redirect(result.redirect, 303);
  return reply
    .status(result.status ?? 200)
    .header('Content-Type', HTML)
    .header('Cache-Control', 'no-store')
    .send(adminLayout(ctx, result).value);
}

/** Registers workspace routes inside the scope that parses form bodies. */
export function registerAdminRoutes(scope: App, store: Store, routes: readonly AdminRoute[]): void {
  for (const route of routes) {
    scope.route({ method: route.method, url: route.path, schema: { hide: true }, handler: (request, reply) => answer(store, route, request, reply) });
  }
}

export function registerAdminAssets(scope: App): void {
  scope.get('/admin/assets/admin.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('Content-Type', 'text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(ADMIN_CSS),
  );
  scope.get('/admin/assets/admin.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('Content-Type', 'text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(ADMIN_JS),
  );
  scope.get('/admin/assets/passkey.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('Content-Type', 'text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(PASSKEY_JS),
  );
}

/**
 * Parses url-encoded forms and file uploads (multipart) for the workspace only: the JSON API keeps
 * accepting JSON alone. A multipart handler reads the parts as streams (`request.parts()`), must check
 * the `_csrf` part with `checkCsrf` before it stores anything, and put `_csrf` first in its form.
 */
export async function withForms(app: App, register: (scope: App) => void | Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 1024 * 1024 });
    await scope.register(multipart, { limits: { files: 1, fields: 100, fieldSize: 1024 * 1024, fileSize: uploadLimitBytes() + 1, parts: 110 } });
    // An answer given before an upload was read to its end (refused: CSRF, too large, wrong type) closes
    // the connection rather than leave a half-read request on a kept-alive socket.
    scope.addHook('onSend', async (request, reply) => {
      if (!request.raw.complete) void reply.header('connection', 'close');
    });
    await register(scope as unknown as App);
  });
}
