/**
 * Duplicate detection and decisions. Candidate pairs come from blocking keys (src/names/blocking.ts);
 * each pair is scored by compareRecords with its reasons. Merging never deletes: the duplicate keeps
 * its record, names, events and history, and points at the record it was merged into; counting and
 * search then treat both as one person. "Not the same person" is remembered and the pair is not
 * proposed again. Every decision records who made it and why.
 */
import { blockingKeys } from '../../names/blocking.js';
import { compareRecords, type NameRecord } from '../../names/index.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { recordChanges } from '../../store/history.repository.js';
import { personData, type PersonRecord } from '../../store/person.repository.js';
import { rebuildStatus } from '../../store/status.repository.js';
import { findPerson, type EditContext } from '../persons/person.service.js';
import { displayName } from '../search/search.service.js';
import { appendAudit } from '../audit/audit.service.js';

export interface DuplicateCandidate {
  a: { id: number; external_id: string; name: string };
  b: { id: number; external_id: string; name: string };
  score: number;
  reasons: string[];
}

export interface FindOptions {
  minScore?: number;
  limit?: number;
}

/** Blocks larger than this are common-name piles (every Іван Каваленка); comparing all their pairs says little. */
const MAX_BLOCK = 400;
export const LIKELY_DUPLICATE = 0.85;

interface Loaded {
  record: NameRecord;
  external_id: string;
  name: string;
}

async function loadRecords(store: Store): Promise<Map<number, Loaded>> {
  const result = new Map<number, Loaded>();
  const pageSize = 5000;
  let after = 0;
  for (;;) {
    const page = await store.db
      .selectFrom('person')
      .select(['id', 'external_id', 'birth_date', 'region'])
      .where('merged_into', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return result;
    const names = await store.db
      .selectFrom('person_name')
      .select(['person_id', 'family', 'given', 'patronymic', 'full_name', 'lang'])
      .where('person_id', 'in', page.map((p) => p.id))
      .orderBy('position')
      .execute();
    for (const person of page) {
      const own = names.filter((n) => n.person_id === person.id);
      result.set(person.id, {
        record: {
          id: person.id,
          names: own.map((n) => ({ family: n.family, given: n.given, patronymic: n.patronymic, full: n.full_name, lang: n.lang })),
          birthDate: person.birth_date,
          region: person.region,
        },
        external_id: person.external_id,
        name: displayName(own),
      });
    }
    after = page.at(-1)!.id;
  }
}

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

export async function findDuplicates(store: Store, options: FindOptions = {}): Promise<DuplicateCandidate[]> {
  const minScore = options.minScore ?? LIKELY_DUPLICATE;
  const people = await loadRecords(store);
  const decided = new Set(
    (await store.db.selectFrom('duplicate_decision').select(['person_low', 'person_high']).execute()).map((d) => pairKey(d.person_low, d.person_high)),
  );
  const blocks = new Map<string, number[]>();
  for (const [id, person] of people) {
    for (const key of blockingKeys(person.record)) {
      const block = blocks.get(key) ?? [];
      block.push(id);
      blocks.set(key, block);
    }
  }
  const seen = new Set<string>();
  const candidates: DuplicateCandidate[] = [];
  for (const block of blocks.values()) {
    if (block.length < 2 || block.length > MAX_BLOCK) continue;
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const key = pairKey(block[i]!, block[j]!);
        if (seen.has(key) || decided.has(key)) continue;
        seen.add(key);
        const a = people.get(Math.min(block[i]!, block[j]!))!;
        const b = people.get(Math.max(block[i]!, block[j]!))!;
        const { score, reasons } = compareRecords(a.record, b.record);
        if (score < minScore) continue;
        candidates.push({
          a: { id: a.record.id, external_id: a.external_id, name: a.name },
          b: { id: b.record.id, external_id: b.external_id, name: b.name },
          score,
          reasons,
        });
      }
    }
  }
  candidates.sort((x, y) => y.score - x.score || x.a.id - y.a.id || x.b.id - y.b.id);
  return options.limit ? candidates.slice(0, options.limit) : candidates;
}

function checkReason(context: EditContext): void {
  if (!context.reason.trim()) throw errors.validation('reason: say why (what shows these records are, or are not, the same person)');
}

async function pairOf(store: Store, first: string, second: string): Promise<[PersonRecord, PersonRecord]> {
  const a = await findPerson(store, first);
  const b = await findPerson(store, second);
  if (a.id === b.id) throw errors.validation(`${first} and ${second} are the same record`);
  return [a, b];
}

