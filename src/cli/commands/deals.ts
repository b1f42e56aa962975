/**
 * `vigil deals`: negotiated releases — create, list and show deals, the people named in them, reconcile
 * a published list and record its releases, the reports and the timeline (deals-report.ts), life after
 * release (deals-after.ts). Input is checked with the same schemas as the API.
 */
import type { Command } from 'commander';
import { DEAL_OUTCOMES, type DealOutcome } from '../../domain/release-deal.js';
import { OPERATOR } from '../../domain/policy.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { reconcileLines } from '../../features/releases/reconcile.service.js';
import { recordDealOutcomes } from '../../features/releases/record-outcomes.service.js';
import { createDeal, dealPage, editDeal, type DealRecord } from '../../features/releases/deal.service.js';
import { presentDeals } from '../../features/releases/deal.presenter.js';
import { personsByIds } from '../../store/person.repository.js';
import { displayName } from '../../features/search/search.service.js';
import { DealCreate } from '../../web/api/schemas.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';
import { auditCliReads, checked, dealByReference, listOption, readJson, readList } from './deal-input.js';
import { registerReports } from './deals-report.js';
import { registerAfterRelease } from './deals-after.js';

interface CreateOptions {
  file?: string;
  slug?: string;
  date?: string;
  facilitator?: string;
  envoy?: string;
  counterpart?: string;
  destinations?: string;
  conditions?: string;
  summary?: string;
  level?: string;
  reason?: string;
  json?: boolean;
}

/** The deal from a JSON file (the API's create body), with flags given on the command line taking precedence. */
async function dealInput(options: CreateOptions) {
  const base = options.file ? ((await readJson(options.file)) as Record<string, unknown>) : {};
  if (typeof base !== 'object' || base === null || Array.isArray(base)) throw errors.validation(`${options.file}: the file must hold one JSON object (a deal)`);
  const flags = {
    slug: options.slug, date: options.date, facilitator: options.facilitator, envoy: options.envoy, counterpart: options.counterpart,
    destinations: listOption(options.destinations), conditions: listOption(options.conditions), summary: options.summary, confidentiality: options.level,
    change_reason: options.reason,
  };
  const merged = { ...base, ...Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined)) };
  return checked(DealCreate, merged, options.file ?? 'deal');
}

/** The deal as the operator sees it, with people named and measures described; restricted reads audited. */
async function dealView(store: Store, deal: DealRecord) {
  const [shown] = await presentDeals(store.db, OPERATOR, [deal]);
  await auditCliReads(store, [{ entity: 'deal', id: deal.id, fields: shown!.restricted }]);
  const people = new Map((await personsByIds(store.db, deal.people.map((p) => p.person_id))).map((p) => [p.id, p]));
  const ids = deal.concessions.map((c) => c.measure_id);
  const measures = new Map(ids.length ? (await store.db.selectFrom('sanction_measure').selectAll().where('id', 'in', ids).execute()).map((m) => [m.id, m]) : []);
  const freed = await store.db.selectFrom('event').select(['person_id', 'type', 'date', 'country']).where('deal_id', '=', deal.id).where('type', 'in', ['released', 'expelled']).orderBy('id').execute();
  return {
    ...shown!.view!,
    people: shown!.view!.people.map((p) => {
      const event = freed.filter((e) => e.person_id === p.person_id).at(-1);
      return { ...p, name: displayName(people.get(p.person_id)?.names ?? []), recorded: event ? { type: event.type, date: event.date, country: event.country } : null };
    }),
    concessions: deal.concessions.map((c) => ({ ...c, issuer: measures.get(c.measure_id)?.issuer ?? null, target: measures.get(c.measure_id)?.target ?? null })),
  };
}

