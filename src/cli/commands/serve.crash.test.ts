/**
 * `vigil serve` killed with SIGKILL while several clients write through the API. After a restart every
 * write the server acknowledged (2xx) is there; nothing is half-written (a person without their names,
 * an event without its history entry, status intervals that disagree with the events); the audit trail
 * verifies. Run against SQLite, PostgreSQL and an encrypted SQLite store.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../web/app.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { runCli } from '../../test-support/cli.js';
import { startServer, waitUntil, type Location, type VigilProcess } from '../../test-support/processes.js';
import { describeAllStores, isPlainSqlite, reopen, statusMismatches } from '../../test-support/store-state.js';
import type { TestBackend } from '../../test-support/stores.js';
import type { Store } from '../../store/connection.js';
import { verifyAudit } from '../../features/audit/audit.service.js';

const WORKERS = 6;
const ACKNOWLEDGED_BEFORE_KILL = 150;

interface Ledger {
  /** Every person a client tried to create (external id → number of names sent). */
  sentPersons: Map<string, number>;
  ackedPersons: Set<string>;
  /** Region of each acknowledged update (version 2). */
  ackedUpdates: Map<string, string>;
  ackedEvents: { id: number; person: string; type: string; date: string }[];
  /** Answers that were neither 2xx nor a dropped connection: must not happen before the kill. */
  refused: string[];
  inFlight: number;
}

const EVENTS = (i: number) => [
  { type: 'detained', date: `2021-0${1 + (i % 9)}-03`, facility: `Colony No. ${i % 5}` },
  { type: 'recognized', date: `2021-0${1 + (i % 9)}-20`, organization: 'Viasna' },
  ...(i % 3 === 0 ? [{ type: 'released', date: `2024-0${1 + (i % 9)}-11`, reason: 'pardon' }] : []),
];

