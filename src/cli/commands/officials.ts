/** `vigil officials`: judges, prosecutors, investigators and heads of facilities, and their part in cases and events. */
import type { Command } from 'commander';
import { INSTITUTION_KINDS, OFFICIAL_ROLES } from '../../domain/casework.js';
import { LEVELS } from '../../domain/confidentiality.js';
import { OPERATOR } from '../../domain/policy.js';
import { presentOfficials } from '../../features/accountability/accountability.presenter.js';
import { createOfficial, facilityIdByName, findOfficial, linkOfficial, officialPage } from '../../features/accountability/officials.service.js';
import type { Store } from '../../store/connection.js';
import { errors } from '../../errors.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';
import { idOf, oneOf } from '../options.js';
import { auditCliReads } from '../restricted-reads.js';
import { everyPage } from '../pages.js';

async function listOfficials(store: Store, role: string | undefined) {
  const officials = await everyPage((page) => officialPage(store, page, { role }));
  const presented = await presentOfficials(store.db, OPERATOR, officials);
  await auditCliReads(store, presented.map((p, i) => ({ entity: 'official', id: officials[i]!.id, fields: p.restricted })));
  return presented.flatMap((p) => (p.view ? [p.view] : []));
}

export function register(program: Command, global: () => GlobalOptions): void {
  const officials = program.command('officials').description('officials (judges, prosecutors, investigators, facility heads) and their part in cases and events');
  officials
    .command('list')
    .option('--role <role>', OFFICIAL_ROLES.join(', '))
    .option('--json', 'print JSON')
    .action(
      action(async (options: { role?: string; json?: boolean }) => {
        const role = options.role === undefined ? undefined : oneOf('--role', options.role, OFFICIAL_ROLES);
        const list = await withStore(global(), (store) => listOfficials(store, role));
        if (options.json) return printJson(list);
        for (const o of list) process.stdout.write(`#${o.id}  ${o.name}  ${o.role}${o.institution ? `, ${o.institution}` : ''}${o.facility ? `, ${o.facility}` : ''}  (${o.links.length} links, ${o.confidentiality})\n`);
      }),
    );
  officials
    .command('add')
    .description('add an official')
    .argument('<name>', 'as written in court papers, e.g. "Иванов Иван Иванович"')
    .requiredOption('--role <role>', OFFICIAL_ROLES.join(', '))
    .option('--institution <name>', "the court, prosecutor's office, investigative body or facility")
    .option('--institution-kind <kind>', INSTITUTION_KINDS.join(', '), 'other')
    .option('--facility <name>', 'the place of detention they run or work at (a facility in the registry)')
    .option('--name-latin <name>', 'a Latin spelling')
    .option('--level <level>', LEVELS.join(', '), 'internal')
    .option('--reason <text>', 'where it is known from', 'added with vigil officials add')
    .option('--json', 'print JSON')
    .action(
      action(async (name: string, options: { role: string; institution?: string; institutionKind: string; facility?: string; nameLatin?: string; level: string; reason: string; json?: boolean }) => {
        const created = await withStore(global(), async (store) => createOfficial(store, {
          name, name_latin: options.nameLatin ?? null, role: oneOf('--role', options.role, OFFICIAL_ROLES), institution: options.institution ?? null,
          institution_kind: oneOf('--institution-kind', options.institutionKind, INSTITUTION_KINDS), facility_id: await facilityIdByName(store.db, '--facility', options.facility ?? null),
          note: null, confidentiality: oneOf('--level', options.level, LEVELS), links: [],
        }, { actor: actor(), reason: options.reason }));
        if (options.json) return printJson(created);
        process.stdout.write(`official #${created.id} added: ${created.name} (${created.role})\n`);
      }),
    );
  officials
    .command('link')
    .description('record the part an official played in a case or an event')
    .argument('<official>', 'id of the official')
    .option('--case <id>', 'id of the case')
    .option('--event <id>', 'id of the event')
    .requiredOption('--role <role>', `the part played: ${OFFICIAL_ROLES.join(', ')}`)
    .option('--reason <text>', 'where it is known from', 'linked with vigil officials link')
    .option('--json', 'print JSON')
    .action(
      action(async (id: string, options: { case?: string; event?: string; role: string; reason: string; json?: boolean }) => {
        if ((options.case === undefined) === (options.event === undefined)) throw errors.validation('give either --case or --event (one of them)');
        const link = options.case !== undefined ? { entity: 'case' as const, entity_id: idOf('--case', options.case) } : { entity: 'event' as const, entity_id: idOf('--event', options.event!) };
        const role = oneOf('--role', options.role, OFFICIAL_ROLES);
        const linked = await withStore(global(), async (store) => {
          const current = await findOfficial(store, idOf('official', id));
          return linkOfficial(store, current.id, current.version, { ...link, role }, { actor: actor(), reason: options.reason });
        });
        if (options.json) return printJson(linked);
        process.stdout.write(`official #${linked.id} linked to ${link.entity} ${link.entity_id} as ${role}\n`);
      }),
    );
}
