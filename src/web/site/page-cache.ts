/**
 * Serving public pages fast: a rendered page is kept (with its gzip form and an ETag) until the data
 * changes, the day turns or it falls out of the LRU. The key holds the data stamp, the day, the
 * language and the full URL, so a change in the registry is visible on the next request.
 * Pages carry no per-request values (no nonces: the site has no inline scripts or styles).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Rendered {
  status: number;
  type: string;
  body: string;
  /** Allow partner sites to frame this page (the embeddable counter). */
  frameable?: boolean;
}

interface Entry extends Rendered {
  raw: Buffer;
  gzip: Buffer | null;
  etag: string;
}

export type PageCache = LRUCache<string, Entry>;

/** One cache per store: two stores in one process (tests, tools) must never see each other's pages. */
const caches = new WeakMap<object, PageCache>();

export function pageCacheFor(owner: object): PageCache {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new LRUCache<string, Entry>({ max: 2000, maxSize: 64 * 1024 * 1024, sizeCalculation: (entry) => entry.raw.length + (entry.gzip?.length ?? 0) + 64 });
    caches.set(owner, cache);
  }
  return cache;
}

function prepare(rendered: Rendered): Entry {
  const raw = Buffer.from(rendered.body, 'utf8');
  const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`;
  return { ...rendered, raw, gzip: raw.length > 1024 ? gzipSync(raw, { level: 6 }) : null, etag };
}

export async function servePage(cache: PageCache, request: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<Rendered>): Promise<FastifyReply> {
  let entry = cache.get(key);
  if (!entry) {
    entry = prepare(await render());
    cache.set(key, entry);
  }
  reply
    .status(entry.status)
    .header('Content-Type', entry.type)
    .header('ETag', entry.etag)
    .header('Vary', 'Accept-Encoding, Accept-Language')
    .header('Cache-Control', 'public, max-age=60');
  if (entry.frameable) {
    reply.header('Content-Security-Policy', "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *");
    reply.removeHeader('X-Frame-Options');
    // Partner pages that require CORP of what they embed must be allowed to show the counter.
    reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
  }
  if (entry.status === 200 && request.headers['if-none-match'] === entry.etag) return reply.status(304).send();
  const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (entry.gzip && acceptsGzip) return reply.header('Content-Encoding', 'gzip').send(entry.gzip);
  return reply.send(entry.raw);
}
