import type { Command } from 'commander';
import { personDossier, personHistory } from '../../features/persons/person.service.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';
import { presentPerson } from '../../features/persons/person.presenter.js';
import { appendAudit } from '../../features/audit/audit.service.js';
import { OPERATOR } from '../../domain/policy.js';

export function register(program: Command, global: () => GlobalOptions): void {
  const person = program.command('person').description('look at one person: record, events, history');
  person
    .command('show')
    .argument('<id>', 'external id (or internal id)')
    .option('--json', 'print JSON')
    .action(
      action(async (id: string, options: { json?: boolean }) => {
        const dossier = await withStore(global(), async (store) => {
          const found = await personDossier(store, id);
          // The operator sees everything in the store; reading restricted values is still recorded.
          const restricted = [...presentPerson(OPERATOR, found.person).restricted, ...found.events.filter((e) => e.confidentiality === 'restricted').map(() => 'event')];
          if (restricted.length > 0) {
            await store.db.transaction().execute((trx) =>
              appendAudit(trx, { actor: actor(), action: 'read_restricted', entity: 'person', entityId: found.person.id, detail: { fields: [...new Set(restricted)], via: 'cli' } }),
            );
          }
          return found;
        });
        if (options.json) return printJson(dossier);
        const { person: p, events } = dossier;
        const names = p.names.map((n) => n.full_name ?? [n.family, n.given, n.patronymic].filter(Boolean).join(' '));
        process.stdout.write(`${p.external_id} (version ${p.version}${p.publish ? ', published' : ', not published'})\n  ${names.join(' / ')}\n`);
        for (const e of events) {
          const detail = [e.facility, e.articles.join(', '), e.term_months !== null ? `${e.term_months} months` : null, e.regime, e.reason, e.country, e.organization]
            .filter(Boolean)
            .join('; ');
          process.stdout.write(`  ${e.date.padEnd(10)}  ${e.type.padEnd(21)} ${detail}\n`);
        }
      }),
    );
  person
    .command('history')
    .argument('<id>', 'external id (or internal id)')
    .option('--json', 'print JSON')
    .action(
      action(async (id: string, options: { json?: boolean }) => {
        const history = await withStore(global(), (store) => personHistory(store, id));
        if (options.json) return printJson(history);
        for (const h of history) process.stdout.write(`v${h.version}  ${h.at}  ${h.action}  by ${h.actor}${h.reason ? ` (${h.reason})` : ''}\n`);
      }),
    );
}
