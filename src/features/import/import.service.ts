/**
 * CSV import (DOMAIN.md contract): streaming, all or nothing, idempotent.
 *
 * The whole file is read inside one transaction. Rows are validated as they stream and written in
 * chunks; the first problem stops writing, reading goes on to report up to `maxProblems` problems, and
 * the transaction is rolled back so the store is exactly as before. Importing the same rows again finds
 * them (people by external_id, events by a hash of their content) and changes nothing.
 */
import { basename } from 'node:path';
import type { Transaction } from 'kysely';
import type { Store } from '../../store/connection.js';
import type { DB } from '../../store/schema.js';
import { takeDataWriteTurn } from '../../store/history.repository.js';
import { VigilError } from '../../errors.js';
import { appendAudit } from '../audit/audit.service.js';
import { readCsv, CsvProblem, type CsvInput, type CsvOptions, type Problem } from './csv-reader.js';
import { validateRow, type RowIssue } from './rows.js';
import type { z } from 'zod';

export type ImportKind = 'persons' | 'events' | 'facilities';

export interface ImportOptions {
  actor: string;
  /** Validate and count, then roll back. */
  dryRun?: boolean;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Rows read so far (the workspace shows rows done of the total a dry run counted). */
  onRows?: (rowsRead: number) => void;
  maxProblems?: number;
}

export interface ImportReport {
  kind: ImportKind;
  file: string;
  sha256: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Facilities created because events named them (events import only). */
  facilities_created: number;
  dry_run: boolean;
  /** The import_batch row recording who imported which file when. */
  batch_id: number;
}

export interface ValidRow<T> {
  line: number;
  value: T;
}

/** What one kind of import does with a chunk of valid rows, inside the transaction. */
export interface RowHandler<T> {
  csv: Omit<CsvOptions, 'onBytes'>;
  schema: z.ZodType<T>;
  chunkSize: number;
  /** Writes a chunk; returns problems found against the store (unknown person...) instead of writing. */
  flush(trx: Transaction<DB>, rows: ValidRow<T>[], report: ImportReport, header: Set<string>): Promise<Problem[]>;
  /** After the last chunk (e.g. recompute derived status). */
  finish?(trx: Transaction<DB>, store: Store): Promise<void>;
}

class Rollback extends Error {}

export function describeProblem(problem: Problem, value?: string): string {
  const where = [problem.line > 0 ? `line ${problem.line}` : null, problem.column ? `column ${problem.column}` : null]
    .filter(Boolean)
    .join(', ');
  const shown = value !== undefined && value !== '' ? ` ("${value.length > 60 ? `${value.slice(0, 57)}...` : value}")` : '';
  return `${where}${shown}: ${problem.message}`;
}

/** A problem found, the value of the cell it names (when it names one) and its one-line description. */
interface Found {
  problem: Problem;
  value?: string | undefined;
  text: string;
}

function rejection(file: string, problems: Found[], truncated: boolean): VigilError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1}${truncated ? '+' : ''} more problems)` : '';
  return new VigilError(
    'import_rejected',
    `${file} was not imported, nothing was changed: ${first.text}${more}`,
    422,
    problems.map(({ problem, value, text }) => ({ ...problem, ...(value !== undefined ? { value } : {}), text })),
  );
}

export async function runImport<T>(
  store: Store,
  kind: ImportKind,
  input: CsvInput,
  handler: RowHandler<T>,
  options: ImportOptions,
): Promise<ImportReport> {
  const file = basename(typeof input === 'string' ? input : input.name);
  const maxProblems = options.maxProblems ?? 20;
  const startedAt = new Date().toISOString();
  const report: ImportReport = {
    kind, file, sha256: '', rows: 0, created: 0, updated: 0, unchanged: 0, facilities_created: 0, dry_run: options.dryRun === true, batch_id: 0,
  };
  const problems: Found[] = [];
  let truncated = false;
  const source = readCsv(input, { ...handler.csv, ...(options.onProgress ? { onBytes: options.onProgress } : {}) });

  const addIssues = (line: number, issues: RowIssue[], values: Record<string, string>) => {
    for (const issue of issues) {
      const problem = { line, column: issue.column, message: issue.message };
      const value = issue.column ? values[issue.column] : undefined;
      problems.push({ problem, value, text: describeProblem(problem, value) });
    }
  };

  try {
    await store.db.transaction().execute(async (trx) => {
      await takeDataWriteTurn(trx);
      const batch = await trx
        .insertInto('import_batch')
        .values({
          kind, file_name: file, sha256: '', actor: options.actor, started_at: startedAt, finished_at: startedAt,
          rows: 0, created: 0, updated: 0, unchanged: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      report.batch_id = batch.id;
      let chunk: ValidRow<T>[] = [];
      let header = new Set<string>();
      const values = new Map<number, Record<string, string>>();
      const flush = async () => {
        if (problems.length === 0 && chunk.length > 0) {
          const found = await handler.flush(trx, chunk, report, header);
          for (const problem of found) {
            const value = problem.column ? values.get(problem.line)?.[problem.column] : undefined;
            problems.push({ problem, value, text: describeProblem(problem, value) });
          }
        }
        chunk = [];
        values.clear();
      };
      try {
        for await (const record of source.records) {
          if (header.size === 0) header = new Set(await source.header);
          report.rows += 1;
          options.onRows?.(report.rows);
          const result = validateRow(handler.schema, record.values);
          if (result.ok) {
            chunk.push({ line: record.line, value: result.value as T });
            values.set(record.line, record.values);
          } else {
            addIssues(record.line, result.issues, record.values);
          }
          if (problems.length >= maxProblems) {
            truncated = true;
            break;
          }
          if (chunk.length >= handler.chunkSize) await flush();
        }
        await flush();
      } catch (error) {
        if (!(error instanceof CsvProblem)) throw error;
        problems.push({ problem: error.problem, text: describeProblem(error.problem) });
      }
      if (problems.length > 0) throw new Rollback();
      await handler.finish?.(trx, store);
      report.sha256 = source.sha256();
      await trx
        .updateTable('import_batch')
        .set({
          sha256: report.sha256, finished_at: new Date().toISOString(), rows: report.rows, created: report.created,
          updated: report.updated, unchanged: report.unchanged,
        })
        .where('id', '=', batch.id)
        .execute();
      await appendAudit(trx, {
        actor: options.actor, action: 'import', entity: 'import_batch', entityId: batch.id,
        detail: { kind, file, sha256: report.sha256, rows: report.rows, created: report.created, updated: report.updated },
      });
      if (options.dryRun) throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    if (problems.length > 0) throw rejection(file, problems, truncated);
  }
  return report;
}