function printDeal(view: Awaited<ReturnType<typeof dealView>>): void {
  const line = (label: string, value: string | null | undefined) => process.stdout.write(`  ${label.padEnd(13)} ${value || '—'}\n`);
  process.stdout.write(`${view.slug} (id ${view.id}, version ${view.version}, ${view.confidentiality})\n`);
  line('date', view.date);
  line('mediated by', view.facilitator);
  line('envoy', view.envoy);
  line('other party', view.counterpart);
  line('destinations', view.destinations.join(', '));
  line('conditions', view.conditions.join(', '));
  line('summary', view.summary);
  for (const c of view.concessions) process.stdout.write(`  concession    ${c.action} ${c.issuer ?? '?'} ${c.target ?? `measure ${c.measure_id}`}\n`);
  process.stdout.write(`  people named  ${view.people.length}\n`);
}

function printPeople(view: Awaited<ReturnType<typeof dealView>>): void {
  for (const p of view.people) {
    const recorded = p.recorded ? `${p.recorded.type} ${p.recorded.date}${p.recorded.country ? ` to ${p.recorded.country}` : ''}` : 'no release recorded';
    process.stdout.write(`${p.person.padEnd(14)} ${p.outcome.padEnd(19)} ${recorded.padEnd(28)} ${p.name}${p.note ? `  (${p.note})` : ''}\n`);
  }
  process.stdout.write(`${view.people.length} people named in ${view.slug}\n`);
}

function registerRecords(deals: Command, global: () => GlobalOptions): void {
  deals
    .command('create')
    .description('create a deal from flags or from a JSON file (the body of POST /api/v1/deals: people, concessions too)')
    .option('--file <file>', 'JSON file with the deal; flags given as well override its fields')
    .option('--slug <slug>', 'lower-case words joined by hyphens, e.g. 2025-09-vilnius')
    .option('--date <date>', 'YYYY, YYYY-MM or YYYY-MM-DD')
    .option('--facilitator <text>', 'the facilitating government')
    .option('--envoy <text>')
    .option('--counterpart <text>')
    .option('--destinations <codes>', 'ISO country codes, comma-separated (LT,UA)')
    .option('--conditions <list>', 'forced_expulsion, passport_withheld, family_reunion_delayed, pardon_petition_required, other; comma-separated')
    .option('--summary <text>')
    .option('--level <level>', 'public, internal or restricted (default internal)')
    .option('--reason <text>', 'where the information comes from')
    .option('--json', 'print the deal as JSON')
    .action(
      action(async (options: CreateOptions) => {
        const input = await dealInput(options);
        const { change_reason, ...deal } = input;
        const view = await withStore(global(), async (store) => dealView(store, await createDeal(store, deal, { actor: actor(), reason: change_reason })));
        if (options.json) return printJson(view);
        printDeal(view);
      }),
    );
  deals
    .command('list')
    .description('every deal, oldest first, with its counts of people named')
    .option('--from <date>', 'deals on or after this date')
    .option('--to <date>', 'deals on or before this date')
    .option('--facilitator <text>', 'only deals mediated by')
    .option('--json', 'print a JSON array')
    .action(
      action(async (options: { from?: string; to?: string; facilitator?: string; json?: boolean }) => {
        const all = await withStore(global(), async (store) => {
          const found: DealRecord[] = [];
          for (let after = 0; ; ) {
            const page = await dealPage(store, { after, limit: 200 }, options);
            found.push(...page);
            if (page.length < 200) break;
            after = page.at(-1)!.id;
          }
          const shown = await presentDeals(store.db, OPERATOR, found);
          await auditCliReads(store, found.map((deal, i) => ({ entity: 'deal', id: deal.id, fields: shown[i]!.restricted })));
          return shown.map((s) => s.view!).sort((a, b) => a.date.localeCompare(b.date) || a.slug.localeCompare(b.slug));
        });
        if (options.json) return printJson(all);
        for (const d of all) process.stdout.write(`${d.date.padEnd(10)}  ${d.slug.padEnd(28)} ${(d.facilitator ?? '—').padEnd(20)} ${String(d.people.length).padStart(5)} named  ${d.confidentiality}\n`);
        process.stdout.write(`${all.length} deals\n`);
      }),
    );
  deals
    .command('show')
    .description('one deal: facts, concessions, how many people are named')
    .argument('<deal>', 'slug or id')
    .option('--json', 'print JSON (with the people named and the sanction measures)')
    .action(
      action(async (reference: string, options: { json?: boolean }) => {
        const view = await withStore(global(), async (store) => dealView(store, await dealByReference(store, reference)));
        if (options.json) return printJson(view);
        printDeal(view);
      }),
    );
  deals
    .command('people')
    .description('the people named in a deal, what became of each, and the release recorded; --add/--remove change the list')
    .argument('<deal>', 'slug or id')
    .option('--add <ids>', 'external ids to name in the deal, comma-separated (with --outcome)')
    .option('--outcome <outcome>', `for --add: ${DEAL_OUTCOMES.join(', ')}`, 'asked_not_released')
    .option('--note <text>', 'for --add: a note on each person added')
    .option('--remove <ids>', 'external ids to take off the list, comma-separated')
    .option('--reason <text>', 'why the list changes (required with --add or --remove)')
    .option('--json', 'print JSON')
    .action(
      action(async (reference: string, options: { add?: string; outcome: string; note?: string; remove?: string; reason?: string; json?: boolean }) => {
        const add = listOption(options.add) ?? [];
        const remove = listOption(options.remove) ?? [];
        if (add.length && !(DEAL_OUTCOMES as readonly string[]).includes(options.outcome)) throw errors.validation(`outcome: "${options.outcome}" must be one of ${DEAL_OUTCOMES.join(', ')}`);
        const view = await withStore(global(), async (store) => {
          let deal = await dealByReference(store, reference);
          if (add.length || remove.length) deal = await changePeople(store, deal, add, remove, options.outcome as DealOutcome, options.note ?? null, options.reason ?? '');
          return dealView(store, deal);
        });
        if (options.json) return printJson(view.people);
        printPeople(view);
      }),
    );
}