/** One client: create a person, record their events, correct their region; again and again until the server dies. */
async function writer(base: string, authorization: string, w: number, ledger: Ledger, stopped: () => boolean): Promise<void> {
  const send = async (method: string, path: string, body: unknown) => {
    ledger.inFlight++;
    try {
      const response = await fetch(`${base}${path}`, { method, headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    } finally {
      ledger.inFlight--;
    }
  };
  try {
    for (let i = 0; !stopped(); i++) {
      const id = `w${w}-${i}`;
      const names = [{ family: 'Іваноў', given: `Іван ${i}`, lang: 'be' }, { family: 'Ivanou', given: `Ivan ${w}-${i}` }];
      ledger.sentPersons.set(id, names.length);
      const created = await send('POST', '/api/v1/persons', { external_id: id, names, publish: i % 2 === 0, confidentiality: 'public', change_reason: 'crash test' });
      if (created.status !== 201) return void ledger.refused.push(`create ${id}: ${created.status} ${JSON.stringify(created.json)}`);
      ledger.ackedPersons.add(id);
      for (const event of EVENTS(i)) {
        const answer = await send('POST', '/api/v1/events', { person: id, ...event, confidentiality: 'public', change_reason: 'crash test' });
        if (answer.status !== 201) return void ledger.refused.push(`event ${id} ${event.type}: ${answer.status} ${JSON.stringify(answer.json)}`);
        ledger.ackedEvents.push({ id: answer.json.id as number, person: id, type: event.type, date: event.date });
      }
      const region = `Region ${w}-${i}`;
      const patched = await send('PATCH', `/api/v1/persons/${id}`, { version: 1, change_reason: 'correction', region });
      if (patched.status !== 200) return void ledger.refused.push(`update ${id}: ${patched.status} ${JSON.stringify(patched.json)}`);
      ledger.ackedUpdates.set(id, region);
    }
  } catch {
    // The connection died with the server: the outcome of that last request is unknown, which is allowed.
  }
}

const acknowledged = (ledger: Ledger) => ledger.ackedPersons.size + ledger.ackedEvents.length + ledger.ackedUpdates.size;

/** What the restarted store holds, checked against what the clients were told. */
async function checkStore(store: Store, ledger: Ledger): Promise<void> {
  const people = await store.db.selectFrom('person').select(['id', 'external_id', 'region', 'version']).execute();
  const byExternal = new Map(people.map((p) => [p.external_id, p]));
  for (const id of ledger.ackedPersons) assert.ok(byExternal.has(id), `acknowledged person ${id} is missing`);
  for (const [id, region] of ledger.ackedUpdates) {
    assert.deepEqual([byExternal.get(id)?.region, byExternal.get(id)?.version], [region, 2], `acknowledged update of ${id}`);
  }
  const names = await store.db.selectFrom('person_name').select(['person_id']).execute();
  const nameCount = new Map<number, number>();
  for (const n of names) nameCount.set(n.person_id, (nameCount.get(n.person_id) ?? 0) + 1);
  for (const person of people) {
    assert.ok(ledger.sentPersons.has(person.external_id), `${person.external_id} was never sent`);
    assert.equal(nameCount.get(person.id), ledger.sentPersons.get(person.external_id), `${person.external_id} has all its names`);
  }

  const events = await store.db.selectFrom('event').select(['id', 'person_id', 'type', 'date']).execute();
  const eventById = new Map(events.map((e) => [e.id, e]));
  const externalOf = new Map(people.map((p) => [p.id, p.external_id]));
  for (const acked of ledger.ackedEvents) {
    const stored = eventById.get(acked.id);
    assert.deepEqual(stored && [externalOf.get(stored.person_id), stored.type, stored.date], [acked.person, acked.type, acked.date], `acknowledged event ${acked.id}`);
  }

  // Each write is one transaction: record, history entry and audit entry together or not at all.
  const history = await store.db.selectFrom('change_log').select(['entity', 'entity_id', 'version']).where('entity', 'in', ['person', 'event']).execute();
  const logged = new Set(history.map((h) => `${h.entity} ${h.entity_id} ${h.version}`));
  for (const person of people) for (let v = 1; v <= person.version; v++) assert.ok(logged.has(`person ${person.id} ${v}`), `person ${person.id} version ${v} is in the history`);
  for (const event of events) assert.ok(logged.has(`event ${event.id} 1`), `event ${event.id} is in the history`);
  assert.equal(history.length, people.reduce((sum, p) => sum + p.version, 0) + events.length, 'no history entry without its record');
  const audited = await store.db.selectFrom('audit_log').select(['entity', 'action']).where('action', 'in', ['create', 'update']).execute();
  const count = (entity: string, action: string) => audited.filter((a) => a.entity === entity && a.action === action).length;
  assert.deepEqual([count('person', 'create'), count('person', 'update'), count('event', 'create')], [people.length, people.filter((p) => p.version === 2).length, events.length]);
  assert.deepEqual(await statusMismatches(store), []);
  const audit = await verifyAudit(store.db);
  assert.equal(audit.ok, true, JSON.stringify(audit));
}

async function crashServer(backend: TestBackend): Promise<void> {
  const store = await backend.fresh();
  const location: Location = { database: backend.lastLocation.database, env: { ...backend.lastLocation.env } };
  const setup = await buildApp({ store });
  const { authorization } = await memberWithToken(setup, store, 'editor@example.org', 'editor');
  await setup.close();
  await store.close();
  if (location.env.VIGIL_DATABASE_KEY) assert.equal(isPlainSqlite(location.database), false, 'the store file is encrypted');

  const running: VigilProcess[] = [];
  try {
    const first = await startServer(location);
    running.push(first.server);
    const ledger: Ledger = { sentPersons: new Map(), ackedPersons: new Set(), ackedUpdates: new Map(), ackedEvents: [], refused: [], inFlight: 0 };
    let killed = false;
    const writers = Array.from({ length: WORKERS }, (_, w) => writer(first.base, authorization, w, ledger, () => killed));
    const busy = await waitUntil(() => acknowledged(ledger) >= ACKNOWLEDGED_BEFORE_KILL || ledger.refused.length > 0 || first.server.done(), 120_000, 1);
    assert.equal(first.server.done(), false, `the server stopped on its own: ${first.server.output().stderr.slice(-2000)}`);
    assert.deepEqual(ledger.refused, [], 'every write is accepted while the server runs');
    assert.ok(busy, `only ${acknowledged(ledger)} writes were acknowledged in two minutes`);
    const inFlightAtKill = ledger.inFlight;
    const exit = await first.server.killHard();
    killed = true;
    await Promise.all(writers);
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(inFlightAtKill > 0, 'requests were in flight when the server died');

    const second = await startServer(location);
    running.push(second.server);
    // The restarted server answers for what the first one acknowledged.
    for (const id of [...ledger.ackedPersons].slice(-10)) {
      const response = await fetch(`${second.base}/api/v1/persons/${id}`, { headers: { authorization } });
      assert.equal(response.status, 200, id);
      assert.equal(((await response.json()) as { names: unknown[] }).names.length, 2);
    }
    const verify = await runCli(['audit', 'verify'], location);
    assert.equal(verify.code, 0, verify.stderr);
    const reopened = await reopen(location);
    try {
      await checkStore(reopened, ledger);
    } finally {
      await reopened.close();
    }
  } finally {
    for (const server of running) await server.killHard();
  }
}

describeAllStores('vigil serve killed with SIGKILL under API writes', (backend) => {
  it('keeps every acknowledged write, half-writes none, and the audit trail verifies', { timeout: 180_000 }, () => crashServer(backend));
});
