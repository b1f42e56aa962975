/**
 * The hash chain, pure: each entry's hash covers its own content and the previous entry's hash, so
 * changing, removing, inserting or reordering an entry breaks every link after it. The content is
 * hashed as canonical JSON (keys sorted at every level) so an entry hashes the same whichever backend
 * stored it and whatever key order the caller wrote its detail in.
 */
import { createHash } from 'node:crypto';

/** What entry 1 links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything in an entry that its hash covers (all of it but the two hashes). */
export interface ChainedContent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  ip: string | null;
  detail: unknown;
}

/**
 * JSON with object keys in code-unit order at every level, no spaces; values as JSON.stringify writes
 * them. Written out by hand because a JS object always lists integer-like keys ("2", "10") first,
 * which would make the text differ from what a verifier in another language computes.
 */
export function canonicalJson(value: unknown): string {
  return write(JSON.parse(JSON.stringify(value ?? null)) as unknown);
}

function write(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${write(object[key])}`);
  return `{${members.join(',')}}`;
}

export function entryHash(prevHash: string, content: ChainedContent): string {
  const { seq, at, actor, action, entity, entity_id, ip, detail } = content;
  const canonical = canonicalJson({ seq, at, actor, action, entity, entity_id, ip, detail });
  return createHash('sha256').update(`${prevHash}\n${canonical}`, 'utf8').digest('hex');
}
