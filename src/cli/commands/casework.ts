/** `vigil casework`: family assistance cases — list, add, aid given, follow-ups, reminders due. */
import type { Command } from 'commander';
import { CASE_STATUSES, NEED_KINDS, type CaseworkLevel } from '../../domain/casework.js';
import { OPERATOR } from '../../domain/policy.js';
import { today } from '../../domain/partial-date.js';
import { errors } from '../../errors.js';
import {
  assistanceCasePage, createAid, createAssistanceCase, createFollowUp, editFollowUp, findFollowUp, followUpsDue, type FamilyContact,
} from '../../features/casework/assistance.service.js';
import { presentAssistanceCases, presentCaseParts } from '../../features/casework/casework.presenter.js';
import { findPerson } from '../../features/persons/person.service.js';
import type { Store } from '../../store/connection.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';
import { collect, dayOf, idOf, listOf, oneOf } from '../options.js';
import { auditCliReads } from '../restricted-reads.js';
import { everyPage } from '../pages.js';

const CONTACT_KEYS = ['name', 'relation', 'phone', 'email', 'address', 'note'] as const;

/** "name=Анна Іванова;relation=mother;phone=+375..." → a family contact; unknown keys are an error. */
export function parseContact(text: string): FamilyContact {
  const contact: FamilyContact = { name: '', relation: null, phone: null, email: null, address: null, note: null };
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = oneOf('--contact', eq > 0 ? part.slice(0, eq).trim() : part, CONTACT_KEYS);
    contact[key] = part.slice(eq + 1).trim();
  }
  if (!contact.name) throw errors.validation(`--contact: "${text}" has no name= part`);
  return contact;
}

async function listCases(store: Store, options: { person?: string; status?: string }) {
  const personId = options.person === undefined ? undefined : (await findPerson(store, options.person)).id;
  const status = options.status === undefined ? undefined : oneOf('--status', options.status, CASE_STATUSES);
  const cases = await everyPage((page) => assistanceCasePage(store, page, { personId, status }));
  const presented = await presentAssistanceCases(store.db, OPERATOR, cases);
  await auditCliReads(store, presented.map((p, i) => ({ entity: 'assistance_case', id: cases[i]!.id, fields: p.restricted })));
  return presented.flatMap((p) => (p.view ? [p.view] : []));
}

function registerList(casework: Command, global: () => GlobalOptions): void {
  casework
    .command('list')
    .description('assistance cases (restricted: reading them is written to the audit trail)')
    .option('--person <id>', 'only this person (external id)')
    .option('--status <status>', `only this status (${CASE_STATUSES.join(', ')})`)
    .option('--json', 'print JSON')
    .action(
      action(async (options: { person?: string; status?: string; json?: boolean }) => {
        const cases = await withStore(global(), (store) => listCases(store, options));
        if (options.json) return printJson(cases);
        for (const c of cases) {
          process.stdout.write(`#${c.id}  ${c.person.padEnd(14)} ${c.status.padEnd(8)} ${c.needs.join(',') || '-'}  (${c.family_contacts?.length ?? 0} contacts, ${c.confidentiality})${c.summary ? `  ${c.summary}` : ''}\n`);
        }
        process.stdout.write(`${cases.length} assistance case(s)\n`);
      }),
    );
}

function registerAdd(casework: Command, global: () => GlobalOptions): void {
  casework
    .command('add')
    .description('open an assistance case for a person (restricted unless --internal)')
    .argument('<person>', 'external id of the person')
    .option('--needs <list>', `comma-separated: ${NEED_KINDS.join(', ')}`)
    .option('--contact <contact>', 'a family contact: "name=...;relation=...;phone=...;email=...;address=...;note=..." (repeat for more)', collect, [])
    .option('--summary <text>', 'what the family needs, in a few words')
    .option('--opened-on <date>', 'when the family asked (YYYY, YYYY-MM or YYYY-MM-DD)')
    .option('--internal', 'let every team member see the case (family contacts stay restricted)')
    .option('--reason <text>', 'where the request came from', 'opened with vigil casework add')
    .option('--json', 'print the case as JSON')
    .action(
      action(async (reference: string, options: { needs?: string; contact: string[]; summary?: string; openedOn?: string; internal?: boolean; reason: string; json?: boolean }) => {
        const data = {
          status: 'open' as const, needs: listOf('--needs', options.needs, NEED_KINDS), family_contacts: options.contact.map(parseContact),
          summary: options.summary ?? null, opened_on: options.openedOn ?? null, confidentiality: (options.internal ? 'internal' : 'restricted') as CaseworkLevel,
        };
        const created = await withStore(global(), async (store) => createAssistanceCase(store, { ...data, person_id: (await findPerson(store, reference)).id }, { actor: actor(), reason: options.reason }));
        if (options.json) return printJson(created);
        process.stdout.write(`assistance case #${created.id} opened for ${reference} (${created.confidentiality})\n`);
      }),
    );
}

