/**
 * What a store holds, in a form tests compare before and after something that must change nothing
 * (a rejected import, a refused request, a killed process), and a check that the derived status
 * intervals still agree with the events they come from.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { personTimeline } from '../domain/custody.js';
import type { EventType } from '../domain/event-types.js';
import { openStore, type Store } from '../store/connection.js';
import type { DB } from '../store/schema.js';
import { describeBothBackends, type TestBackend } from './stores.js';

/** Every table a write can touch, sessions and sign-in throttling aside. */
export const WRITTEN_TABLES = [
  'person', 'person_name', 'facility', 'legal_case', 'event', 'source', 'event_source', 'source_link', 'release_deal',
  'deal_person', 'sanction_measure', 'deal_concession', 'after_release', 'change_log', 'import_batch', 'status_interval', 'status_count_change', 'duplicate_decision',
  'audit_log', 'app_user', 'api_token',
  'assistance_case', 'assistance_aid', 'follow_up', 'letter', 'official', 'official_link', 'violation', 'violation_official', 'health_flag',
] as const satisfies readonly (keyof DB)[];

export type TableCounts = Record<(typeof WRITTEN_TABLES)[number], number>;

export async function tableCounts(store: Store): Promise<TableCounts> {
  const counts = {} as TableCounts;
  for (const table of WRITTEN_TABLES) {
    const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** The newest change-log id and audit entry: a write that slipped through moves one of them. */
export async function writeMarks(store: Store): Promise<{ change_log: number; audit: number }> {
  const change = await store.db.selectFrom('change_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  const audit = await store.db.selectFrom('audit_head').select('seq').executeTakeFirst();
  return { change_log: Number(change?.id ?? 0), audit: Number(audit?.seq ?? 0) };
}

type Interval = { kind: string; start: string; end: string | null };
const key = (i: Interval) => `${i.kind} ${i.start} ${i.end ?? '-'}`;

/**
 * People whose stored status intervals differ from those the custody rules give for their events
 * (records merged into another count for that one), and days whose stored count change differs from
 * what the stored intervals give. Empty when the derived data is consistent.
 */
export async function statusMismatches(store: Store): Promise<string[]> {
  const people = await store.db.selectFrom('person').select(['id', 'merged_into']).execute();
  const events = await store.db.selectFrom('event').select(['person_id', 'type', 'date', 'id']).execute();
  const stored = await store.db.selectFrom('status_interval').select(['person_id', 'kind', 'start_day', 'end_day']).execute();
  const owner = new Map(people.map((p) => [p.id, p.merged_into ?? p.id]));
  const byOwner = new Map<number, { type: EventType; date: string; seq: number }[]>();
  for (const event of events) {
    const id = owner.get(event.person_id)!;
    byOwner.set(id, [...(byOwner.get(id) ?? []), { type: event.type as EventType, date: event.date, seq: event.id }]);
  }
  const storedBy = new Map<number, string[]>();
  for (const row of stored) storedBy.set(row.person_id, [...(storedBy.get(row.person_id) ?? []), key({ kind: row.kind, start: row.start_day, end: row.end_day })]);
  const problems: string[] = [];
  for (const person of people) {
    const expected = person.merged_into !== null ? [] : personTimeline(byOwner.get(person.id) ?? []).intervals.map(key).sort();
    const actual = (storedBy.get(person.id) ?? []).sort();
    if (JSON.stringify(expected) !== JSON.stringify(actual)) problems.push(`person ${person.id}: stored [${actual.join('; ')}], events give [${expected.join('; ')}]`);
  }
  return [...problems, ...(await countChangeMismatches(store, stored))];
}

/** Days whose stored count change (status_count_change) is not the one the stored intervals give. */
async function countChangeMismatches(store: Store, intervals: readonly { kind: string; start_day: string; end_day: string | null }[]): Promise<string[]> {
  const expected = new Map<string, number>();
  const bump = (kind: string, day: string, change: number) => expected.set(`${kind} ${day}`, (expected.get(`${kind} ${day}`) ?? 0) + change);
  for (const row of intervals) {
    bump(row.kind, row.start_day, 1);
    if (row.end_day !== null) bump(row.kind, row.end_day, -1);
  }
  const stored = new Map<string, number>();
  for (const row of await store.db.selectFrom('status_count_change').select(['kind', 'day', 'change']).execute()) stored.set(`${row.kind} ${row.day}`, Number(row.change));
  const problems: string[] = [];
  for (const key of new Set([...expected.keys(), ...stored.keys()])) {
    if ((expected.get(key) ?? 0) !== (stored.get(key) ?? 0)) problems.push(`count change ${key}: stored ${stored.get(key) ?? 0}, intervals give ${expected.get(key) ?? 0}`);
  }
  return problems;
}

const KEY = 'correct battery horse staple 9';

/**
 * SQLite encrypted with VIGIL_DATABASE_KEY (WAL as always): a TestBackend whose child processes get
 * the key through the environment, as an operator would give it.
 */
export function encryptedSqliteBackend(): TestBackend & { readonly key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-encrypted-'));
  const stores: Store[] = [];
  let count = 0;
  const backend = {
    dialect: 'sqlite' as const,
    key: KEY,
    lastLocation: { database: '', env: {} as Record<string, string> },
    async fresh() {
      const path = join(dir, `store-${++count}.sqlite`);
      const store = await openStore(path, { key: KEY });
      stores.push(store);
      Object.assign(backend.lastLocation, { database: path, env: { VIGIL_DATABASE_KEY: KEY } });
      return store;
    },
  };
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  return backend;
}

/** Opens the store a TestBackend's child processes use (with the key, when it has one). */
export function reopen(location: { database: string; env: Record<string, string> }): Promise<Store> {
  return openStore(location.database, { key: location.env.VIGIL_DATABASE_KEY });
}

/** A SQLite file that is readable without the key would start with this header. */
export function isPlainSqlite(path: string): boolean {
  return readFileSync(path).subarray(0, 16).toString('latin1') === 'SQLite format 3\0';
}

/** describeBothBackends, plus an encrypted SQLite store. */
export function describeAllStores(name: string, body: (backend: TestBackend) => void): void {
  describeBothBackends(name, body);
  describe(`${name} [sqlite, encrypted]`, () => body(encryptedSqliteBackend()));
}
