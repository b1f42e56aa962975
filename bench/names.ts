// Name-matching benchmark.
//   node --import tsx bench/names.ts                 names-dev comparison + 100k scale run
//   node --import tsx bench/names.ts --scale 1000000 also (or instead) a 1M run; repeatable flag
//
// 1. names-dev: recall@1 / @5 per query kind for Vigil, Fuse.js and MiniSearch, each given the
//    stored names as they are in persons.csv, plus latency and memory.
// 2. Scale: synthetic people (name parts of persons.csv recombined with a seeded PRNG) plus the
//    real 1,500, reporting build time, memory growth (heapUsed + ArrayBuffers) and query latency.

import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { NameIndex, type NameRecord } from '../src/names/index.js';
import { flatNames, readPersons, readQueries, toRecord, type DevQuery, type PersonRow } from './names-dev.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Searcher {
  name: string;
  search(query: string): number[];
}

// heapUsed plus ArrayBuffer memory: the index keeps its columns in typed arrays, whose backing
// stores are outside the V8 heap and would otherwise go uncounted.
function heapUsed(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function measureBuild<T>(build: () => T): { value: T; ms: number; bytes: number } {
  const before = heapUsed();
  const start = performance.now();
  const value = build();
  const ms = performance.now() - start;
  return { value, ms, bytes: heapUsed() - before };
}

// ---- searchers -----------------------------------------------------------------------------

function vigilSearcher(index: NameIndex): Searcher {
  return { name: 'Vigil', search: (q) => index.search(q, { limit: 5 }).map((h) => h.id) };
}

function fuseSearcher(rows: readonly PersonRow[], ids: readonly number[]): Searcher {
  const docs = rows.map((row, i) => ({ id: ids[i] ?? 0, text: flatNames(row) }));
  const fuse = new Fuse(docs, { keys: ['text'], includeScore: true, ignoreLocation: true, threshold: 0.4 });
  return { name: 'Fuse.js', search: (q) => fuse.search(q, { limit: 5 }).map((r) => r.item.id) };
}

function miniSearcher(rows: readonly PersonRow[], ids: readonly number[]): Searcher {
  const mini = new MiniSearch<{ id: number; text: string }>({
    fields: ['text'],
    searchOptions: { fuzzy: 0.2, prefix: true, combineWith: 'OR' },
  });
  mini.addAll(rows.map((row, i) => ({ id: ids[i] ?? 0, text: flatNames(row) })));
  return { name: 'MiniSearch', search: (q) => mini.search(q).slice(0, 5).map((r) => r.id as number) };
}

// ---- recall --------------------------------------------------------------------------------

interface RecallResult {
  byKind: Map<string, { n: number; at1: number; at5: number }>;
  latencies: number[];
}

function evaluate(searcher: Searcher, queries: readonly DevQuery[]): RecallResult {
  const byKind = new Map<string, { n: number; at1: number; at5: number }>();
  const latencies: number[] = [];
  for (const q of queries) searcher.search(q.query); // warm-up
  for (const q of queries) {
    const start = performance.now();
    const ids = searcher.search(q.query);
    latencies.push(performance.now() - start);
    const rank = ids.indexOf(q.expectedId);
    const row = byKind.get(q.kind) ?? { n: 0, at1: 0, at5: 0 };
    row.n += 1;
    if (rank === 0) row.at1 += 1;
    if (rank >= 0 && rank < 5) row.at5 += 1;
    byKind.set(q.kind, row);
  }
  latencies.sort((a, b) => a - b);
  return { byKind, latencies };
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}`;
}

function printRecallTable(results: ReadonlyArray<[string, RecallResult]>): void {
  const kinds = [...new Set(results.flatMap(([, r]) => [...r.byKind.keys()]))].sort();
  const header = ['kind'.padEnd(22), 'n'.padStart(4), ...results.map(([name]) => `${name} @1/@5`.padStart(22))].join(' ');
  console.log(header);
  console.log('-'.repeat(header.length));
  const totals = results.map(() => ({ n: 0, at1: 0, at5: 0 }));
  for (const kind of kinds) {
    const cells = results.map(([, r], i) => {
      const row = r.byKind.get(kind) ?? { n: 0, at1: 0, at5: 0 };
      const total = totals[i];
      if (total) {
        total.n += row.n;
        total.at1 += row.at1;
        total.at5 += row.at5;
      }
      return `${pct(row.at1, row.n)} / ${pct(row.at5, row.n)}`.padStart(22);
    });
    const n = results[0]?.[1].byKind.get(kind)?.n ?? 0;
    console.log([kind.padEnd(22), String(n).padStart(4), ...cells].join(' '));
  }
  console.log('-'.repeat(header.length));
  console.log(['overall'.padEnd(22), String(totals[0]?.n ?? 0).padStart(4), ...totals.map((t) => `${pct(t.at1, t.n)} / ${pct(t.at5, t.n)}`.padStart(22))].join(' '));
}

// ---- names-dev comparison ------------------------------------------------------------------

function runNamesDev(persons: readonly PersonRow[], queries: readonly DevQuery[]): void {
  const ids = persons.map((p) => toRecord(p).id);
  const builds: Array<[string, () => Searcher]> = [
    ['Vigil', () => {
      const index = new NameIndex();
      for (const p of persons) index.add(toRecord(p));
      return vigilSearcher(index);
    }],
    ['Fuse.js', () => fuseSearcher(persons, ids)],
    ['MiniSearch', () => miniSearcher(persons, ids)],
  ];
  const results: Array<[string, RecallResult]> = [];
  const costs: string[] = [];
  for (const [name, build] of builds) {
    const built = measureBuild(build);
    const result = evaluate(built.value, queries);
    results.push([name, result]);
    costs.push(
      `${name.padEnd(12)} build ${built.ms.toFixed(0).padStart(6)} ms   memory +${mb(built.bytes).padStart(9)}   ` +
        `p50 ${percentile(result.latencies, 0.5).toFixed(3)} ms   p95 ${percentile(result.latencies, 0.95).toFixed(3)} ms   ` +
        `max ${(result.latencies.at(-1) ?? 0).toFixed(3)} ms`,
    );
  }
  console.log(`\n== names-dev: ${persons.length} people, ${queries.length} queries — recall % (top-1 / top-5)\n`);
  printRecallTable(results);
  console.log('\n== names-dev: cost\n');
  for (const line of costs) console.log(line);
}

// ---- scale run -----------------------------------------------------------------------------

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function latinParts(row: PersonRow): { given: string; family: string } | null {
  const words = row.name_latin.split(' ');
  if (words.length < 2) return null;
  return { given: words[0] ?? '', family: words.slice(1).join(' ') };
}

function syntheticRecord(id: number, persons: readonly PersonRow[], random: () => number): NameRecord {
  const pick = (): PersonRow => persons[Math.floor(random() * persons.length)] ?? (persons[0] as PersonRow);
  const f = pick();
  const g = pick();
  const p = pick();
  const names: NameRecord['names'] = [{ family: f.family_name_be, given: g.given_name_be, patronymic: p.patronymic_be, lang: 'be' }];
  if (f.family_name_ru && g.given_name_ru) {
    names.push({ family: f.family_name_ru, given: g.given_name_ru, patronymic: p.patronymic_ru, lang: 'ru' });
  }
  const lf = latinParts(f);
  const lg = latinParts(g);
  if (lf && lg) names.push({ full: `${lg.given} ${lf.family}`, lang: 'en' });
  return { id, names };
}

function runScale(size: number, persons: readonly PersonRow[], queries: readonly DevQuery[]): void {
  const random = prng(20250101 + size);
  const built = measureBuild(() => {
    const index = new NameIndex();
    for (const p of persons) index.add(toRecord(p));
    for (let id = 100_000_000; index.size < size; id++) index.add(syntheticRecord(id, persons, random));
    return index;
  });
  const index = built.value;
  const result = evaluate(vigilSearcher(index), queries);
  // A second pass over the queries in a different order, for a steadier latency sample.
  const more = evaluate(vigilSearcher(index), [...queries].reverse());
  const latencies = [...result.latencies, ...more.latencies].sort((a, b) => a - b);
  let at5 = 0;
  for (const row of result.byKind.values()) at5 += row.at5;
  console.log(
    `${String(index.size).padStart(9)} people   build ${(built.ms / 1000).toFixed(1).padStart(6)} s   memory +${mb(built.bytes).padStart(10)}   ` +
      `p50 ${percentile(latencies, 0.5).toFixed(2)} ms   p95 ${percentile(latencies, 0.95).toFixed(2)} ms   ` +
      `p99 ${percentile(latencies, 0.99).toFixed(2)} ms   recall@5 ${pct(at5, queries.length)}% (ties with synthetic namesakes)`,
  );
}

function scaleSizes(argv: readonly string[]): number[] {
  const sizes: number[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--scale') sizes.push(Number.parseInt(argv[i + 1] ?? '', 10));
    else if (arg.startsWith('--scale=')) sizes.push(Number.parseInt(arg.slice('--scale='.length), 10));
  });
  const valid = sizes.filter((n) => Number.isFinite(n) && n > 0);
  return valid.length > 0 ? valid : [100_000];
}

function main(): void {
  const persons = readPersons();
  const queries = readQueries();
  runNamesDev(persons, queries);
  console.log('\n== scale (Vigil): synthetic people + the real 1,500; latency over 2 × 400 names-dev queries\n');
  for (const size of scaleSizes(process.argv.slice(2))) runScale(size, persons, queries);
}

main();
