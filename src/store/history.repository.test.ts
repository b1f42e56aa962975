import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postgresBackend } from '../test-support/stores.js';
import type { Store } from './connection.js';
import { createPerson } from '../features/persons/person.service.js';
import { searchPeople } from '../features/search/search.service.js';
import { publicRegistry } from '../features/public/public-registry.service.js';
import { appendAudit } from '../features/audit/audit.service.js';
import { recordChanges } from './history.repository.js';
import { insertPersons, type PersonData } from './person.repository.js';

function published(externalId: string, family: string, given: string): PersonData {
  return {
    external_id: externalId, birth_date: null, gender: 'unknown', region: null, occupation: null, tags: [], biography: {},
    publish: true, confidentiality: 'public', field_levels: {},
    names: [{ family, given, patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }],
  };
}

/** A writer that numbers its change-log row, then waits to be released before it audits and commits. */
function slowWriter(store: Store, person: PersonData) {
  let numbered!: () => void;
  let release!: () => void;
  const hasNumbered = new Promise<void>((resolve) => (numbered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const done = store.db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const [id] = await insertPersons(trx, [person], now);
    await recordChanges(trx, [{ entity: 'person', entityId: id!, version: 1, action: 'create', actor: 'test', before: null, after: person }], now);
    numbered();
    await released;
    await appendAudit(trx, { actor: 'test', action: 'create', entity: 'person', entityId: id! });
  });
  return { hasNumbered, release, done };
}

/** Settles when `work` has finished or is waiting for a lock, whichever comes first. */
async function finishedOrWaiting(store: Store, work: Promise<unknown>): Promise<void> {
  let settled = false;
  void work.finally(() => (settled = true));
  while (!settled) {
    const waiting = await store.db.selectFrom('pg_locks' as never).select((eb) => eb.fn.countAll<number>().as('n')).where('granted' as never, '=', false as never).where('locktype' as never, '=', 'advisory' as never).executeTakeFirstOrThrow();
    if (waiting.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// PostgreSQL only: SQLite lets one writer in at a time, so change-log numbers always become visible in
// order. PostgreSQL numbers rows when they are inserted and commits in any order, which is what this tests.
describe('change-log numbers on PostgreSQL', () => {
  const backend = postgresBackend();

  it('become visible in order, so a write that commits last is never missed by caches that have seen a later number', async () => {
    const store = await backend.fresh();
    const slow = slowWriter(store, published('slow', 'Марудны', 'Павел'));
    await slow.hasNumbered;
    const quick = createPerson(store, published('quick', 'Хуткі', 'Ян'), { actor: 'test', reason: 'order test' });
    await finishedOrWaiting(store, quick);
    // What a reader (a request building the search index and the public registry) sees meanwhile.
    await searchPeople(store, 'Хуткі Ян', { publicOnly: true, limit: 1 });
    await publicRegistry(store);

    slow.release();
    await Promise.all([slow.done, quick]);
    for (const [id, name] of [['slow', 'Марудны Павел'], ['quick', 'Хуткі Ян']] as const) {
      assert.equal((await searchPeople(store, name, { publicOnly: true, limit: 1 }))[0]?.external_id, id, `public search finds ${id}`);
      assert.ok((await publicRegistry(store)).byExternalId.has(id), `the public registry lists ${id}`);
    }
  });
});
