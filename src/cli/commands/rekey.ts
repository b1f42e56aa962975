import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { isPostgresUrl, openStore, rekeySqlite } from '../../store/connection.js';
import { deriveFileKey, type FileKey } from '../../store/file-key.js';
import { appendAudit } from '../../features/audit/audit.service.js';
import { resealFiles, resealFilesIn } from '../../features/files/file-store.service.js';
import { action, actor, databaseLocation, type GlobalOptions } from '../context.js';

interface Keys {
  old: string | undefined;
  new: string;
  /** The stored-file keys derived from them. */
  from: FileKey | null;
  to: FileKey;
}

/**
 * SQLite: the stored files are re-sealed under the new key, then the file's key is changed; if that
 * fails, the files are re-sealed back. Cut short in between (a crash), the store opens with the old key
 * and running the same command again finishes the work: files already under the new key are skipped.
 */
async function rekeySqliteStore(location: string, keys: Keys): Promise<number> {
  // The schema first, with the current key: the stored files re-sealed below need their table.
  await (await openStore(location, { key: keys.old })).close();
  let files = 0;
  await rekeySqlite(location, keys.old, keys.new, {
    apply: async (db) => void (files = await resealFiles(db, keys.from, keys.to)),
    undo: async (db) => void (await resealFiles(db, keys.to, keys.from)),
  });
  // Reopening with the new key proves it works before anyone relies on it.
  const store = await openStore(location, { key: keys.new });
  try {
    await store.db.transaction().execute((trx) => appendAudit(trx, { actor: actor(), action: 'rekey', detail: { store: location, files } }));
  } finally {
    await store.close();
  }
  return files;
}

/** PostgreSQL: the server encrypts the database; Vigil seals the stored files, re-sealed here in one transaction. */
async function rekeyPostgresFiles(location: string, keys: Keys): Promise<{ files: number; description: string }> {
  const store = await openStore(location, { key: keys.old });
  try {
    const files = await store.db.transaction().execute(async (trx) => {
      const count = await resealFilesIn(trx, keys.from, keys.to);
      await appendAudit(trx, { actor: actor(), action: 'rekey', detail: { store: store.description, files: count } });
      return count;
    });
    return { files, description: store.description };
  } finally {
    await store.close();
  }
}

export function register(program: Command, global: () => GlobalOptions): void {
  program
    .command('rekey')
    .description(
      'change the store\'s key: on SQLite the file is re-encrypted, on both the stored files are re-sealed, all in one operation; the current key comes from VIGIL_DATABASE_KEY, the new one from VIGIL_NEW_DATABASE_KEY (keys are never given on the command line, where shell history would keep them); stop vigil serve first',
    )
    .action(
      action(async () => {
        const location = databaseLocation(global());
        const newKey = process.env.VIGIL_NEW_DATABASE_KEY;
        if (!newKey) throw new VigilError('usage', 'set VIGIL_NEW_DATABASE_KEY to the new key (and VIGIL_DATABASE_KEY to the current one, if the store is encrypted)');
        const oldKey = process.env.VIGIL_DATABASE_KEY || undefined;
        const keys: Keys = { old: oldKey, new: newKey, from: oldKey ? await deriveFileKey(oldKey) : null, to: await deriveFileKey(newKey) };
        if (isPostgresUrl(location)) {
          const { files, description } = await rekeyPostgresFiles(location, keys);
          process.stdout.write(
            `the ${files} stored file(s) of ${description} were re-sealed under the new key (the database itself is encrypted by the server and its disks); from now on set VIGIL_DATABASE_KEY to the new key in every process\n`,
          );
          return;
        }
        const files = await rekeySqliteStore(location, keys);
        process.stdout.write(`the key of ${location} was changed (${files} stored file(s) re-sealed); from now on set VIGIL_DATABASE_KEY to the new key\n`);
      }),
    );
}
