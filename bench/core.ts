// Registry core benchmark: import, stats for one date, monthly series, the public name-search index (built,
// then updated after one edit), on SQLite and PostgreSQL.
//   node --import tsx bench/core.ts [--people 100000] [--events 1000000] [--backend sqlite|postgres|both] [--reuse]
// --reuse skips the import when an earlier run left its store (bench.sqlite beside the CSV files, or the
// PostgreSQL schema vigil_bench) and measures the queries only.
// Generates the fictional dataset with bench/generate.ts first if it is not there yet.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../src/store/connection.js';
import { importFacilities } from '../src/features/import/facilities.import.js';
import { importPersons } from '../src/features/import/persons.import.js';
import { importEvents } from '../src/features/import/events.import.js';
import { monthlySeries, statsOn } from '../src/features/stats/stats.service.js';
import { today } from '../src/domain/partial-date.js';
import { runSearch, searchIndex } from '../src/features/search/search.service.js';
import { createEvent } from '../src/features/events/event.service.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '100000' },
    events: { type: 'string' },
    backend: { type: 'string', default: 'both' },
    reuse: { type: 'boolean', default: false },
    postgres: { type: 'string', default: process.env.VIGIL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const people = Number(values.people);
const events = Number(values.events ?? people * 10);
const dir = process.env.VIGIL_BENCH_DATA ?? join('bench', 'out', `${people}-${events}`);

function ensureData(): void {
  if (existsSync(join(dir, 'events.csv'))) return;
  console.log(`generating ${people} people / ${events} events into ${dir} ...`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/generate.ts', '--people', String(people), '--events', String(events), '--out', dir], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(1);
}

/** Samples memory while `work` runs: the peak RSS and heap, and the heap after. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number; peakHeapMb: number; startHeapMb: number }> {
  global.gc?.();
  const startHeap = process.memoryUsage().heapUsed;
  let peakRss = 0;
  let peakHeap = 0;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 50);
  const start = performance.now();
  const result = await work();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  const mb = (bytes: number) => Math.round(bytes / 1e6);
  return { result, seconds, peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap), startHeapMb: mb(startHeap) };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeRepeated(times: number, work: () => Promise<unknown>): Promise<string> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return `p50 ${percentile(samples, 50).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms (${times} runs)`;
}

async function openFresh(backend: string): Promise<Store> {
  if (backend === 'sqlite') {
    const path = join(dir, 'bench.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    return openStore(path);
  }
  const client = new pg.Client({ connectionString: values.postgres });
  await client.connect();
  await client.query('DROP SCHEMA IF EXISTS vigil_bench CASCADE');
  await client.end();
  return openStore(values.postgres!, { schema: 'vigil_bench' });
}

/** The public name-search index: built once, then brought up to date after an edit (only the people concerned). */
async function searchAfterEdit(store: Store): Promise<void> {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const built = await measured(() => searchIndex(store, true));
  global.gc?.();
  // The build hardly yields (SQLite answers synchronously), so memory is read after it rather than sampled.
  const { rss, heapUsed } = process.memoryUsage();
  console.log(`public search index built: ${built.seconds.toFixed(1)} s (${built.result.people.size} people); after it RSS ${Math.round(rss / 1e6)} MB, heap +${Math.round((heapUsed - heapBefore) / 1e6)} MB`);
  await searchQueries(store, built.result);
  const person = await store.db.selectFrom('person').select('id').where('publish', '=', 1).orderBy('id').limit(1).executeTakeFirstOrThrow();
  await createEvent(store, person.id, { type: 'charged', date: '2024-06-01', articles: ['342'], confidentiality: 'public' }, { actor: 'bench', reason: 'bench edit' });
  const updated = await measured(() => searchIndex(store, true));
  console.log(`public search index after one edit: ${(updated.seconds * 1000).toFixed(0)} ms`);
}

/**
 * Public name searches for 300 random published people, by their Latin name and by their Russian
 * "given family": latency, and how often the person is among the first 10 hits (the generated names
 * repeat, so a name usually has namesakes who score the same).
 */
async function searchQueries(store: Store, index: Awaited<ReturnType<typeof searchIndex>>): Promise<void> {
  const people = await store.db.selectFrom('person').select('id').where('publish', '=', 1).where('merged_into', 'is', null).orderBy(sql`random()`).limit(300).execute();
  const names = await store.db
    .selectFrom('person_name')
    .select(['person_id', 'full_name', 'family', 'given', 'lang'])
    .where('person_id', 'in', people.map((person) => person.id))
    .execute();
  const queries = names.flatMap((name) =>
    name.full_name ? [{ id: name.person_id, text: name.full_name }] : name.lang === 'ru' ? [{ id: name.person_id, text: `${name.given ?? ''} ${name.family ?? ''}`.trim() }] : [],
  );
  const samples: number[] = [];
  let found = 0;
  for (const query of queries) {
    const start = performance.now();
    const hits = runSearch(index, query.text, 10);
    samples.push(performance.now() - start);
    if (hits.some((hit) => hit.id === query.id)) found += 1;
  }
  console.log(`public name search, ${queries.length} queries (Latin and Russian names of 300 random published people): p50 ${percentile(samples, 50).toFixed(2)} ms, p95 ${percentile(samples, 95).toFixed(2)} ms, max ${Math.max(...samples).toFixed(1)} ms; the person among the first 10 hits: ${found} of ${queries.length}`);
}

async function importAll(store: Store): Promise<void> {
  const actor = 'bench';
  await importFacilities(store, join(dir, 'facilities.csv'), { actor });
  const persons = await measured(() => importPersons(store, join(dir, 'persons.csv'), { actor }));
  console.log(`import persons: ${persons.seconds.toFixed(1)} s (${persons.result.created} created), peak RSS ${persons.peakRssMb} MB, peak heap ${persons.peakHeapMb} MB`);
  const imported = await measured(() => importEvents(store, join(dir, 'events.csv'), { actor }));
  console.log(`import events:  ${imported.seconds.toFixed(1)} s (${imported.result.created} created), peak RSS ${imported.peakRssMb} MB, peak heap ${imported.peakHeapMb} MB (heap before ${imported.startHeapMb} MB)`);
  console.log(`import total:   ${(persons.seconds + imported.seconds).toFixed(1)} s`);
  const again = await measured(() => importEvents(store, join(dir, 'events.csv'), { actor }));
  console.log(`re-import events (no change): ${again.seconds.toFixed(1)} s, ${again.result.unchanged} unchanged`);
}

async function queries(store: Store): Promise<void> {
  const day = '2024-06-30';
  console.log(`stats for one date: ${await timeRepeated(20, () => statsOn(store, day))}`);
  console.log(`  ${JSON.stringify(await statsOn(store, day))}`);
  console.log(`monthly series 2020-01 → ${today()}: ${await timeRepeated(5, () => monthlySeries(store, '2020-01-01', today()))}`);
  await searchAfterEdit(store);
}

/** With --reuse, the store an earlier run imported (at this size), if there is one. */
async function openImported(backend: string): Promise<Store | null> {
  if (backend === 'sqlite') return existsSync(join(dir, 'bench.sqlite')) ? openStore(join(dir, 'bench.sqlite')) : null;
  const store = await openStore(values.postgres!, { schema: 'vigil_bench' });
  const people = await store.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (people.n > 0) return store;
  await store.close();
  return null;
}

async function run(backend: string): Promise<void> {
  console.log(`\n== ${backend}: ${people} people, ${events} events`);
  const reused = values.reuse ? await openImported(backend) : null;
  const store = reused ?? (await openFresh(backend));
  if (reused) console.log('reusing the store imported by an earlier run (--reuse): queries only');
  else await importAll(store);
  await queries(store);
  await store.close();
}

ensureData();
for (const backend of values.backend === 'both' ? ['sqlite', 'postgres'] : [values.backend!]) await run(backend);
