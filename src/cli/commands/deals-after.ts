/**
 * `vigil deals after set|show|history`: life after release (domain/after-release.ts). `set` creates the
 * record of a person (for one deal, or in general) or changes the fields given; "none" clears a field.
 * Reading restricted fields is written to the audit trail, as it is through the API.
 */
import type { Command } from 'commander';
import { OPERATOR } from '../../domain/policy.js';
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { historyOf } from '../../store/history.repository.js';
import { afterReleaseOf, afterReleaseSubject, createAfterRelease, editAfterRelease, findAfterRelease, type AfterReleaseRecord } from '../../features/releases/after-release.service.js';
import { presentAfterRelease } from '../../features/releases/after-release.presenter.js';
import { findPerson } from '../../features/persons/person.service.js';
import { AfterReleaseCreate, AfterReleaseUpdate } from '../../web/api/after-release.routes.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';
import { auditCliReads, checked, listOption } from './deal-input.js';

interface SetOptions {
  deal?: string;
  country?: string;
  reunited?: string;
  needs?: string;
  needsText?: string;
  passport?: string;
  note?: string;
  level?: string;
  fieldLevel?: string[];
  reason?: string;
  json?: boolean;
}

const orNull = (value: string | undefined) => (value === undefined ? undefined : value.trim() === 'none' ? null : value);

function fieldLevels(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  return Object.fromEntries(pairs.map((pair) => {
    const [field, level, ...rest] = pair.split('=');
    if (!field || !level || rest.length) throw errors.validation(`field-level: "${pair}" must look like needs=internal`);
    return [field.trim(), level.trim()];
  }));
}

/** The fields given on the command line; undefined: leave as it is. */
function changesOf(options: SetOptions) {
  const given = {
    country: orNull(options.country), reunited_on: orNull(options.reunited), needs: listOption(options.needs), needs_text: orNull(options.needsText),
    passport_withheld: options.passport, note: orNull(options.note), confidentiality: options.level, field_levels: fieldLevels(options.fieldLevel),
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}

async function setAfterRelease(store: Store, person: string, options: SetOptions): Promise<AfterReleaseRecord> {
  const context = { actor: actor(), reason: options.reason ?? '' };
  const subject = await afterReleaseSubject(store.db, person, options.deal ?? null);
  let query = store.db.selectFrom('after_release').select(['id', 'version']).where('person_id', '=', subject.person_id);
  query = subject.deal_id === null ? query.where('deal_id', 'is', null) : query.where('deal_id', '=', subject.deal_id);
  const existing = await query.executeTakeFirst();
  if (!existing) {
    const { change_reason, ...input } = checked(AfterReleaseCreate, { person, deal: options.deal ?? null, ...changesOf(options), change_reason: context.reason }, 'after-release');
    return createAfterRelease(store, input, context);
  }
  const { version, change_reason, ...changes } = checked(AfterReleaseUpdate, { ...changesOf(options), version: existing.version, change_reason: context.reason }, 'after-release');
  return editAfterRelease(store, existing.id, version, changes, { ...context, reason: change_reason });
}

async function shown(store: Store, records: readonly AfterReleaseRecord[]) {
  const presented = await presentAfterRelease(store.db, OPERATOR, records);
  await auditCliReads(store, records.map((record, i) => ({ entity: 'after_release', id: record.id, fields: presented[i]!.restricted })));
  return presented.map((p) => p.view!);
}

function printRecord(view: Awaited<ReturnType<typeof shown>>[number]): void {
  const line = (label: string, value: unknown) => process.stdout.write(`  ${label.padEnd(18)} ${value === null || value === undefined || value === '' ? '—' : String(value)}\n`);
  process.stdout.write(`record ${view.id} · ${view.person} · ${view.deal ? `deal ${view.deal}` : 'in general'} · version ${view.version} · ${view.confidentiality}\n`);
  line('country', view.country);
  line('reunited on', view.reunited_on);
  line('needs', view.needs?.join(', '));
  line('needs (text)', view.needs_text);
  line('passport withheld', view.passport_withheld);
  line('note', view.note);
  const levels = Object.entries(view.field_levels).map(([field, level]) => `${field}=${level}`).join(', ');
  line('field levels', levels);
}

export function registerAfterRelease(deals: Command, global: () => GlobalOptions): void {
  const after = deals.command('after').description('life after release: country of residence, family reunion, needs, passport (never public)');
  after
    .command('set')
    .description('create or change the after-release record of a person (for one deal with --deal, otherwise in general)')
    .argument('<person>', 'external id')
    .option('--deal <slug>', 'the deal the person was freed by')
    .option('--country <code>', 'country of residence, ISO two-letter code ("none" clears)')
    .option('--reunited <date>', 'reunited with family on (YYYY, YYYY-MM or YYYY-MM-DD; "none" clears)')
    .option('--needs <kinds>', 'comma-separated: medical, psychological, housing, legal, documents, financial, employment, education, family_reunion, other ("none" clears)')
    .option('--needs-text <text>', 'needs in words (restricted by default)')
    .option('--passport <state>', 'passport withheld: yes, no or unknown')
    .option('--note <text>', 'a note (restricted by default)')
    .option('--level <level>', 'the record as a whole: internal (default) or restricted')
    .option('--field-level <field=level>', 'the level of one field, e.g. country=restricted (repeatable)', (value: string, all: string[] = []) => [...all, value])
    .option('--reason <text>', 'where the information comes from (required when changing a record)')
    .option('--json', 'print the record as JSON')
    .action(
      action(async (person: string, options: SetOptions) => {
        const view = await withStore(global(), async (store) => (await shown(store, [await setAfterRelease(store, person, options)]))[0]!);
        if (options.json) return printJson(view);
        printRecord(view);
      }),
    );
  after
    .command('show')
    .description("a person's after-release records")
    .argument('<person>', 'external id')
    .option('--json', 'print a JSON array')
    .action(
      action(async (person: string, options: { json?: boolean }) => {
        const views = await withStore(global(), async (store) => shown(store, await afterReleaseOf(store, (await findPerson(store, person)).id)));
        if (options.json) return printJson(views);
        if (views.length === 0) process.stdout.write(`no after-release record for ${person}\n`);
        for (const view of views) printRecord(view);
      }),
    );
  after
    .command('history')
    .description('every version of an after-release record: who, when, before, after, why')
    .argument('<id>', 'record id')
    .option('--json', 'print JSON')
    .action(
      action(async (id: string, options: { json?: boolean }) => {
        if (!/^\d+$/.test(id)) throw errors.validation(`id: "${id}" is not a record id (a number)`);
        const history = await withStore(global(), async (store) => {
          const record = await findAfterRelease(store, Number(id));
          const entries = await historyOf(store.db, 'after_release', record.id);
          const restricted: string[] = [];
          const items = [];
          for (const entry of entries) {
            const snapshots = [entry.before, entry.after].filter((s) => s !== null) as AfterReleaseRecord[];
            restricted.push(...(await presentAfterRelease(store.db, OPERATOR, snapshots)).flatMap((p) => p.restricted));
            items.push(entry);
          }
          await auditCliReads(store, [{ entity: 'after_release', id: record.id, fields: restricted }]);
          return items;
        });
        if (options.json) return printJson(history);
        for (const h of history) process.stdout.write(`v${h.version}  ${h.at}  ${h.action}  by ${h.actor}${h.reason ? ` (${h.reason})` : ''}\n`);
      }),
    );
}
