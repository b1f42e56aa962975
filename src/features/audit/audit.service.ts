/**
 * The tamper-evident audit trail: who did what, when, from where. Entries are numbered 1, 2, 3, ...
 * without gaps and hash-chained (chain.ts); the head row holds the newest number and hash. An entry is
 * appended inside the transaction of the write it records, so both commit or neither does.
 *
 * What the chain shows: an entry edited, deleted, inserted or moved, entries cut off the end, a head
 * changed. What it cannot show on its own: someone with write access rewriting every hash from some
 * entry onwards, head included. Against that, the head hash must also be kept outside the database
 * (`vigil audit verify --json` prints it) and compared later.
 */
import type { Executor } from '../../store/history.repository.js';
import {
  auditEntryAt,
  auditPage,
  insertAuditEntry,
  listAuditEntries,
  lockAuditHead,
  readAuditHead,
  setAuditHead,
  type AuditHead,
  type AuditRow,
} from '../../store/audit.repository.js';
import { canonicalJson, entryHash, GENESIS_HASH, type ChainedContent } from './chain.js';

export interface AuditInput {
  actor: string;
  action: string;
  entity?: string | null;
  entityId?: string | number | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

/** An entry as read back: what its hash covers, with the details parsed, and its hash. */
export type AuditEntry = Omit<ChainedContent, 'detail'> & { detail: Record<string, unknown>; hash: string };

/**
 * `entries`: how many entries were found intact (all of them when ok; when not, those before the first
 * broken one). `head`: the newest number and hash as the head row records them, to keep elsewhere.
 */
export type AuditVerification =
  | { ok: true; entries: number; head: AuditHead | null }
  | { ok: false; entries: number; head: AuditHead | null; firstBroken: { seq: number; problem: string } };

type Broken = { seq: number; problem: string };

/** Call with the caller's transaction: the entry then commits or rolls back with the write it records. */
export async function appendAudit(db: Executor, entry: AuditInput, at = new Date().toISOString()): Promise<{ seq: number; hash: string }> {
  const head = await lockAuditHead(db, GENESIS_HASH);
  const detail = canonicalJson(entry.detail ?? {});
  const content = {
    seq: head.seq + 1,
    at,
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity ?? null,
    entity_id: entry.entityId === null || entry.entityId === undefined ? null : String(entry.entityId),
    ip: entry.ip ?? null,
  };
  const hash = entryHash(head.hash, { ...content, detail: JSON.parse(detail) });
  await insertAuditEntry(db, { ...content, detail, prev_hash: head.hash, hash });
  await setAuditHead(db, { seq: content.seq, hash });
  return { seq: content.seq, hash };
}

/** Newest first; `beforeSeq` pages back from an entry. */
export async function auditEntries(
  db: Executor,
  options: { limit: number; beforeSeq?: number; actor?: string; action?: string },
): Promise<AuditEntry[]> {
  const limit = Math.max(1, Math.min(1000, Math.floor(options.limit)));
  const rows = await listAuditEntries(db, { ...options, limit });
  return rows.map((row) => ({
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    entity_id: row.entity_id,
    ip: row.ip,
    detail: parseDetail(row.detail) ?? { unreadable_detail: row.detail },
    hash: row.hash,
  }));
}

const PAGE = 1000;

/**
 * Walks the whole trail in number order, a page at a time, and names the first entry that shows
 * tampering and what kind. Needs no transaction: entries and head commit together and appends take
 * turns, so a head read after the last page is never behind it; if it is ahead, entries were appended
 * meanwhile and the walk goes on.
 */
export async function verifyAudit(db: Executor): Promise<AuditVerification> {
  let prev: AuditRow | null = null;
  let beforePrev: AuditRow | null = null;
  let entries = 0;
  const result = (head: AuditHead | null, firstBroken: Broken | null): AuditVerification =>
    firstBroken ? { ok: false, entries, head, firstBroken } : { ok: true, entries, head };
  for (;;) {
    for (let page = await auditPage(db, prev?.seq ?? null, PAGE); page.length > 0; page = await auditPage(db, prev?.seq ?? null, PAGE)) {
      for (const row of page) {
        const broken = await checkEntry(db, row, prev, beforePrev);
        if (broken) return result((await readAuditHead(db)) ?? null, broken);
        [beforePrev, prev] = [prev, row];
        entries += 1;
      }
      if (page.length < PAGE) break;
    }
    const head = (await readAuditHead(db)) ?? null;
    const lastSeq = prev?.seq ?? 0;
    if (head && head.seq > lastSeq && (await auditPage(db, lastSeq, 1)).length > 0) continue;
    return result(head, checkHead(head, prev));
  }
}

async function checkEntry(db: Executor, row: AuditRow, prev: AuditRow | null, beforePrev: AuditRow | null): Promise<Broken | null> {
  const expected = (prev?.seq ?? 0) + 1;
  if (row.seq < expected) {
    return { seq: row.seq, problem: 'it is numbered before the start of the trail (entry 1): it was inserted after the fact' };
  }
  if (row.seq > expected) {
    const missing = row.seq - expected;
    return {
      seq: expected,
      problem:
        missing === 1
          ? 'it is missing: it was deleted'
          : `it and ${missing === 2 ? `entry ${expected + 1}` : `entries ${expected + 1}–${row.seq - 1}`} are missing: they were deleted`,
    };
  }
  if (row.prev_hash !== (prev?.hash ?? GENESIS_HASH)) return diagnoseBrokenLink(db, row, prev, beforePrev);
  if (!hashMatches(row, row.seq)) return { seq: row.seq, problem: 'its content was changed after it was written' };
  return null;
}

/** `row` does not link to the entry before it; work out what was done. */
async function diagnoseBrokenLink(db: Executor, row: AuditRow, prev: AuditRow | null, beforePrev: AuditRow | null): Promise<Broken> {
  const expectedLink = prev?.hash ?? GENESIS_HASH;
  if (prev && row.prev_hash === (beforePrev?.hash ?? GENESIS_HASH)) {
    const target = beforePrev ? `entry ${beforePrev.seq}` : 'the start of the trail';
    return { seq: prev.seq, problem: `it was inserted after the fact: entry ${row.seq} links past it to ${target}` };
  }
  const next = await auditEntryAt(db, row.seq + 1);
  if (next && next.prev_hash === expectedLink && row.prev_hash === next.hash) {
    return { seq: row.seq, problem: `it and entry ${next.seq} were swapped: the order of entries was changed` };
  }
  if (hashMatches(row, row.seq + 1)) {
    return { seq: row.seq, problem: `the entry first numbered ${row.seq} was deleted and the entries after it renumbered to close the gap` };
  }
  if (prev && hashMatches(row, row.seq)) {
    return { seq: prev.seq, problem: `its content was changed and its hash recomputed: entry ${row.seq} still links to its original hash` };
  }
  const before = prev ? `entry ${prev.seq}` : 'the start of the trail';
  return { seq: row.seq, problem: `it does not link to ${before}: entries around it were deleted, inserted, reordered or changed` };
}

function checkHead(head: AuditHead | null, last: AuditRow | null): Broken | null {
  if (!head) {
    return last ? { seq: last.seq, problem: 'the head that records the newest entry is missing: it was deleted' } : null;
  }
  const lastSeq = last?.seq ?? 0;
  if (head.seq > lastSeq) {
    const what = head.seq === lastSeq + 1 ? 'it is missing from the end' : `it and the entries after it up to ${head.seq} are missing from the end`;
    return { seq: lastSeq + 1, problem: `${what}: the head records entry ${head.seq} as the newest, so entries were cut off` };
  }
  if (head.seq < lastSeq) {
    return { seq: head.seq + 1, problem: `the head records entry ${head.seq} as the newest: this entry was added outside the audit trail, or the head was set back` };
  }
  if (head.hash !== (last?.hash ?? GENESIS_HASH)) {
    return { seq: lastSeq, problem: 'the head does not match it: the head was changed, or this entry was rewritten with a recomputed hash' };
  }
  return null;
}

function hashMatches(row: AuditRow, asSeq: number): boolean {
  const detail = parseDetail(row.detail);
  return detail !== undefined && entryHash(row.prev_hash, { ...row, seq: asSeq, detail }) === row.hash;
}

function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
