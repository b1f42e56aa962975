/** `vigil letters`: log letters sent to a prisoner and replies received; how many per person. */
import type { Command } from 'commander';
import { LETTER_DIRECTIONS } from '../../domain/casework.js';
import { today } from '../../domain/partial-date.js';
import { letterCounts, logLetter } from '../../features/casework/letters.service.js';
import { findPerson } from '../../features/persons/person.service.js';
import type { Store } from '../../store/connection.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';
import { oneOf } from '../options.js';

async function countsFor(store: Store, reference: string | undefined): Promise<{ person: string; sent: number; replies: number }[]> {
  if (reference !== undefined) {
    const person = await findPerson(store, reference);
    const counts = (await letterCounts(store.db, [person.id])).get(person.id) ?? { sent: 0, replies: 0 };
    return [{ person: person.external_id, ...counts }];
  }
  const written = await store.db.selectFrom('letter').innerJoin('person', 'person.id', 'letter.person_id').select(['person.id', 'person.merged_into']).distinct().execute();
  const owners = [...new Set(written.map((row) => row.merged_into ?? row.id))];
  const counts = await letterCounts(store.db, owners);
  const ids = new Map((await store.db.selectFrom('person').select(['id', 'external_id']).where('id', 'in', owners.length ? owners : [0]).execute()).map((row) => [row.id, row.external_id]));
  return owners.map((id) => ({ person: ids.get(id)!, ...(counts.get(id) ?? { sent: 0, replies: 0 }) })).sort((a, b) => a.person.localeCompare(b.person));
}

export function register(program: Command, global: () => GlobalOptions): void {
  const letters = program.command('letters').description('the letters log: letters sent to political prisoners and replies (only the counts are public)');
  letters
    .command('log')
    .description('log a letter sent to a person, or a reply from them')
    .argument('<person>', 'external id of the person')
    .requiredOption('--direction <direction>', 'sent or reply')
    .option('--date <date>', 'when (YYYY, YYYY-MM or YYYY-MM-DD); default today')
    .option('--note <text>', 'internal note (never public)')
    .option('--json', 'print JSON')
    .action(
      action(async (reference: string, options: { direction: string; date?: string; note?: string; json?: boolean }) => {
        const direction = oneOf('--direction', options.direction, LETTER_DIRECTIONS);
        const logged = await withStore(global(), async (store) => {
          const person = await findPerson(store, reference);
          return logLetter(store, { person_id: person.id, direction, date: options.date ?? today(), note: options.note ?? null }, { actor: actor(), reason: 'logged with vigil letters log' });
        });
        if (options.json) return printJson(logged);
        process.stdout.write(`letter #${logged.id} logged: ${logged.direction} ${logged.date} (${reference})\n`);
      }),
    );
  letters
    .command('counts')
    .description('letters sent and replies received, for one person or everyone with letters')
    .argument('[person]', 'external id of the person')
    .option('--json', 'print JSON')
    .action(
      action(async (reference: string | undefined, options: { json?: boolean }) => {
        const counts = await withStore(global(), (store) => countsFor(store, reference));
        if (options.json) return printJson(reference === undefined ? counts : counts[0]);
        for (const c of counts) process.stdout.write(`${c.person.padEnd(14)} ${String(c.sent).padStart(5)} sent ${String(c.replies).padStart(5)} replies\n`);
      }),
    );
}
