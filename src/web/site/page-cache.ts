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

/** A page as kept: its bytes only (the rendered string would double what the cache holds). */
interface Entry extends Omit<Rendered, 'body'> {
  raw: Buffer;
  gzip: Buffer | null;
  etag: string;
}

export interface PageCache {
  entries: LRUCache<string, Entry>;
  /**
   * Renders under way, by key. Every request that misses the same page while it renders waits for that
   * one render: under load, a page that has just changed would otherwise be rendered by each of them.
   */
  rendering: Map<string, Promise<Entry>>;
}

/** One cache per store: two stores in one process (tests, tools) must never see each other's pages. */
const caches = new WeakMap<object, PageCache>();

export function pageCacheFor(owner: object): PageCache {
  let cache = caches.get(owner);
  if (!cache) {
    const entries = new LRUCache<string, Entry>({ max: 2000, maxSize: 64 * 1024 * 1024, sizeCalculation: (entry) => entry.raw.length + (entry.gzip?.length ?? 0) + 64 });
    cache = { entries, rendering: new Map() };
    caches.set(owner, cache);
  }
  return cache;
}

function prepare({ body, ...rendered }: Rendered): Entry {
  const raw = Buffer.from(body, 'utf8');
  const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`;
  return { ...rendered, raw, gzip: raw.length > 1024 ? gzipSync(raw, { level: 6 }) : null, etag };
}

/** The cached page, or the one render of it under way, or a new render that later misses will share. */
function entryFor(cache: PageCache, key: string, render: () => Promise<Rendered>): Entry | Promise<Entry> {
  const cached = cache.entries.get(key);
  if (cached) return cached;
  let rendering = cache.rendering.get(key);
  if (!rendering) {
    // A failed render is not kept: every request waiting for it gets the error, the next one tries again.
    rendering = Promise.resolve()
      .then(render)
      .then((rendered) => {
        const entry = prepare(rendered);
        cache.entries.set(key, entry);
        return entry;
      })
      .finally(() => cache.rendering.delete(key));
    cache.rendering.set(key, rendering);
  }
  return rendering;
}

export async function servePage(cache: PageCache, request: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<Rendered>): Promise<FastifyReply> {
  const entry = await entryFor(cache, key, render);
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
