import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../store/connection.js';
import type { AuditRow } from '../../store/audit.repository.js';
import { describeBothBackends, type TestBackend } from '../../test-support/stores.js';
import { appendAudit, auditEntries, verifyAudit, type AuditVerification } from './audit.service.js';
import { AUDIT_ACTIONS } from './actions.js';
import { entryHash } from './chain.js';

const ACTORS = ['admin@example.org', 'editor@example.org', 'cli:documenter'];
const ACTIONS = Object.values(AUDIT_ACTIONS);

/** A fresh store with `count` entries, each appended in a transaction of its own as callers do. */
async function storeWith(backend: TestBackend, count: number): Promise<Store> {
  const store = await backend.fresh();
  for (let i = 1; i <= count; i++) {
    await store.db.transaction().execute((trx) =>
      appendAudit(trx, { actor: ACTORS[i % 3]!, action: ACTIONS[i % ACTIONS.length]!, entity: 'person', entityId: i * 10, ip: '192.0.2.1', detail: { n: i } }),
    );
  }
  return store;
}

const row = (store: Store, seq: number): Promise<AuditRow> =>
  store.db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();

/** Sets one entry's number (callers order the moves so the primary key never clashes). */
async function renumber(store: Store, from: number, to: number): Promise<void> {
  await store.db.updateTable('audit_log').set({ seq: to }).where('seq', '=', from).execute();
}

function assertBroken(result: AuditVerification, seq: number, problem: RegExp): void {
  assert.equal(result.ok, false, 'tampering went unnoticed');
  if (result.ok) return;
  assert.equal(result.firstBroken.seq, seq, result.firstBroken.problem);
  assert.match(result.firstBroken.problem, problem);
}

