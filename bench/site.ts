// Public site benchmark: the built `vigil serve` on a store with 100k people / 1M events, loaded with
// autocannon (gzip accepted, as browsers do): requests per second, latency, the first (cold) request of
// each page, and the first request after a data change (the public registry and the page rebuilt).
//   node --import tsx bench/site.ts [--people 100000] [--events 1000000] [--duration 10] [--connections 20] [--backend sqlite|postgres] [--store FILE|SCHEMA] [--import-only]
// The CSV data set comes from bench/generate.ts (VIGIL_BENCH_DATA, else bench/out/<people>-<events>); the
// imported store is kept and reused on the next run: a SQLite file under .scratch/bench-site/, or the
// PostgreSQL schema vigil_site_<people>_<events> (on --postgres, default the test server). --store serves
// a store another run imported instead (bench/core.ts leaves one: bench.sqlite beside the CSV files, or
// the schema vigil_bench), and imports nothing. --import-only imports the store and stops (to load it
// later on a quiet machine).
// Besides the cached pages it loads pages that mostly miss the page cache: person pages of random
// published people and list searches for random names.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore } from '../src/store/connection.js';
import { importFacilities } from '../src/features/import/facilities.import.js';
import { importPersons } from '../src/features/import/persons.import.js';
import { importEvents } from '../src/features/import/events.import.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '100000' },
    events: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'sqlite' },
    postgres: { type: 'string', default: process.env.VIGIL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test' },
    store: { type: 'string' },
    'import-only': { type: 'boolean', default: false },
  },
});
if (values.backend !== 'sqlite' && values.backend !== 'postgres') throw new Error(`--backend must be sqlite or postgres, not "${values.backend}"`);
const people = Number(values.people);
const events = Number(values.events ?? people * 10);
const duration = Number(values.duration);
const connections = Number(values.connections);
const dataDir = process.env.VIGIL_BENCH_DATA ?? join('bench', 'out', `${people}-${events}`);
const storeDir = join('.scratch', 'bench-site');
const storePath = values.store && values.backend === 'sqlite' ? values.store : join(storeDir, `site-${people}-${events}.sqlite`);
const pgSchema = values.store && values.backend === 'postgres' ? values.store : `vigil_site_${people}_${events}`;

