import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { listLines, reconcileLines } from '../../features/releases/reconcile.service.js';
import { recordDealOutcomes } from '../../features/releases/record-outcomes.service.js';
import { releaseReport } from '../../features/releases/reports.service.js';
import { releaseTimeline } from '../../features/releases/timeline.service.js';
import { stringify } from 'csv-stringify/sync';
import { checkDay } from '../../features/stats/stats.service.js';
import { OPERATOR } from '../../domain/policy.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';

async function readList(file: string): Promise<string[]> {
  try {
    return listLines(new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new VigilError('file_not_found', `cannot read ${file}: no such file`);
    if (error instanceof TypeError) throw new VigilError('validation_failed', `${file} is not valid UTF-8; save it as UTF-8 and try again`);
    throw error;
  }
}

export function register(program: Command, global: () => GlobalOptions): void {
  const deals = program.command('deals').description('negotiated releases: reconcile a published list with the registry');
  deals
    .command('reconcile')
    .description('match a list (one name a line, any spelling) against the registry; never guesses: unsure lines stay unmatched')
    .argument('<file>', 'UTF-8 text file, one name a line (numbering and birth years such as "(1985)" are understood)')
    .option('--json', 'print a JSON array, one entry per line: line, text, external_id (null unless confident), score, status, candidates')
    .action(
      action(async (file: string, options: { json?: boolean }) => {
        const lines = await readList(file);
        const entries = await withStore(global(), (store) => reconcileLines(store, lines));
        if (options.json) return printJson(entries);
        for (const entry of entries) {
          const who = entry.external_id ?? (entry.candidates[0] ? `? ${entry.candidates[0].external_id}` : '-');
          process.stdout.write(`${String(entry.line).padStart(4)}  ${entry.status.padEnd(9)} ${entry.score.toFixed(2)}  ${who.padEnd(14)} ${entry.text}${entry.reason ? `  (${entry.reason})` : ''}\n`);
        }
        const count = (status: string) => entries.filter((e) => e.status === status).length;
        process.stdout.write(`${count('matched')} matched, ${count('uncertain')} uncertain, ${count('unmatched')} unmatched — uncertain and unmatched lines need a person to decide\n`);
      }),
    );
  deals
    .command('record')
    .description('reconcile a list and record the release or expulsion of every confidently matched person, citing the deal; other lines are listed for a person to decide')
    .argument('<deal>', 'the deal slug')
    .argument('<file>', 'UTF-8 text file, one name a line')
    .requiredOption('--as <type>', 'released or expelled')
    .option('--country <code>', 'ISO country people were expelled to (required with --as expelled)')
    .option('--date <date>', "date of the release (default: the deal's date)")
    .option('--reason <text>', 'why (default: the list file name)')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (deal: string, file: string, options: { as: string; country?: string; date?: string; reason?: string; json?: boolean }) => {
        const lines = await readList(file);
        const report = await withStore(global(), async (store) => {
          const entries = await reconcileLines(store, lines);
          return recordDealOutcomes(store, deal, entries, { as: options.as as 'released', country: options.country, date: options.date }, { actor: actor(), reason: options.reason ?? `reconciled list ${file}` });
        });
        if (options.json) return printJson(report);
        process.stdout.write(`${report.recorded.length} recorded as ${options.as}, ${report.already_recorded.length} already recorded, ${report.needs_decision.length} lines need a person to decide\n`);
        for (const line of report.needs_decision) process.stdout.write(`  line ${line.line}: ${line.text}  (${line.status}${line.reason ? `: ${line.reason}` : ''})\n`);
      }),
    );
  deals
    .command('report')
    .description('released by deal and destination, still held among those named in each deal, re-arrested after release')
    .option('--on <date>', 'the day (YYYY-MM-DD); default today')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { on?: string; json?: boolean }) => {
        const report = await withStore(global(), (store) => releaseReport(store, OPERATOR, options.on ? checkDay(options.on) : undefined));
        if (options.json) return printJson(report);
        process.stdout.write(`As of ${report.date}:\n`);
        for (const deal of report.deals) {
          const where = Object.entries(deal.destinations).map(([country, n]) => `${n} to ${country}`).join(', ');
          process.stdout.write(`  ${deal.slug} (${deal.date}${deal.facilitator ? `, ${deal.facilitator}` : ''}): ${deal.released} released, ${deal.expelled} expelled${where ? ` (${where})` : ''}; ${deal.still_held.length + deal.still_held_not_shown} of ${deal.asked_for} named still held\n`);
        }
        process.stdout.write(`  re-arrested after release: ${report.rearrested.length + report.rearrested_not_shown}\n`);
        for (const r of report.rearrested) process.stdout.write(`    ${r.person.external_id} ${r.person.name}: released ${r.released_on}, detained again ${r.detained_again_on}\n`);
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
        process.stdout.write(
          stringify(months.map((m) => ({ ...m, deals: m.deals.join(';'), sanction_changes: m.sanction_changes.join(';') })), { header: true }),
        );
      }),
    );
}
