import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { csvCell, EXPORT_COLUMNS, exportRows, type ExportKind } from '../../features/export/export.service.js';
import { action, actor, withStore, type GlobalOptions } from '../context.js';
import { appendAudit } from '../../features/audit/audit.service.js';

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export function register(program: Command, global: () => GlobalOptions): void {
  program
    .command('export')
    .description('export persons, events or facilities in the import CSV format (re-importable) or as JSON')
    .argument('<kind>', 'persons, events or facilities')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--output <file>', 'write to a file instead of standard output')
    .option('--public', 'only what may be published: people with consent, values marked public')
    .option('--json', 'same as --format json')
    .action(
      action(async (kind: string, options: { format: string; output?: string; public?: boolean; json?: boolean }) => {
        if (!(kind in EXPORT_COLUMNS)) throw new VigilError('usage', `unknown export kind "${kind}"; use persons, events or facilities`);
        const format = options.json ? 'json' : options.format;
        if (format !== 'csv' && format !== 'json') throw new VigilError('usage', `unknown format "${format}"; use csv or json`);
        const out: Writable = options.output ? createWriteStream(options.output) : process.stdout;
        await withStore(global(), async (store) => {
          await store.db.transaction().execute((trx) =>
            appendAudit(trx, { actor: actor(), action: 'export', entity: kind, detail: { format, public: options.public === true, output: options.output ?? 'stdout' } }),
          );
          const rows = exportRows(store, kind as ExportKind, { publicOnly: options.public === true });
          const columns = EXPORT_COLUMNS[kind as ExportKind];
          if (format === 'json') {
            let first = true;
            await write(out, '[');
            for await (const row of rows) {
              await write(out, `${first ? '\n' : ',\n'}${JSON.stringify(row)}`);
              first = false;
            }
            await write(out, '\n]\n');
          } else {
            const csv = stringify({ header: true, columns: [...columns] });
            csv.pipe(out, { end: false });
            for await (const row of rows) {
              if (!csv.write(columns.map((column) => csvCell(row[column])))) await once(csv, 'drain');
            }
            csv.end();
            await once(csv, 'end');
          }
        });
        if (options.output) {
          out.end();
          await once(out, 'finish');
        }
      }),
    );
}