/** The --database value for a PostgreSQL schema. */
function inSchema(schema: string): string {
  const url = new URL(values.postgres!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Where the benchmark's store is: the SQLite file or the PostgreSQL schema. */
const location = values.backend === 'postgres' ? inSchema(pgSchema) : storePath;
const TARGET_RPS = 1000;

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

function ensureData(): void {
  if (existsSync(join(dataDir, 'events.csv'))) return;
  console.log(`generating ${people} people / ${events} events into ${dataDir} ...`);
  run(process.execPath, ['--import', 'tsx', 'bench/generate.ts', '--people', String(people), '--events', String(events), '--out', dataDir]);
}

async function schemaExists(client: pg.Client, schema: string): Promise<boolean> {
  return (await client.query('select 1 from information_schema.schemata where schema_name = $1', [schema])).rowCount === 1;
}

async function storeExists(): Promise<boolean> {
  if (values.backend === 'sqlite') return existsSync(storePath);
  const client = new pg.Client({ connectionString: values.postgres });
  await client.connect();
  try {
    return await schemaExists(client, pgSchema);
  } finally {
    await client.end();
  }
}

/**
 * Imports into a temporary file (or schema) and renames it when done, so a broken run is never reused.
 * Returns where to import and how to finish: the rename.
 */
async function partialStore(): Promise<{ at: string; finish(): Promise<void> }> {
  mkdirSync(storeDir, { recursive: true });
  if (values.backend === 'sqlite') {
    const partial = `${storePath}.partial`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
    return { at: partial, finish: async () => renameSync(partial, storePath) };
  }
  const client = new pg.Client({ connectionString: values.postgres });
  await client.connect();
  try {
    const partial = `${pgSchema}_partial`;
    await client.query(`DROP SCHEMA IF EXISTS ${partial} CASCADE`);
    await client.query(`CREATE SCHEMA ${partial}`);
  } finally {
    await client.end();
  }
  return {
    at: inSchema(`${pgSchema}_partial`),
    async finish() {
      const renamer = new pg.Client({ connectionString: values.postgres });
      await renamer.connect();
      await renamer.query(`ALTER SCHEMA ${pgSchema}_partial RENAME TO ${pgSchema}`);
      await renamer.end();
    },
  };
}

async function ensureStore(): Promise<void> {
  if (await storeExists()) return console.log(`reusing ${values.backend === 'postgres' ? `schema ${pgSchema}` : storePath}`);
  if (values.store) throw new Error(`--store ${values.store}: there is no such ${values.backend === 'postgres' ? 'schema' : 'file'} to serve`);
  const partial = await partialStore();
  const store = await openStore(partial.at);
  const started = performance.now();
  await importFacilities(store, join(dataDir, 'facilities.csv'), { actor: 'bench' });
  const persons = await importPersons(store, join(dataDir, 'persons.csv'), { actor: 'bench' });
  const imported = await importEvents(store, join(dataDir, 'events.csv'), { actor: 'bench' });
  const published = await store.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).where('publish', '=', 1).executeTakeFirstOrThrow();
  await store.close();
  await partial.finish();
  console.log(`imported ${persons.created} people (${published.n} published) and ${imported.created} events in ${((performance.now() - started) / 1000).toFixed(1)} s → ${values.backend === 'postgres' ? `schema ${pgSchema}` : storePath}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  // Request logs go to /dev/null: the server still writes them, as in production, without the bench reading them.
  const child = spawn(process.execPath, ['bin/vigil.js', 'serve', '--port', String(port), '--database', location], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vigil serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGTERM');
  throw new Error('vigil serve did not answer /healthz within 60 s');
}

/**
 * One page, timed to the last byte of the body. While the public registry is still being built the
 * server answers 503 "starting" (after a 10-s wait): asked again every second until the page comes.
 */
async function timed(base: string, path: string): Promise<{ ms: number; body: string; wire: string; starting: number }> {
  const started = performance.now();
  for (let starting = 0; ; starting++) {
    const response = await fetch(base + path, { headers: { 'accept-encoding': 'gzip' } });
    const body = await response.text();
    if (response.status === 503 && response.headers.has('retry-after')) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    const wire = `${response.headers.get('content-encoding') ?? 'uncompressed'}, ${response.headers.get('content-length') ?? '?'} bytes`;
    return { ms: performance.now() - started, body, wire, starting };
  }
}

/** The first region the list's filter offers (an option value of the region select). */
function firstRegion(listHtml: string): string {
  const select = listHtml.match(/<select id="f-region" name="region">([\s\S]*?)<\/select>/)?.[1] ?? '';
  const region = [...select.matchAll(/<option value="([^"]+)"/g)][0]?.[1];
  if (!region) throw new Error('the list page offers no region to filter by');
  return region.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
}

interface Load {
  path: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Loads one page, or with `next` a different path for every request (named `path` in the results). */
async function load(base: string, path: string, seconds: number, next?: () => string): Promise<Load> {
  const headers = { 'accept-encoding': 'gzip' };
  const requests = next ? [{ method: 'GET' as const, headers, setupRequest: (request: autocannon.Request) => ({ ...request, path: next() }) }] : undefined;
  const result = await autocannon({ url: base + (next ? '' : path), connections, duration: seconds, headers, ...(requests ? { requests } : {}) });
  return { path, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

/** Published people to ask for and names to search, picked at random from the store. */
async function sampleOfStore(): Promise<{ ids: string[]; names: string[] }> {
  const store = await openStore(location);
  try {
    const people = await store.db
      .selectFrom('person')
      .select(['id', 'external_id'])
      .where('publish', '=', 1)
      .where('merged_into', 'is', null)
      .orderBy(sql`random()`)
      .limit(2000)
      .execute();
    const names = await store.db
      .selectFrom('person_name')
      .select(['full_name', 'family', 'given', 'script'])
      .where('person_id', 'in', people.slice(0, 500).map((person) => person.id))
      .execute();
    // Latin names as written, Cyrillic ones as "given family".
    const queries = names.map((name) => name.full_name ?? [name.given, name.family].filter(Boolean).join(' ')).filter((query) => query !== '');
    return { ids: people.map((person) => person.external_id), names: queries };
  } finally {
    await store.close();
  }
}

/** A real edit while the server runs: one new public event for a published person, through the CLI importer. */
function changeData(): void {
  mkdirSync(storeDir, { recursive: true });
  const file = join(storeDir, 'change.csv');
  writeFileSync(file, `person_external_id,type,date,articles,note\nb0000001,charged,2025-01-15,342,bench change ${new Date().toISOString()}\n`);
  const result = spawnSync(process.execPath, ['bin/vigil.js', 'import', 'events', file, '--database', location], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the data change failed: ${result.stderr.trim()}`);
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), node ${process.version}; backend ${values.backend}`);
  ensureData();
  await ensureStore();
  if (values['import-only']) return;
  console.log('building (npm run build) ...');
  run('npm', ['run', '--silent', 'build']);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(port);
  const answering = performance.now();
  try {
    console.log('\nfirst request (cold; the first one builds the public registry):');
    const show = async (path: string) => {
      const result = await timed(base, path);
      console.log(`  ${path}: ${ms(result.ms)} (${result.wire})${result.starting ? `; ${result.starting} answers "starting" (503) before it` : ''}`);
      return result;
    };
    await show('/?lang=be');
    const list = await show('/prisoners?lang=be');
    const paths = ['/?lang=be', '/prisoners?lang=be', '/prisoners?lang=en&page=3', `/prisoners?${new URLSearchParams({ lang: 'ru', status: 'held', region: firstRegion(list.body) })}`];
    for (const path of paths.slice(2)) await show(path);
    // The name index comes last in the start's warm-up (503 until then): load the pages once it is done.
    await timed(base, '/api/v1/public/persons?limit=1');
    console.log(`  start done (public name index ready): ${((performance.now() - answering) / 1000).toFixed(1)} s after the server first answered /healthz`);

    console.log(`\nwarm-up 2 s per page, then ${duration} s each, ${connections} connections, Accept-Encoding: gzip (load average before: ${loadavg()[0]!.toFixed(1)})`);
    const results: Load[] = [];
    for (const path of paths) {
      await load(base, path, 2);
      results.push(await load(base, path, duration));
    }
    console.log('\n| page | req/s (avg) | p50 | p99 | errors | non-2xx |\n|---|---|---|---|---|---|');
    for (const r of results) console.log(`| ${r.path} | ${r.rps.toFixed(0)} | ${r.p50} ms | ${r.p99} ms | ${r.errors} | ${r.non2xx} |`);
    for (const r of results.slice(0, 2)) if (r.rps < TARGET_RPS) console.log(`below target: ${r.path} ${r.rps.toFixed(0)} req/s < ${TARGET_RPS}`);

    // Pages the cache rarely holds: every request asks for another person or another name.
    const { ids, names } = await sampleOfStore();
    const pick = (list: string[]) => list[Math.floor(Math.random() * list.length)]!;
    const languages = ['be', 'ru', 'en'];
    const varied = [
      { label: `/prisoners/<one of ${ids.length} random published people>?lang=<be|ru|en>`, next: () => `/prisoners/${encodeURIComponent(pick(ids))}?lang=${pick(languages)}` },
      { label: `/prisoners?lang=en&q=<one of ${names.length} names of random published people>`, next: () => `/prisoners?lang=en&q=${encodeURIComponent(pick(names))}` },
    ];
    console.log(`\npages that mostly miss the cache, ${duration} s each after 2 s of warm-up, ${connections} connections (load average before: ${loadavg()[0]!.toFixed(1)})`);
    const uncached: Load[] = [];
    for (const { label, next } of varied) {
      await load(base, label, 2, next);
      uncached.push(await load(base, label, duration, next));
    }
    console.log('\n| pages | req/s (avg) | p50 | p99 | errors | non-2xx |\n|---|---|---|---|---|---|');
    for (const r of uncached) console.log(`| ${r.path} | ${r.rps.toFixed(0)} | ${r.p50} ms | ${r.p99} ms | ${r.errors} | ${r.non2xx} |`);

    changeData();
    console.log('\nfirst request after a data change (the first rebuilds the public registry, each re-renders its page):');
    for (const path of paths) await show(path);
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
