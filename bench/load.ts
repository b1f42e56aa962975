// Mixed-traffic load test: the built `vigil serve` on the fictional demo, loaded over loopback with
// autocannon — public pages, the public API, private reads and writes with an API token (1 request in 10
// writes). Bounded: a fixed number of connections for a fixed time, 127.0.0.1 only.
//   npm run build && node --import tsx bench/load.ts [--backend sqlite|postgres|both] [--connections 200] [--duration 60] [--rate N]
// Closed loop by default: every connection sends its next request as soon as the answer comes, which
// saturates the server. --rate N caps the total at N requests per second (open loop), to see latency at a
// load the server can carry. --read-only leaves the writes out, to show what they cost; --profile writes a
// V8 CPU profile of the server to .scratch/bench-load/profiles/ when it stops.
// Prints requests, req/s, latency percentiles (overall and per kind), errors, non-2xx by status, the
// server's RSS and CPU every 5 s, its live heap after full garbage collections, and whether the audit
// chain still verifies afterwards. Stores and server logs are kept under .scratch/bench-load/
// (PostgreSQL: schema vigil_load, dropped and recreated each run).
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { currentTotp } from '../src/features/auth/totp.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite' },
    connections: { type: 'string', default: '200' },
    duration: { type: 'string', default: '60' },
    profile: { type: 'boolean', default: false },
    'read-only': { type: 'boolean', default: false },
    rate: { type: 'string' },
    postgres: { type: 'string', default: process.env.VIGIL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const connections = Number(values.connections);
const duration = Number(values.duration);
/** Requests per second over all connections (open loop); unset, each connection sends as fast as answers come (closed loop). */
const rate = values.rate === undefined ? undefined : Number(values.rate);
const workDir = join('.scratch', 'bench-load');
const EDITOR = 'load-editor@example.org';
const PASSWORD = 'load test password, long enough';
const PG_SCHEMA = 'vigil_load';

type Kind = 'page /' | 'page /prisoners' | 'page /prisoners/<id>' | 'api stats' | 'api public search' | 'api private read' | 'write event' | 'write person';

interface Sample {
  published: string[];
  queries: string[];
  internalIds: string[];
}

interface ServerSample {
  second: number;
  rssMb: number;
  cpuSeconds: number;
  /** Connections the kernel has completed but the server has not accepted yet. */
  unaccepted: number;
}

interface Tally {
  latencies: Map<Kind, number[]>;
  statuses: Map<string, number>;
  /** Answers in each second of the run: a stall shows as a second with few. */
  perSecond: number[];
  /** Requests that failed (no answer in time, connection lost), by second of the run and reason. */
  failures: Map<string, number>;
  /** The server process every 5 s: resident memory and CPU time used so far. */
  samples: ServerSample[];
}

// ---------------------------------------------------------------- processes

function cli(database: string, args: string[]): string {
  const result = spawnSync(process.execPath, ['bin/vigil.js', '--database', database, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vigil ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
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

/**
 * The server's request log goes to a file, as in production, so its cost is paid and errors can be read
 * after. --trace-gc adds a line per garbage collection there: the heap left after each full collection
 * is the live heap, which says whether memory stays flat better than RSS (V8 grows its heap lazily).
 */
async function startServer(database: string, port: number, logPath: string): Promise<ChildProcess> {
  const log = openSync(logPath, 'w');
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(workDir, 'profiles')}`] : [];
  const child = spawn(process.execPath, [...profile, '--trace-gc', 'bin/vigil.js', 'serve', '--port', String(port), '--database', database], { stdio: ['ignore', log, log] });
  serverStartedAt = performance.now();
  closeSync(log);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vigil serve exited with ${child.exitCode}; see ${logPath}`);
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

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** When the server process was started (trace-gc times count from there). */
let serverStartedAt = 0;

// Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ).
const TICKS_PER_SECOND = 100;

function serverSample(server: { pid: number; port: number }, second: number): ServerSample {
  const rss = readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { second, rssMb: rss ? Math.round(Number(rss[1]) / 1024) : NaN, cpuSeconds: ticks / TICKS_PER_SECOND, unaccepted: acceptQueue(server.port) };
}

/** For a listening socket, /proc/net/tcp's rx_queue is its accept queue: connections not accepted yet. */
function acceptQueue(port: number): number {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, address, , state, queues] = line.trim().split(/\s+/);
    if (address?.endsWith(local) && state === '0A') return parseInt(queues!.split(':')[1]!, 16);
  }
  return NaN;
}

// ---------------------------------------------------------------- the store and the editor

/** A fresh store for the run: a new SQLite file, or an emptied PostgreSQL schema. Returns its --database value. */
async function freshStore(backend: string): Promise<string> {
  if (backend === 'sqlite') {
    const path = join(workDir, 'load.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    return path;
  }
  const client = new pg.Client({ connectionString: values.postgres });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
  await client.query(`CREATE SCHEMA ${PG_SCHEMA}`);
  await client.end();
  const url = new URL(values.postgres!);
  url.searchParams.set('options', `-c search_path=${PG_SCHEMA}`);
  return url.toString();
}

async function post(base: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * The operator adds the editor and creates the token with the CLI; the editor sets up the account
 * (password and authenticator) through the API in between, as a person would: tokens are for active accounts.
 */
async function editorToken(database: string, base: string): Promise<string> {
  const setup = JSON.parse(cli(database, ['user', 'add', EDITOR, '--role', 'editor', '--json'])) as { code: string };
  const started = await post(base, '/api/v1/auth/setup/start', { code: setup.code });
  await post(base, '/api/v1/auth/setup/finish', { code: setup.code, password: PASSWORD, totp: currentTotp(String(started.totp_secret)) });
  const created = JSON.parse(cli(database, ['token', 'create', '--user', EDITOR, '--name', 'load test', '--json'])) as { token: string };
  return created.token;
}

async function getJson(base: string, path: string, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Real ids and names from the demo, so every request asks for something that exists. */
async function sample(base: string, token: string): Promise<Sample> {
  const published = ((await getJson(base, '/api/v1/public/persons?limit=100')).persons as { external_id: string; name: string }[]);
  const internal = ((await getJson(base, '/api/v1/persons?published=no&limit=200', token)).items as { external_id: string }[]);
  const queries = published.flatMap((p) => [p.name, p.name.split(' ')[0]!]).filter((q) => q.trim() !== '');
  return { published: published.map((p) => p.external_id), queries, internalIds: internal.map((p) => p.external_id) };
}

// ---------------------------------------------------------------- the traffic

let sequence = 0;
const pick = <T>(items: T[]): T => items[sequence++ % items.length]!;

function personBody(): string {
  const n = sequence++;
  const publish = n % 2 === 0;
  return JSON.stringify({
    external_id: `load-${process.pid}-${n}`,
    names: [{ family: `Нагрузкін${n % 97}`, given: 'Тэст', lang: 'be', confidentiality: publish ? 'public' : 'internal' }],
    publish,
    confidentiality: publish ? 'public' : 'internal',
    change_reason: 'load test',
  });
}

function eventBody(sample: Sample): string {
  const n = sequence++;
  return JSON.stringify({
    person: n % 2 === 0 ? pick(sample.published) : pick(sample.internalIds),
    type: 'charged',
    date: `2024-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`,
    articles: [pick(['342', '361-1', '130', '369'])],
    confidentiality: n % 3 === 0 ? 'public' : 'internal',
    change_reason: 'load test',
  });
}

type Request = autocannon.Request & { kind: Kind };

/** 20 requests a cycle, 2 of them writes (10 %); each connection walks the cycle, bodies and ids vary. */
function mix(sample: Sample, token: string): Request[] {
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const get = (kind: Kind, path: () => string, headers: Record<string, string> = {}): Request => ({
    kind, method: 'GET', headers: { 'accept-encoding': 'gzip', ...headers }, setupRequest: (request) => ({ ...request, path: path() }),
  });
  const write = (kind: Kind, path: string, body: () => string): Request => ({
    kind, method: 'POST', path, headers: json, setupRequest: (request) => ({ ...request, body: body() }),
  });
  const home = get('page /', () => '/?lang=be');
  const list = get('page /prisoners', () => '/prisoners?lang=en');
  const person = get('page /prisoners/<id>', () => `/prisoners/${encodeURIComponent(pick(sample.published))}?lang=ru`);
  const stats = get('api stats', () => '/api/v1/stats');
  const search = get('api public search', () => `/api/v1/public/persons?q=${encodeURIComponent(pick(sample.queries))}`);
  const privateRead = get('api private read', () => (sequence++ % 2 === 0 ? `/api/v1/persons?q=${encodeURIComponent(pick(sample.queries))}` : `/api/v1/persons?limit=50&after=${sequence % 1400}`), auth);
  const cycle = [
    home, list, person, stats, privateRead, search, write('write event', '/api/v1/events', () => eventBody(sample)), person, home, privateRead,
    list, person, stats, privateRead, search, write('write person', '/api/v1/persons', personBody), home, home, list, privateRead,
  ];
  return values['read-only'] ? cycle.filter((request) => request.method === 'GET') : cycle;
}

/**
 * Tallies answers by kind. autocannon calls a request's onResponse just before it emits 'response' for
 * the same answer (both synchronously), so the latest kind seen belongs to the latency that follows.
 */
function recorder(server: Served) {
  const tally: Tally = { latencies: new Map(), statuses: new Map(), perSecond: [], failures: new Map(), samples: [serverSample(server, 0)] };
  let last: Kind | null = null;
  const started = performance.now();
  return {
    tally,
    onResponse: (kind: Kind) => (status: number) => {
      last = kind;
      if (status < 200 || status >= 300) tally.statuses.set(`${status} ${kind}`, (tally.statuses.get(`${status} ${kind}`) ?? 0) + 1);
    },
    failure(error: unknown) {
      const key = `second ${Math.floor((performance.now() - started) / 1000) + 1}: ${(error as Error)?.message ?? String(error)}`;
      tally.failures.set(key, (tally.failures.get(key) ?? 0) + 1);
    },
    latency(ms: number) {
      const second = Math.floor((performance.now() - started) / 1000);
      tally.perSecond[second] = (tally.perSecond[second] ?? 0) + 1;
      if (!last) return;
      const list = tally.latencies.get(last) ?? [];
      list.push(ms);
      tally.latencies.set(last, list);
    },
  };
}

interface Load {
  result: autocannon.Result;
  tally: Tally;
  /** CPU time autocannon (this process) used: on a small machine the load generator competes with the server. */
  loaderCpuSeconds: number;
}

/** The server under test: its process and port. */
interface Served {
  pid: number;
  port: number;
}

async function load(requests: Request[], server: Served): Promise<Load> {
  const base = `http://127.0.0.1:${server.port}`;
  const record = recorder(server);
  const tracked = requests.map(({ kind, ...request }) => ({ ...request, onResponse: record.onResponse(kind) }));
  const started = Date.now();
  const samples = record.tally.samples;
  const sample = () => samples.push(serverSample(server, Math.round((Date.now() - started) / 1000)));
  const ownCpu = process.cpuUsage();
  const sampler = setInterval(sample, 5000);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const cannon = autocannon({ url: base, connections, duration, requests: tracked, ...(rate ? { overallRate: rate } : {}) }, (error: unknown, done) => (error ? reject(error) : resolve(done)));
    cannon.on('response', (_client, _status, _bytes, ms) => record.latency(ms));
    cannon.on('reqError', (error: unknown) => record.failure(error));
  });
  clearInterval(sampler);
  sample();
  const own = process.cpuUsage(ownCpu);
  return { result, tally: record.tally, loaderCpuSeconds: (own.user + own.system) / 1e6 };
}

async function warm(base: string, request: Request): Promise<void> {
  const setup = request.setupRequest as (request: autocannon.Request, context: object) => autocannon.Request;
  const response = await fetch(base + setup(request, {}).path!, { headers: request.headers as Record<string, string> });
  await response.arrayBuffer();
}

// ---------------------------------------------------------------- the report

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report({ result, tally, loaderCpuSeconds }: Load): void {
  const total = result.requests.total;
  console.log(`requests: ${total} in ${result.duration.toFixed(1)} s = ${(total / result.duration).toFixed(0)} req/s (per-second avg ${result.requests.average.toFixed(0)}, min ${result.requests.min})`);
  console.log(`latency: p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
  console.log(`errors: ${result.errors} (timeouts ${result.timeouts}), 2xx: ${result['2xx']}, non-2xx: ${result.non2xx}`);
  const statuses = [...tally.statuses].sort((a, b) => b[1] - a[1]);
  if (tally.failures.size > 0) console.log(`failed requests: ${[...tally.failures].map(([key, n]) => `${key} ×${n}`).join('; ')}`);
  console.log(statuses.length === 0 ? 'non-2xx by status: none' : `non-2xx by status: ${statuses.map(([key, n]) => `${key}: ${n}`).join(', ')}`);
  console.log('\n| kind | answers | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|');
  for (const [kind, list] of tally.latencies) {
    const sorted = [...list].sort((a, b) => a - b);
    const ms = (p: number) => `${percentile(sorted, p).toFixed(0)} ms`;
    console.log(`| ${kind} | ${list.length} | ${ms(50)} | ${ms(90)} | ${ms(99)} | ${sorted.at(-1)?.toFixed(0)} ms |`);
  }
  const quiet = Array.from(tally.perSecond, (n, second) => ({ n: n ?? 0, second })).sort((x, y) => x.n - y.n).slice(0, 3);
  console.log(`slowest seconds: ${quiet.map((q) => `second ${q.second + 1}: ${q.n} answers`).join(', ')}`);
  const samples = tally.samples;
  console.log(`\nserver RSS (MB) every 5 s: ${samples.map((s) => `${s.second}s ${s.rssMb}`).join(', ')}`);
  console.log(`connections waiting to be accepted, every 5 s: ${samples.map((s) => s.unaccepted).join(', ')}`);
  const cpu = samples.slice(1).map((s, i) => `${Math.round((100 * (s.cpuSeconds - samples[i]!.cpuSeconds)) / Math.max(1, s.second - samples[i]!.second))}%`);
  console.log(`server CPU (% of one core) per 5 s: ${cpu.join(', ')}`);
  const serverCpu = samples.at(-1)!.cpuSeconds - samples[0]!.cpuSeconds;
  console.log(`CPU used during the run: server ${serverCpu.toFixed(1)} s, load generator ${loaderCpuSeconds.toFixed(1)} s, of ${result.duration.toFixed(0)} s × ${cpus().length} cores; load average after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
}

/**
 * The heap left after each full collection (V8's Mark-Compact) during the run, at most one figure per
 * 5 s (the last collection in each), in seconds since the load began.
 */
function liveHeap(logPath: string, loadStartedAt: number): void {
  const offsetMs = loadStartedAt - serverStartedAt;
  const bySlot = new Map<number, number>();
  for (const match of readFileSync(logPath, 'utf8').matchAll(/(\d+) ms: Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/g)) {
    const second = (Number(match[1]) - offsetMs) / 1000;
    if (second >= 0) bySlot.set(Math.floor(second / 5) * 5, Number(match[2]));
  }
  const slots = [...bySlot].sort((a, b) => a[0] - b[0]);
  console.log(slots.length === 0 ? 'live heap after full GCs: no full collection during the run' : `live heap after full GCs (MB), last in each 5 s: ${slots.map(([second, mb]) => `${second}s ${mb.toFixed(0)}`).join(', ')}`);
}

/** Unhandled errors the server logged (5xx causes), counted and the first shown. */
function serverErrors(logPath: string): void {
  const lines = readFileSync(logPath, 'utf8').split('\n').filter((line) => line.includes('"level":50') || line.includes('unhandled error'));
  console.log(`server log: ${lines.length} error lines${lines.length ? `; first: ${lines[0]!.slice(0, 600)}` : ''}`);
}

async function run(backend: string): Promise<void> {
  const pace = rate ? `at most ${rate} req/s in all` : 'each as fast as answers come';
  console.log(`\n== ${backend}: fictional demo, ${connections} connections (${pace}), ${duration} s, ${values['read-only'] ? 'reads only' : '10 % writes'}`);
  const database = await freshStore(backend);
  const demoStart = performance.now();
  cli(database, ['demo']);
  console.log(`demo loaded in ${((performance.now() - demoStart) / 1000).toFixed(1)} s`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logPath = join(workDir, `serve-${backend}.log`);
  const server = await startServer(database, port, logPath);
  try {
    const token = await editorToken(database, base);
    const data = await sample(base, token);
    console.log(`sample: ${data.published.length} published ids, ${data.internalIds.length} unpublished ids, ${data.queries.length} name queries`);
    const requests = mix(data, token);
    // One pass of every request first, so the first measured second does not include building caches.
    for (const request of requests.filter((r) => r.method === 'GET')) await warm(base, request);
    console.log(`load average before: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    const loadStartedAt = performance.now();
    report(await load(requests, { pid: server.pid!, port }));
    liveHeap(logPath, loadStartedAt);
    serverErrors(logPath);
  } finally {
    await stopServer(server);
  }
  console.log(`audit chain after the run: ${cli(database, ['audit', 'verify']).trim()}`);
  const counts = JSON.parse(cli(database, ['stats', '--json'])) as Record<string, unknown>;
  console.log(`stats after the run: ${JSON.stringify(counts)}`);
}

async function main(): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), node ${process.version}; server: bin/vigil.js (run npm run build first)`);
  for (const backend of values.backend === 'both' ? ['sqlite', 'postgres'] : [values.backend!]) await run(backend);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