describeBothBackends('audit trail', (backend) => {
  it('verifies an intact chain of thousands of entries, across pages, with the head on the newest', async () => {
    const store = await storeWith(backend, 5);
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 2100; i++) await appendAudit(trx, { actor: 'importer', action: 'import', detail: { row: i, names: ['Іваноў', 'Ivanov'] } });
    });
    const result = await verifyAudit(store.db);
    assert.deepEqual(result, { ok: true, entries: 2105, head: { seq: 2105, hash: (await row(store, 2105)).hash } });
  });

  it('hashes an entry the same on both backends (a fixed entry gives a fixed hash)', async () => {
    // The value also comes out of Python: sha256('0'*64 + '\n' + json.dumps(content, sort_keys=True, separators=(',', ':'), ensure_ascii=False)).
    const store = await backend.fresh();
    const entry = { actor: 'admin@example.org', action: 'update', entity: 'person', entityId: 42, ip: '198.51.100.7', detail: { to: 'Homiel', field: 'region', 10: ['ў', null] } };
    const appended = await store.db.transaction().execute((trx) => appendAudit(trx, entry, '2025-03-01T10:00:00.000Z'));
    assert.deepEqual(appended, { seq: 1, hash: 'a1b88f1ac3dbba445c1170c75c70d21f2032f2fc6edb9ea5238ddd5bf518ba57' });
    assert.equal((await row(store, 1)).prev_hash, '0'.repeat(64));
  });

  it('names an entry whose detail was edited', async () => {
    const store = await storeWith(backend, 10);
    await store.db.updateTable('audit_log').set({ detail: '{"n":999}' }).where('seq', '=', 4).execute();
    assertBroken(await verifyAudit(store.db), 4, /^its content was changed after it was written$/);
  });

  it('names an entry whose actor was edited', async () => {
    const store = await storeWith(backend, 10);
    await store.db.updateTable('audit_log').set({ actor: 'someone-else' }).where('seq', '=', 7).execute();
    assertBroken(await verifyAudit(store.db), 7, /^its content was changed after it was written$/);
  });

  it('names an entry that was edited and given a recomputed hash (the next entry still links to the old one)', async () => {
    const store = await storeWith(backend, 10);
    const original = await row(store, 5);
    const forged = { ...original, actor: 'someone-else' };
    const hash = entryHash(forged.prev_hash, { ...forged, detail: JSON.parse(forged.detail) });
    await store.db.updateTable('audit_log').set({ actor: forged.actor, hash }).where('seq', '=', 5).execute();
    assertBroken(await verifyAudit(store.db), 5, /content was changed and its hash recomputed/);
  });

  it('names a deleted entry in the middle', async () => {
    const store = await storeWith(backend, 10);
    await store.db.deleteFrom('audit_log').where('seq', '=', 6).execute();
    assertBroken(await verifyAudit(store.db), 6, /^it is missing: it was deleted$/);
    await store.db.deleteFrom('audit_log').where('seq', 'in', [7, 8]).execute();
    assertBroken(await verifyAudit(store.db), 6, /^it and entries 7–8 are missing: they were deleted$/);
  });

  it('names a deleted entry even when the later entries were renumbered to close the gap', async () => {
    const store = await storeWith(backend, 10);
    await store.db.deleteFrom('audit_log').where('seq', '=', 6).execute();
    for (let seq = 7; seq <= 10; seq++) await renumber(store, seq, seq - 1);
    await store.db.updateTable('audit_head').set({ seq: 9 }).execute();
    assertBroken(await verifyAudit(store.db), 6, /first numbered 6 was deleted and the entries after it renumbered/);
  });

  it('notices the newest entries cut off the end, through the head', async () => {
    const store = await storeWith(backend, 10);
    await store.db.deleteFrom('audit_log').where('seq', '>=', 9).execute();
    assertBroken(await verifyAudit(store.db), 9, /^it and the entries after it up to 10 are missing from the end: the head records entry 10/);
    await store.db.deleteFrom('audit_log').execute();
    assertBroken(await verifyAudit(store.db), 1, /missing from the end/);
  });

  it('names an entry forged with a correct hash and squeezed in by renumbering the later ones', async () => {
    const store = await storeWith(backend, 10);
    for (let seq = 10; seq >= 4; seq--) await renumber(store, seq, seq + 1);
    const previous = await row(store, 3);
    const content = { seq: 4, at: previous.at, actor: ACTORS[0]!, action: 'delete', entity: 'person', entity_id: '5', ip: null, detail: {} };
    const hash = entryHash(previous.hash, content);
    await store.db.insertInto('audit_log').values({ ...content, detail: '{}', prev_hash: previous.hash, hash }).execute();
    await store.db.updateTable('audit_head').set({ seq: 11 }).execute();
    assertBroken(await verifyAudit(store.db), 4, /^it was inserted after the fact: entry 5 links past it to entry 3$/);
  });

  it('names two entries that were swapped', async () => {
    const store = await storeWith(backend, 10);
    await renumber(store, 5, -1);
    await renumber(store, 6, 5);
    await renumber(store, -1, 6);
    assertBroken(await verifyAudit(store.db), 5, /^it and entry 6 were swapped: the order of entries was changed$/);
  });

  it('notices a changed, set back or deleted head', async () => {
    const store = await storeWith(backend, 10);
    const head = await store.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await store.db.updateTable('audit_head').set({ hash: 'f'.repeat(64) }).execute();
    assertBroken(await verifyAudit(store.db), 10, /^the head does not match it: the head was changed/);

    await store.db.updateTable('audit_head').set({ seq: 8, hash: (await row(store, 8)).hash }).execute();
    assertBroken(await verifyAudit(store.db), 9, /added outside the audit trail, or the head was set back/);

    await store.db.deleteFrom('audit_head').execute();
    assertBroken(await verifyAudit(store.db), 10, /head .* is missing: it was deleted/);

    await store.db.insertInto('audit_head').values(head).execute();
    assert.equal((await verifyAudit(store.db)).ok, true, 'restoring the head restores the trail');
  });

  it('leaves no trace of an append whose transaction rolled back, first or later, and the chain goes on', async () => {
    const store = await backend.fresh();
    const rollBack = () =>
      store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actor: 'admin@example.org', action: 'user_add', entityId: 1 });
        throw new Error('the write failed');
      });
    await assert.rejects(rollBack(), /the write failed/);
    assert.equal(await store.db.selectFrom('audit_head').selectAll().executeTakeFirst(), undefined);
    assert.deepEqual(await verifyAudit(store.db), { ok: true, entries: 0, head: null });

    await store.db.transaction().execute((trx) => appendAudit(trx, { actor: 'admin@example.org', action: 'sign_in' }));
    await assert.rejects(rollBack(), /the write failed/);
    const next = await store.db.transaction().execute((trx) => appendAudit(trx, { actor: 'admin@example.org', action: 'sign_out' }));
    assert.equal(next.seq, 2);
    const result = await verifyAudit(store.db);
    assert.equal(result.ok, true);
    assert.equal(result.entries, 2);
    assert.deepEqual((await auditEntries(store.db, { limit: 10 })).map((e) => e.action), ['sign_out', 'sign_in']);
  });

  it('keeps the chain contiguous when 20 transactions append at once, the first append included', async () => {
    const store = await backend.fresh();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.db.transaction().execute(async (trx) => {
          // Some work of the caller's own first, so the transactions are open side by side when they append.
          await trx.selectFrom('person').select((eb) => eb.fn.countAll().as('n')).execute();
          return appendAudit(trx, { actor: `user${i}@example.org`, action: 'sign_in', detail: { i } });
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.seq).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
    const result = await verifyAudit(store.db);
    assert.equal(result.ok, true, result.ok ? '' : result.firstBroken.problem);
    assert.equal(result.entries, 20);
  });

  it('lists entries newest first, filtered by actor or action, paging back from an entry', async () => {
    const store = await storeWith(backend, 12);
    const newest = await auditEntries(store.db, { limit: 3 });
    assert.deepEqual(newest.map((e) => e.seq), [12, 11, 10]);
    assert.deepEqual(newest[0], {
      seq: 12,
      at: newest[0]!.at,
      actor: ACTORS[0],
      action: ACTIONS[12 % ACTIONS.length],
      entity: 'person',
      entity_id: '120',
      ip: '192.0.2.1',
      detail: { n: 12 },
      hash: (await row(store, 12)).hash,
    });
    assert.deepEqual((await auditEntries(store.db, { limit: 3, beforeSeq: 10 })).map((e) => e.seq), [9, 8, 7]);
    assert.deepEqual((await auditEntries(store.db, { limit: 100, actor: ACTORS[1]! })).map((e) => e.seq), [10, 7, 4, 1]);
    assert.deepEqual((await auditEntries(store.db, { limit: 100, action: ACTIONS[3]! })).map((e) => e.seq), [3]);
  });
});
