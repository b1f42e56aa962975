/** `vigil report accountability`: per official, court or place of detention, as JSON, CSV or a printable HTML document. */
import type { Command } from 'commander';
import { OPERATOR } from '../../domain/policy.js';
import { appendAudit } from '../../features/audit/audit.service.js';
import { accountabilityReport, REPORT_GROUPINGS } from '../../features/accountability/accountability.service.js';
import { accountabilityCsv, CSV_ROWS } from '../../features/accountability/accountability.csv.js';
import { accountabilityDocument } from '../../features/accountability/accountability-report.html.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';
import { dayOf, oneOf } from '../options.js';
import { auditCliReads } from '../restricted-reads.js';

const FORMATS = ['csv', 'json', 'html'] as const;

export function register(program: Command, global: () => GlobalOptions): void {
  const report = program.command('report').description('reports for accountability work');
  report
    .command('accountability')
    .description('cases, events and violations per official, court or place of detention, with the people affected and the sources; --format html is a printable document for UN and OSCE submissions')
    .requiredOption('--by <grouping>', REPORT_GROUPINGS.join(', '))
    .option('--format <format>', FORMATS.join(', '), 'csv')
    .option('--rows <rows>', 'CSV: groups (one row per group, with counts) or items (one row per case, event or violation)', 'groups')
    .option('--from <day>', 'only items dated on or after this day (YYYY-MM-DD)')
    .option('--to <day>', 'only items dated on or before this day (YYYY-MM-DD)')
    .option('--json', 'same as --format json')
    .action(
      action(async (options: { by: string; format: string; rows: string; from?: string; to?: string; json?: boolean }) => {
        const by = oneOf('--by', options.by, REPORT_GROUPINGS);
        const format = options.json ? 'json' : oneOf('--format', options.format, FORMATS);
        const rows = oneOf('--rows', options.rows, CSV_ROWS);
        const from = options.from === undefined ? undefined : dayOf('--from', options.from);
        const to = options.to === undefined ? undefined : dayOf('--to', options.to);
        const built = await withStore(global(), async (store) => {
          const result = await accountabilityReport(store, OPERATOR, { by, from, to });
          await auditCliReads(store, result.restricted);
          await store.db.transaction().execute((trx) => appendAudit(trx, {
            actor: actor(), action: 'export', entity: 'accountability_report', detail: { report: 'accountability', by, format, from: from ?? null, to: to ?? null, groups: result.report.groups.length, via: 'cli' },
          }));
          return result.report;
        });
        if (format === 'json') return printJson(built);
        process.stdout.write(format === 'csv' ? accountabilityCsv(built, rows) : accountabilityDocument(built));
      }),
    );
}
