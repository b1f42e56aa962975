import type { Command } from 'commander';
import { today } from '../../domain/partial-date.js';
import { monthlySeries, statsOn } from '../../features/stats/stats.service.js';
import { holdsDemoData } from '../../features/demo/demo.service.js';
import { action, printJson, withStore, type GlobalOptions } from '../context.js';

export function register(program: Command, global: () => GlobalOptions): void {
  program
    .command('stats')
    .description('counts for a date, computed from events: in custody, political prisoners, released, died in custody')
    .option('--on <date>', 'the date (YYYY-MM-DD); default today')
    .option('--monthly-from <date>', 'instead: a series at every month end from this date to --on')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { on?: string; monthlyFrom?: string; json?: boolean }) => {
        const day = options.on ?? today();
        await withStore(global(), async (store) => {
          if (options.monthlyFrom) {
            const series = await monthlySeries(store, options.monthlyFrom, day);
            if (options.json) return printJson(series);
            for (const c of series) {
              process.stdout.write(`${c.date}  in custody ${c.in_custody}  political ${c.political_prisoners}  released ${c.released_political_prisoners}  died ${c.died_in_custody}\n`);
            }
            return;
          }
          const counts = await statsOn(store, day);
          if (options.json) return printJson(counts);
          process.stdout.write(
            [
              `As of ${counts.date} (end of day):`,
              `  political prisoners           ${counts.political_prisoners}`,
              `  in custody                    ${counts.in_custody}`,
              `  released political prisoners  ${counts.released_political_prisoners}`,
              `  died in custody               ${counts.died_in_custody}`,
              ...((await holdsDemoData(store)) ? ['  (this store holds the FICTIONAL demo dataset: these numbers describe made-up people)'] : []),
              '',
            ].join('\n'),
          );
        });
      }),
    );
}
