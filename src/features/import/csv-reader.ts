/**
 * Streams a CSV file (UTF-8, header row, RFC 4180) as records keyed by column name, each with the line
 * it starts on. Reports bytes read for progress and hashes the bytes for the import log.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';

export interface CsvRecord {
  line: number;
  values: Record<string, string>;
}

/** A problem with one cell or line of an input file. Line numbers count the header as line 1. */
export interface Problem {
  line: number;
  column: string | null;
  message: string;
}

export class CsvProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/**
 * A CSV to read: a file's path, or a file that is not kept as it is (an upload waiting sealed, say):
 * its name for the import log, its size in plain bytes, and how to open its plain bytes.
 */
export type CsvInput = string | { name: string; size: number; open(): Readable };

export interface CsvSource {
  records: AsyncIterable<CsvRecord>;
  header: Promise<string[]>;
  totalBytes: number;
  /** SHA-256 of every byte read; complete once `records` is exhausted. */
  sha256(): string;
}

export interface CsvOptions {
  /** Every column a file may have; anything else in the header is rejected. */
  known: readonly string[];
  /** Columns the header must contain. */
  required: readonly string[];
  /** Header must contain at least one of these (if given). */
  oneOf?: readonly string[];
  onBytes?: (bytesRead: number, totalBytes: number) => void;
}

function checkHeader(header: string[], options: CsvOptions): string[] {
  const columns = header.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of columns) {
    if (name === '') throw new CsvProblem({ line: 1, column: null, message: 'the header has an empty column name' });
    if (!options.known.includes(name)) {
      throw new CsvProblem({
        line: 1,
        column: name,
        message: `unknown column "${name}"; the columns this file may have are: ${options.known.join(', ')}`,
      });
    }
    if (seen.has(name)) throw new CsvProblem({ line: 1, column: name, message: `column "${name}" appears twice in the header` });
    seen.add(name);
  }
  for (const name of options.required) {
    if (!seen.has(name)) throw new CsvProblem({ line: 1, column: name, message: `the required column "${name}" is missing from the header` });
  }
  if (options.oneOf && !options.oneOf.some((name) => seen.has(name))) {
    throw new CsvProblem({ line: 1, column: null, message: `the header needs at least one of the columns ${options.oneOf.join(', ')}` });
  }
  return columns;
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const [, expected, got] = /expect (\d+), got (\d+)/.exec(error.message) ?? [];
      return `this row has ${got ?? 'a different number of'} values but the header has ${expected ?? 'another number of'} columns (a comma inside a value needs quotes)`;
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value that starts here is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by other characters (quote the whole value and double any quote inside it)';
    default:
      return error.message;
  }
}

function csvProblem(error: unknown): CsvProblem {
  if (error instanceof CsvProblem) return error;
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines ?? 0;
    return new CsvProblem({ line, column: null, message: `the CSV structure is broken: ${describeCsvError(error)}` });
  }
  if ((error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
    return new CsvProblem({ line: 0, column: null, message: 'the file is not valid UTF-8; save it as UTF-8 and try again' });
  }
  return new CsvProblem({ line: 0, column: null, message: (error as Error).message });
}

export function readCsv(from: CsvInput, options: CsvOptions): CsvSource {
  const totalBytes = typeof from === 'string' ? statSync(from).size : from.size;
  const hash = createHash('sha256');
  let bytesRead = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytesRead += chunk.length;
      options.onBytes?.(bytesRead, totalBytes);
      callback(null, chunk);
    },
  });
  // Decoding is strict so that a Windows-1251 file fails loudly instead of importing mojibake.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        callback(null, decoder.decode(chunk, { stream: true }));
      } catch {
        callback(Object.assign(new Error('invalid UTF-8'), { code: 'ERR_ENCODING_INVALID_ENCODED_DATA' }));
      }
    },
    flush(callback) {
      try {
        callback(null, decoder.decode());
      } catch {
        callback(Object.assign(new Error('invalid UTF-8'), { code: 'ERR_ENCODING_INVALID_ENCODED_DATA' }));
      }
    },
  });

  let resolveHeader!: (header: string[]) => void;
  let rejectHeader!: (error: unknown) => void;
  const header = new Promise<string[]>((resolve, reject) => {
    resolveHeader = resolve;
    rejectHeader = reject;
  });
  header.catch(() => {});

  async function* records(): AsyncGenerator<CsvRecord> {
    // The file is opened only when reading starts, so no error can be emitted before anyone listens.
    const parser = parse({ bom: true, skip_empty_lines: true, info: true, relax_column_count: false });
    const input = typeof from === 'string' ? createReadStream(from) : from.open();
    input.on('error', (error: Error) => parser.destroy(error));
    meter.on('error', (error) => parser.destroy(error));
    decode.on('error', (error) => parser.destroy(error));
    input.pipe(meter).pipe(decode).pipe(parser);
    let columns: string[] | undefined;
    // csv-parse counts a CR LF inside a quoted value as two lines; editors, and people, count one.
    let extraLines = 0;
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (!columns) {
          columns = checkHeader(record, options);
          resolveHeader(columns);
          continue;
        }
        const values: Record<string, string> = {};
        let breaksInside = 0;
        let pairsInside = 0;
        columns.forEach((name, index) => {
          const value = record[index] ?? '';
          values[name] = value;
          breaksInside += value.match(/[\r\n]/g)?.length ?? 0;
          pairsInside += value.match(/\r\n/g)?.length ?? 0;
        });
        // csv-parse counts the line a record ends on (each CR and each LF inside quotes as a line); a quoted value can span lines.
        yield { line: info.lines - breaksInside - extraLines, values };
        extraLines += pairsInside;
      }
      if (!columns) throw new CsvProblem({ line: 1, column: null, message: 'the file is empty; it needs a header row' });
    } catch (error) {
      const problem = csvProblem(error);
      rejectHeader(problem);
      throw problem;
    } finally {
      input.destroy();
    }
  }

  return { records: records(), header, totalBytes, sha256: () => hash.copy().digest('hex') };
}
