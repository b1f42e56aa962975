import { existsSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { importEvents } from '../../features/import/events.import.js';
import { importFacilities } from '../../features/import/facilities.import.js';
import type { ImportOptions, ImportReport } from '../../features/import/import.service.js';
import { importPersons } from '../../features/import/persons.import.js';
import type { Store } from '../../store/connection.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';

const importers = { persons: importPersons, events: importEvents, facilities: importFacilities } as const;

function progressBar(file: string): { update: ImportOptions['onProgress']; stop(): void } | undefined {
  // Only for a person watching a terminal; logs and pipes get the summary alone.
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: `importing ${file} [{bar}] {percentage}% | {done} of {all} MB | ETA {eta}s`,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  return {
    update(bytesRead, totalBytes) {
      if (!started) {
        bar.start(totalBytes, 0, { done: mb(0), all: mb(totalBytes) });
        started = true;
      }
      bar.update(bytesRead, { done: mb(bytesRead), all: mb(totalBytes) });
    },
    stop: () => bar.stop(),
  };
}

export function summary(report: ImportReport): string {
  const facilities = report.facilities_created ? `, ${report.facilities_created} facilities added` : '';
  const dry = report.dry_run ? ' (dry run: nothing was written)' : '';
  return `${report.file}: ${report.rows} rows, ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged${facilities}${dry}`;
}

export async function importFile(store: Store, kind: keyof typeof importers, file: string, options: { dryRun?: boolean }): Promise<ImportReport> {
  if (!existsSync(file)) throw new VigilError('file_not_found', `cannot read ${file}: no such file`);
  const bar = progressBar(file);
  try {
    return await importers[kind](store, file, { actor: actor(), dryRun: options.dryRun === true, ...(bar ? { onProgress: bar.update } : {}) });
  } finally {
    bar?.stop();
  }
}

export function register(program: Command, global: () => GlobalOptions): void {
  program
    .command('import')
    .description('import a CSV file (DOMAIN.md format): all or nothing, safe to repeat')
    .argument('<kind>', 'persons, events or facilities')
    .argument('<file>', 'CSV file (UTF-8, header row)')
    .option('--dry-run', 'check the file and report what would change, without writing')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (kind: string, file: string, options: { dryRun?: boolean; json?: boolean }) => {
        if (!(kind in importers)) throw new VigilError('usage', `unknown import kind "${kind}"; use persons, events or facilities`);
        const report = await withStore(global(), (store) => importFile(store, kind as keyof typeof importers, file, options));
        if (options.json) printJson(report);
        else process.stdout.write(`${summary(report)}\n`);
      }),
    );
}
