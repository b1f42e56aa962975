/** `vigil deals report` and `vigil deals timeline`: the release reports (text, JSON, printable HTML) and the analysts' timeline (CSV, JSON). */
import type { Command } from 'commander';
import { OPERATOR } from '../../domain/policy.js';
import { VigilError } from '../../errors.js';
import { buildReleaseReport, type ReleaseReport, type RestrictedRead } from '../../features/releases/reports.service.js';
import { printableReleaseReport } from '../../features/releases/release-report.html.js';
import { releaseTimeline, timelineCsv } from '../../features/releases/timeline.service.js';
import { checkDay } from '../../features/stats/stats.service.js';
import type { Store } from '../../store/connection.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';
import { auditCliReads } from './deal-input.js';

const REPORT_FORMATS = ['text', 'json', 'html'] as const;

function printReport(report: ReleaseReport): void {
  process.stdout.write(`As of ${report.date}${report.deal ? ` (deal ${report.deal})` : ''}:\n`);
  for (const deal of report.deals) {
    const where = Object.entries(deal.destinations).map(([country, n]) => `${n} to ${country}`).join(', ');
    process.stdout.write(`  ${deal.slug} (${deal.date}${deal.facilitator ? `, ${deal.facilitator}` : ''}): ${deal.released} released, ${deal.expelled} expelled${where ? ` (${where})` : ''}; ${deal.refused_expulsion} refused expulsion; ${deal.still_held.length + deal.still_held_not_shown} of ${deal.asked_for} named still held\n`);
    for (const p of deal.still_held) process.stdout.write(`    held: ${p.external_id} ${p.name} (${p.outcome})\n`);
  }
  process.stdout.write(`  re-arrested after release: ${report.rearrested.length + report.rearrested_not_shown}\n`);
  for (const r of report.rearrested) process.stdout.write(`    ${r.person.external_id} ${r.person.name}: released ${r.released_on}${r.deal ? ` (${r.deal})` : ''}, detained again ${r.detained_again_on}\n`);
}

const readsOf = (reads: readonly RestrictedRead[]) => reads.map((read) => ({ entity: read.entity, id: read.id, fields: [read.entity] }));

export function registerReports(deals: Command, global: () => GlobalOptions): void {
  deals
    .command('report')
    .description('released by deal and destination, still held among those asked for, re-arrested after release; --format html gives a printable document')
    .option('--on <date>', 'the day (YYYY-MM-DD); default today')
    .option('--deal <slug>', 'one deal instead of all (its re-arrests are the people it freed)')
    .option('--format <format>', 'text, json or html', 'text')
    .option('--json', 'same as --format json')
    .action(
      action(async (options: { on?: string; deal?: string; format: string; json?: boolean }) => {
        const format = options.json ? 'json' : options.format;
        if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new VigilError('usage', `unknown format "${format}"; use text, json or html`);
        const report = { day: options.on ? checkDay(options.on) : undefined, deal: options.deal };
        await withStore(global(), async (store: Store) => {
          if (format === 'html') {
            const { html, reads } = await printableReleaseReport(store, OPERATOR as Extract<typeof OPERATOR, { kind: 'member' }>, { ...report, by: actor() });
            await auditCliReads(store, readsOf(reads));
            process.stdout.write(html);
            return;
          }
          const { report: built, reads } = await buildReleaseReport(store, OPERATOR, report);
          await auditCliReads(store, readsOf(reads));
          if (format === 'json') printJson(built);
          else printReport(built);
        });
      }),
    );
  deals
    .command('timeline')
    .description('month by month: political prisoners, arrests, releases and expulsions by deal, sanction changes (for analysts and charts)')
    .option('--from <date>', 'first month (YYYY-MM-DD)', '2020-01-01')
    .option('--to <date>', 'last day (YYYY-MM-DD); default today')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--json', 'same as --format json')
    .action(
      action(async (options: { from: string; to?: string; format: string; json?: boolean }) => {
        const format = options.json ? 'json' : options.format;
        if (format !== 'csv' && format !== 'json') throw new VigilError('usage', `unknown format "${format}"; use csv or json`);
        const months = await withStore(global(), (store) => releaseTimeline(store, OPERATOR, options.from, options.to));
        if (format === 'json') return printJson(months);
        process.stdout.write(timelineCsv(months));
      }),
    );
}