async function decide(store: Store, a: PersonRecord, b: PersonRecord, decision: 'same' | 'not_same', context: EditContext, at: string) {
  const [low, high] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
  await store.db.deleteFrom('duplicate_decision').where('person_low', '=', low).where('person_high', '=', high).execute();
  await store.db
    .insertInto('duplicate_decision')
    .values({ person_low: low, person_high: high, decision, actor: context.actor, at, reason: context.reason })
    .execute();
}

/** Records that `duplicate` is the same person as `keep`. Nothing is deleted. */
export async function mergePeople(store: Store, keepRef: string, duplicateRef: string, context: EditContext): Promise<void> {
  checkReason(context);
  const [keep, duplicate] = await pairOf(store, keepRef, duplicateRef);
  if (keep.merged_into !== null) throw errors.validation(`${keepRef} was itself merged into another record; merge into that one`);
  if (duplicate.merged_into !== null) throw errors.validation(`${duplicateRef} is already merged into another record`);
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('person')
      .set({ merged_into: keep.id, version: duplicate.version + 1, updated_at: now })
      .where('id', '=', duplicate.id)
      .where('version', '=', duplicate.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw errors.conflict(`person ${duplicate.external_id}`, duplicate.version, duplicate.version + 1);
    // Records merged into the duplicate now belong to the kept record.
    await trx.updateTable('person').set({ merged_into: keep.id }).where('merged_into', '=', duplicate.id).execute();
    await recordChanges(trx, [{
      entity: 'person', entityId: duplicate.id, version: duplicate.version + 1, action: 'merge', actor: context.actor, reason: context.reason,
      before: { ...personData(duplicate), merged_into: null }, after: { ...personData(duplicate), merged_into: keep.id },
    }], now);
    await decide({ ...store, db: trx }, keep, duplicate, 'same', context, now);
    await appendAudit(trx, { actor: context.actor, action: 'merge', entity: 'person', entityId: duplicate.id, ip: context.ip ?? null, detail: { into: keep.external_id, reason: context.reason } });
    await rebuildStatus(trx, [keep.id, duplicate.id]);
  });
}

/** Undoes a merge: the record stands on its own again. */
export async function unmergePerson(store: Store, reference: string, context: EditContext): Promise<void> {
  checkReason(context);
  const person = await findPerson(store, reference);
  if (person.merged_into === null) throw errors.validation(`${reference} is not merged into another record`);
  const keptId = person.merged_into;
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('person').set({ merged_into: null, version: person.version + 1, updated_at: now }).where('id', '=', person.id).execute();
    await recordChanges(trx, [{
      entity: 'person', entityId: person.id, version: person.version + 1, action: 'restore', actor: context.actor, reason: context.reason,
      before: { ...personData(person), merged_into: keptId }, after: { ...personData(person), merged_into: null },
    }], now);
    const [low, high] = person.id < keptId ? [person.id, keptId] : [keptId, person.id];
    await trx.deleteFrom('duplicate_decision').where('person_low', '=', low).where('person_high', '=', high).execute();
    await appendAudit(trx, { actor: context.actor, action: 'unmerge', entity: 'person', entityId: person.id, ip: context.ip ?? null, detail: { reason: context.reason } });
    await rebuildStatus(trx, [keptId, person.id]);
  });
}

/** Remembers that two records are different people, so they are not proposed again. */
export async function markNotSame(store: Store, first: string, second: string, context: EditContext): Promise<void> {
  checkReason(context);
  const [a, b] = await pairOf(store, first, second);
  await store.db.transaction().execute(async (trx) => {
    await decide({ ...store, db: trx }, a, b, 'not_same', context, new Date().toISOString());
    await appendAudit(trx, { actor: context.actor, action: 'not_same', entity: 'person', entityId: a.id, ip: context.ip ?? null, detail: { other: b.external_id, reason: context.reason } });
  });
}

export interface Decision {
  a: string;
  b: string;
  decision: string;
  actor: string;
  at: string;
  reason: string;
}

export async function listDecisions(store: Store): Promise<Decision[]> {
  const rows = await store.db
    .selectFrom('duplicate_decision')
    .innerJoin('person as low', 'low.id', 'duplicate_decision.person_low')
    .innerJoin('person as high', 'high.id', 'duplicate_decision.person_high')
    .select(['low.external_id as a', 'high.external_id as b', 'decision', 'actor', 'at', 'reason'])
    .orderBy('at')
    .execute();
  return rows;
}