function registerAid(casework: Command, global: () => GlobalOptions): void {
  casework
    .command('aid')
    .description('record aid given in a case')
    .argument('<case>', 'id of the assistance case')
    .requiredOption('--kind <kind>', NEED_KINDS.join(', '))
    .option('--date <date>', 'when (YYYY, YYYY-MM or YYYY-MM-DD); default today')
    .option('--amount <n>', 'amount of money, with --currency')
    .option('--currency <code>', 'ISO 4217 code (EUR, BYN, PLN, ...)')
    .option('--description <text>', 'what was given')
    .option('--reason <text>', 'why it is recorded', 'recorded with vigil casework aid')
    .option('--json', 'print JSON')
    .action(
      action(async (caseId: string, options: { kind: string; date?: string; amount?: string; currency?: string; description?: string; reason: string; json?: boolean }) => {
        if (options.amount !== undefined && !/^\d+(\.\d{1,2})?$/.test(options.amount)) throw errors.validation(`--amount: "${options.amount}" is not an amount such as 150 or 99.50`);
        const data = {
          case_id: idOf('case', caseId), date: options.date ?? today(), kind: oneOf('--kind', options.kind, NEED_KINDS),
          amount: options.amount === undefined ? null : Number(options.amount), currency: options.currency ?? null, description: options.description ?? null,
        };
        const created = await withStore(global(), (store) => createAid(store, data, { actor: actor(), reason: options.reason }));
        if (options.json) return printJson(created);
        process.stdout.write(`aid #${created.id} recorded in case #${created.case_id}\n`);
      }),
    );
}

function registerFollowUps(casework: Command, global: () => GlobalOptions): void {
  casework
    .command('follow-up')
    .description('plan a follow-up in a case (it shows in reminders from its due day)')
    .argument('<case>', 'id of the assistance case')
    .requiredOption('--due <day>', 'YYYY-MM-DD')
    .requiredOption('--action <text>', 'what is to be done')
    .option('--assignee <who>', 'who does it')
    .option('--reason <text>', 'why', 'planned with vigil casework follow-up')
    .option('--json', 'print JSON')
    .action(
      action(async (caseId: string, options: { due: string; action: string; assignee?: string; reason: string; json?: boolean }) => {
        const data = { case_id: idOf('case', caseId), due: dayOf('--due', options.due), action: options.action, assignee: options.assignee ?? null, done_on: null };
        const created = await withStore(global(), (store) => createFollowUp(store, data, { actor: actor(), reason: options.reason }));
        if (options.json) return printJson(created);
        process.stdout.write(`follow-up #${created.id} due ${created.due} in case #${created.case_id}\n`);
      }),
    );
  casework
    .command('done')
    .description('mark a follow-up done')
    .argument('<follow-up>', 'id of the follow-up')
    .option('--on <day>', 'YYYY-MM-DD; default today')
    .option('--reason <text>', 'what was done', 'done (vigil casework done)')
    .action(
      action(async (id: string, options: { on?: string; reason: string }) => {
        const done = await withStore(global(), async (store) => {
          const current = await findFollowUp(store, idOf('follow-up', id));
          return editFollowUp(store, current.id, current.version, { done_on: options.on ? dayOf('--on', options.on) : today() }, { actor: actor(), reason: options.reason });
        });
        process.stdout.write(`follow-up #${done.id} done on ${done.done_on}\n`);
      }),
    );
  casework
    .command('reminders')
    .description('follow-ups not done and due on or before a day (default today), the most overdue first')
    .option('--on <day>', 'YYYY-MM-DD; default today')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { on?: string; json?: boolean }) => {
        const day = options.on ? dayOf('--on', options.on) : today();
        const items = await withStore(global(), async (store) => {
          const due = await followUpsDue(store.db, day);
          const presented = await presentCaseParts(store.db, OPERATOR, due, 'follow_up');
          await auditCliReads(store, presented.map((p, i) => ({ entity: 'follow_up', id: due[i]!.id, fields: p.restricted })));
          return presented.flatMap((p) => (p.view ? [p.view] : []));
        });
        if (options.json) return printJson({ date: day, items });
        for (const f of items) process.stdout.write(`${f.due}  #${f.id}  case #${f.case_id} (${f.person})  ${f.action}${f.assignee ? `  [${f.assignee}]` : ''}\n`);
        process.stdout.write(`${items.length} follow-up(s) due by ${day}\n`);
      }),
    );
}

export function register(program: Command, global: () => GlobalOptions): void {
  const casework = program.command('casework').description('confidential family casework: assistance cases, aid given, follow-ups and reminders');
  registerList(casework, global);
  registerAdd(casework, global);
  registerAid(casework, global);
  registerFollowUps(casework, global);
}
