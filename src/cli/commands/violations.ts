/** `vigil violations`: ill-treatment, incommunicado detention, denial of medical care, forced labour — with officials and sources. */
import type { Command } from 'commander';
import { VIOLATION_TYPES } from '../../domain/casework.js';
import { LEVELS } from '../../domain/confidentiality.js';
import { OPERATOR } from '../../domain/policy.js';
import { presentViolations } from '../../features/accountability/accountability.presenter.js';
import { facilityIdByName } from '../../features/accountability/officials.service.js';
import { createViolation, violationPage } from '../../features/accountability/violations.service.js';
import { findPerson } from '../../features/persons/person.service.js';
import type { Store } from '../../store/connection.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';
import { collect, idOf, oneOf } from '../options.js';
import { auditCliReads } from '../restricted-reads.js';
import { everyPage } from '../pages.js';

async function listViolations(store: Store, filter: { person?: string; type?: string }) {
  const personId = filter.person === undefined ? undefined : (await findPerson(store, filter.person)).id;
  const type = filter.type === undefined ? undefined : oneOf('--type', filter.type, VIOLATION_TYPES);
  const violations = await everyPage((page) => violationPage(store, page, { personId, type }));
  const presented = await presentViolations(store.db, OPERATOR, violations);
  await auditCliReads(store, presented.map((p, i) => ({ entity: 'violation', id: violations[i]!.id, fields: p.restricted })));
  return presented.flatMap((p) => (p.view ? [p.view] : []));
}

export function register(program: Command, global: () => GlobalOptions): void {
  const violations = program.command('violations').description('violations suffered by political prisoners, with the officials involved and the sources (restricted by default)');
  violations
    .command('list')
    .option('--person <id>', 'only this person (external id)')
    .option('--type <type>', VIOLATION_TYPES.join(', '))
    .option('--json', 'print JSON')
    .action(
      action(async (options: { person?: string; type?: string; json?: boolean }) => {
        const list = await withStore(global(), (store) => listViolations(store, options));
        if (options.json) return printJson(list);
        for (const v of list) {
          process.stdout.write(`#${v.id}  ${(v.date ?? '?').padEnd(10)} ${v.person.padEnd(14)} ${v.type}${v.facility ? ` at ${v.facility}` : ''}  (${v.officials.length} officials, ${v.sources.length} sources, ${v.confidentiality})\n`);
        }
      }),
    );
  violations
    .command('add')
    .description('record a violation (restricted unless --level says otherwise)')
    .argument('<person>', 'external id of the person')
    .requiredOption('--type <type>', VIOLATION_TYPES.join(', '))
    .option('--date <date>', 'when it happened or began (YYYY, YYYY-MM or YYYY-MM-DD)')
    .option('--end-date <date>', 'when it ended (incommunicado detention, forced labour)')
    .option('--facility <name>', 'where (a facility in the registry)')
    .option('--case <id>', "the person's case it belongs to")
    .option('--event <id>', "the person's event it belongs to")
    .option('--official <id>', 'an official involved (repeat for more)', collect, [])
    .option('--source <id>', 'a source it is known from (repeat for more)', collect, [])
    .option('--description <text>', 'what happened')
    .option('--level <level>', LEVELS.join(', '), 'restricted')
    .option('--reason <text>', 'where it is known from', 'recorded with vigil violations add')
    .option('--json', 'print JSON')
    .action(
      action(async (reference: string, options: {
        type: string; date?: string; endDate?: string; facility?: string; case?: string; event?: string; official: string[]; source: string[];
        description?: string; level: string; reason: string; json?: boolean;
      }) => {
        const created = await withStore(global(), async (store) => createViolation(store, {
          person_id: (await findPerson(store, reference)).id, type: oneOf('--type', options.type, VIOLATION_TYPES), date: options.date ?? null, end_date: options.endDate ?? null,
          facility_id: await facilityIdByName(store.db, '--facility', options.facility ?? null),
          case_id: options.case === undefined ? null : idOf('--case', options.case), event_id: options.event === undefined ? null : idOf('--event', options.event),
          description: options.description ?? null, confidentiality: oneOf('--level', options.level, LEVELS),
          official_ids: options.official.map((id) => idOf('--official', id)), source_ids: options.source.map((id) => idOf('--source', id)),
        }, { actor: actor(), reason: options.reason }));
        if (options.json) return printJson(created);
        process.stdout.write(`violation #${created.id} recorded for ${reference} (${created.type}, ${created.confidentiality})\n`);
      }),
    );
}
