import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { loadDemoIfEmpty } from '../../features/demo/demo.service.js';
import { action, withStore, type GlobalOptions } from '../context.js';

export function register(program: Command, global: () => GlobalOptions): void {
  program
    .command('demo')
    .description('load the FICTIONAL demo dataset (about 1,500 made-up people) into an empty store')
    .action(
      action(async () => {
        const loaded = await withStore(global(), (store) => loadDemoIfEmpty(store, (line) => process.stderr.write(`${line}\n`)));
        if (!loaded) throw new VigilError('store_not_empty', 'the store already holds people; the demo loads only into an empty store (use another --database)');
      }),
    );
}
