// Streaming generator of large fictional datasets for benchmarks, in the same CSV formats as the demo:
//   node --import tsx bench/generate.ts --people 100000 --events 1000000 --out bench/out/100k
// Rows are written as they are generated, a chunk at a time, so memory stays flat however large the run.
// Each person comes from the same per-person generator as the demo, padded or cut to hit --events exactly.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { createCalendar } from '../src/demo/calendar.js';
import { DayFormatter, parseIsoDay } from '../src/demo/days.js';
import { facilityRows } from '../src/demo/facilities.js';
import { toCsv } from '../src/demo/generate.js';
import { EVENT_COLUMNS, FACILITY_COLUMNS, PERSON_COLUMNS, type EventRow, type PersonRow } from '../src/demo/rows.js';
import { generatePerson } from '../src/demo/subject.js';

/** A fixed default, so the same command produces the same files on any day. */
const DEFAULT_TODAY = '2026-01-01';
const DEFAULT_SEED = 1;
const PEOPLE_PER_CHUNK = 2000;

interface BenchOptions {
  people: number;
  events: number;
  out: string;
  seed: number;
  today: string;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '100000' },
      events: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      today: { type: 'string', default: DEFAULT_TODAY },
    },
  });
  const people = wholeNumber('--people', values.people ?? '');
  const events = values.events === undefined ? people * 10 : wholeNumber('--events', values.events);
  return { people, events, out: values.out ?? join('bench', 'out', String(people)), seed: wholeNumber('--seed', values.seed ?? ''), today: values.today ?? DEFAULT_TODAY };
}

function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${flag} must be a whole number ≥ 0, got "${text}"`);
  return value;
}

/** b0000001, b0000002, ...; wide enough for ten million people. */
function benchExternalId(index: number): string {
  return `b${String(index + 1).padStart(7, '0')}`;
}

/** Writes and waits when the stream's buffer is full, which is what keeps memory flat. */
async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

function csvChunk<Row extends Record<string, string>>(rows: Row[], columns: readonly (keyof Row & string)[], header: boolean): string {
  return stringify(rows, { header, columns: [...columns] });
}

async function generate(options: BenchOptions): Promise<{ persons: number; events: number }> {
  const calendar = createCalendar(parseIsoDay(options.today));
  const days = new DayFormatter();
  const personsOut = createWriteStream(join(options.out, 'persons.csv'));
  const eventsOut = createWriteStream(join(options.out, 'events.csv'));
  let written = 0;
  for (let first = 0; first < options.people; first += PEOPLE_PER_CHUNK) {
    const persons: PersonRow[] = [];
    const events: EventRow[] = [];
    for (let index = first; index < Math.min(first + PEOPLE_PER_CHUNK, options.people); index++) {
      // Spread the total evenly: person i gets its share of the running total, rounding never accumulates.
      const targetEvents = Math.floor((options.events * (index + 1)) / options.people) - Math.floor((options.events * index) / options.people);
      const generated = generatePerson({ seed: options.seed, index, externalId: benchExternalId(index), calendar, days, targetEvents });
      persons.push(generated.person);
      for (const event of generated.events) events.push(event);
    }
    written += events.length;
    await write(personsOut, csvChunk(persons, PERSON_COLUMNS, first === 0));
    await write(eventsOut, csvChunk(events, EVENT_COLUMNS, first === 0));
  }
  if (options.people === 0) {
    await write(personsOut, PERSON_COLUMNS.join(',') + '\n');
    await write(eventsOut, EVENT_COLUMNS.join(',') + '\n');
  }
  await Promise.all([close(personsOut), close(eventsOut)]);
  return { persons: options.people, events: written };
}

async function main(): Promise<void> {
  const options = readOptions();
  const started = performance.now();
  await mkdir(options.out, { recursive: true });
  await writeFile(join(options.out, 'facilities.csv'), toCsv(facilityRows(), FACILITY_COLUMNS));
  const counts = await generate(options);
  const seconds = (performance.now() - started) / 1000;
  for (const name of ['persons.csv', 'events.csv', 'facilities.csv']) {
    const { size } = await stat(join(options.out, name));
    console.log(`${join(options.out, name)}  ${(size / 1024 / 1024).toFixed(1)} MiB`);
  }
  console.log(
    `wrote ${counts.persons} persons and ${counts.events} events (seed ${options.seed}, today ${options.today}) ` +
      `in ${seconds.toFixed(1)} s — ${Math.round(counts.events / seconds)} events/s, ` +
      `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
