import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { findDuplicates, listDecisions, LIKELY_DUPLICATE, markNotSame, mergePeople, unmergePerson } from '../../features/duplicates/duplicates.service.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';

function score(text: string | undefined): number {
  const value = Number(text ?? LIKELY_DUPLICATE);
  if (!(value >= 0 && value <= 1)) throw new VigilError('usage', `--min-score "${text}" must be a number from 0 to 1`);
  return value;
}

function reasonOf(options: { reason?: string }): string {
  if (!options.reason?.trim()) throw new VigilError('usage', '--reason is required: say why (the evidence for the decision)');
  return options.reason;
}

export function register(program: Command, global: () => GlobalOptions): void {
  const duplicates = program
    .command('duplicates')
    .description('list likely duplicate records with a score and the reasons; merge them or mark them as different people')
    .option('--min-score <x>', `lowest score to list (0-1, default ${LIKELY_DUPLICATE})`)
    .option('--limit <n>', 'list at most this many pairs')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { minScore?: string; limit?: string; json?: boolean }) => {
        const limit = options.limit === undefined ? undefined : Number(options.limit);
        if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new VigilError('usage', `--limit "${options.limit}" must be a whole number above 0`);
        const pairs = await withStore(global(), (store) => findDuplicates(store, { minScore: score(options.minScore), ...(limit ? { limit } : {}) }));
        if (options.json) return printJson(pairs);
        if (pairs.length === 0) process.stdout.write('no likely duplicates\n');
        for (const pair of pairs) {
          process.stdout.write(`${pair.score.toFixed(3)}  ${pair.a.external_id} ${pair.a.name}  ~  ${pair.b.external_id} ${pair.b.name}\n        ${pair.reasons.join('; ')}\n`);
        }
      }),
    );
  duplicates
    .command('merge')
    .description('record that DUPLICATE is the same person as KEEP (both records are kept; counts and search see one person)')
    .argument('<keep>', 'external id of the record to keep')
    .argument('<duplicate>', 'external id of the duplicate record')
    .requiredOption('--reason <text>', 'why: the evidence that they are one person')
    .action(
      action(async (keep: string, duplicate: string, options: { reason?: string }) => {
        await withStore(global(), (store) => mergePeople(store, keep, duplicate, { actor: actor(), reason: reasonOf(options) }));
        process.stdout.write(`merged ${duplicate} into ${keep}\n`);
      }),
    );
  duplicates
    .command('not-same')
    .description('record that two records are different people, so they are not proposed again')
    .argument('<a>', 'external id')
    .argument('<b>', 'external id')
    .requiredOption('--reason <text>', 'why they are different people')
    .action(
      action(async (a: string, b: string, options: { reason?: string }) => {
        await withStore(global(), (store) => markNotSame(store, a, b, { actor: actor(), reason: reasonOf(options) }));
        process.stdout.write(`recorded: ${a} and ${b} are different people\n`);
      }),
    );
  duplicates
    .command('unmerge')
    .description('undo a merge: the record stands on its own again')
    .argument('<id>', 'external id of the merged record')
    .requiredOption('--reason <text>', 'why the merge was wrong')
    .action(
      action(async (id: string, options: { reason?: string }) => {
        await withStore(global(), (store) => unmergePerson(store, id, { actor: actor(), reason: reasonOf(options) }));
        process.stdout.write(`${id} is a record of its own again\n`);
      }),
    );
  duplicates
    .command('decisions')
    .description('every merge and "not the same" decision, with who made it and why')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const decisions = await withStore(global(), (store) => listDecisions(store));
        if (options.json) return printJson(decisions);
        for (const d of decisions) process.stdout.write(`${d.at}  ${d.a} ${d.decision === 'same' ? '=' : '≠'} ${d.b}  by ${d.actor}: ${d.reason}\n`);
      }),
    );
}
