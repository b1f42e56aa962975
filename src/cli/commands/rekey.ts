import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { isPostgresUrl, openStore, rekeySqlite } from '../../store/connection.js';
import { appendAudit } from '../../features/audit/audit.service.js';
import { action, actor, databaseLocation, type GlobalOptions } from '../context.js';

export function register(program: Command, global: () => GlobalOptions): void {
  program
    .command('rekey')
    .description(
      'change the encryption key of the SQLite store (or encrypt a plaintext one): the current key comes from VIGIL_DATABASE_KEY, the new one from VIGIL_NEW_DATABASE_KEY (keys are never given on the command line, where shell history would keep them); stop vigil serve first',
    )
    .action(
      action(async () => {
        const location = databaseLocation(global());
        if (isPostgresUrl(location)) throw new VigilError('usage', 'rekey is for the SQLite store; PostgreSQL data is encrypted by the server and its disks');
        const newKey = process.env.VIGIL_NEW_DATABASE_KEY;
        if (!newKey) throw new VigilError('usage', 'set VIGIL_NEW_DATABASE_KEY to the new key (and VIGIL_DATABASE_KEY to the current one, if the store is encrypted)');
        rekeySqlite(location, process.env.VIGIL_DATABASE_KEY, newKey);
        // Reopening with the new key proves it works before anyone relies on it.
        const store = await openStore(location, { key: newKey });
        try {
          await store.db.transaction().execute((trx) => appendAudit(trx, { actor: actor(), action: 'rekey', detail: { store: location } }));
        } finally {
          await store.close();
        }
        process.stdout.write(`the key of ${location} was changed; from now on set VIGIL_DATABASE_KEY to the new key\n`);
      }),
    );
}
