import type { Command } from 'commander';
import { errors } from '../../errors.js';
import { auditEntries, verifyAudit } from '../../features/audit/audit.service.js';
import { action, printJson, withStore, type GlobalOptions } from '../context.js';

function positiveInteger(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw errors.validation(`${option}: "${value}" is not a whole number of at least 1`);
  return n;
}

export function register(program: Command, global: () => GlobalOptions): void {
  const audit = program.command('audit').description('the tamper-evident audit trail: who did what, when, from where');

  audit
    .command('verify')
    .description('check that no audit entry was changed, deleted, inserted or reordered; exit 1 naming the first broken entry')
    .option('--json', 'print JSON: ok, entries, first_broken, head (keep the head hash elsewhere to compare later)')
    .action(
      action(async (options: { json?: boolean }) => {
        const result = await withStore(global(), (store) => verifyAudit(store.db));
        const firstBroken = result.ok ? null : result.firstBroken;
        if (options.json) printJson({ ok: result.ok, entries: result.entries, first_broken: firstBroken, head: result.head });
        if (firstBroken) {
          process.stderr.write(`vigil: audit trail broken at entry ${firstBroken.seq}: ${firstBroken.problem}\n`);
          process.exitCode = 1;
        } else if (!options.json) {
          process.stdout.write(`audit trail intact: ${result.entries} entries\n`);
        }
      }),
    );

  audit
    .command('list')
    .description('the newest audit entries first')
    .option('--limit <n>', 'how many (at most 1000)', '50')
    .option('--before <seq>', 'only entries numbered below this')
    .option('--actor <actor>', 'only entries by this actor')
    .option('--action <action>', 'only entries of this action (sign_in, update, export, ...)')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { limit: string; before?: string; actor?: string; action?: string; json?: boolean }) => {
        const query = {
          limit: positiveInteger(options.limit, '--limit'),
          ...(options.before !== undefined ? { beforeSeq: positiveInteger(options.before, '--before') } : {}),
          ...(options.actor !== undefined ? { actor: options.actor } : {}),
          ...(options.action !== undefined ? { action: options.action } : {}),
        };
        const entries = await withStore(global(), (store) => auditEntries(store.db, query));
        if (options.json) return printJson(entries);
        for (const e of entries) {
          const target = e.entity ? ` ${e.entity}${e.entity_id !== null ? ` ${e.entity_id}` : ''}` : '';
          const from = e.ip ? ` from ${e.ip}` : '';
          const detail = Object.keys(e.detail).length > 0 ? `  ${JSON.stringify(e.detail)}` : '';
          process.stdout.write(`${e.seq}  ${e.at}  ${e.actor}  ${e.action}${target}${from}${detail}\n`);
        }
      }),
    );
}