async function changePeople(store: Store, deal: DealRecord, add: string[], remove: string[], outcome: DealOutcome, note: string | null, reason: string): Promise<DealRecord> {
  const people = await personsByIds(store.db, deal.people.map((p) => p.person_id));
  const externalOf = new Map(people.map((p) => [p.id, p.external_id]));
  const current = deal.people.map((p) => ({ person: externalOf.get(p.person_id)!, outcome: p.outcome, note: p.note }));
  const missing = remove.find((id) => !current.some((p) => p.person === id));
  if (missing) throw errors.validation(`remove: ${missing} is not named in ${deal.slug}`);
  const kept = current.filter((p) => !remove.includes(p.person) && !add.includes(p.person));
  const next = [...kept, ...add.map((person) => ({ person, outcome, note }))];
  return editDeal(store, deal.id, deal.version, { people: next }, { actor: actor(), reason });
}

function registerReconcile(deals: Command, global: () => GlobalOptions): void {
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
    .option('--level <level>', "level of the events recorded (default: the deal's level)")
    .option('--reason <text>', 'why (default: the list file name)')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (deal: string, file: string, options: { as: string; country?: string; date?: string; level?: string; reason?: string; json?: boolean }) => {
        if (options.level !== undefined && !['public', 'internal', 'restricted'].includes(options.level)) throw errors.validation(`level: "${options.level}" must be public, internal or restricted`);
        const lines = await readList(file);
        const report = await withStore(global(), async (store) => {
          const entries = await reconcileLines(store, lines);
          return recordDealOutcomes(store, deal, entries, { as: options.as as 'released', country: options.country, date: options.date, level: options.level as 'internal' | undefined }, { actor: actor(), reason: options.reason ?? `reconciled list ${file}` });
        });
        if (options.json) return printJson(report);
        process.stdout.write(`${report.recorded.length} recorded as ${options.as}, ${report.already_recorded.length} already recorded, ${report.needs_decision.length} lines need a person to decide\n`);
        for (const line of report.needs_decision) process.stdout.write(`  line ${line.line}: ${line.text}  (${line.status}${line.reason ? `: ${line.reason}` : ''})\n`);
      }),
    );
}

export function register(program: Command, global: () => GlobalOptions): void {
  const deals = program.command('deals').description('negotiated releases: deals, lists, reports, timeline, life after release');
  registerRecords(deals, global);
  registerReconcile(deals, global);
  registerReports(deals, global);
  registerAfterRelease(deals, global);
}
