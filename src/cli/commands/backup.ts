import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { backupStore, restoreStore } from '../../features/backup/backup.service.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';

interface KeyOptions {
  keyFromEnv?: string;
  json?: boolean;
}

/** The backup passphrase: from the variable named by --key-from-env, else VIGIL_DATABASE_KEY; never printed. */
function backupKey(options: KeyOptions): string | undefined {
  if (options.keyFromEnv === undefined) return process.env.VIGIL_DATABASE_KEY || undefined;
  const key = process.env[options.keyFromEnv];
  if (!key) throw new VigilError('usage', `--key-from-env ${options.keyFromEnv}: that environment variable is not set or empty`);
  return key;
}

const KEY_OPTION = ['--key-from-env <name>', 'take the backup key from this environment variable instead of VIGIL_DATABASE_KEY'] as const;

export function register(program: Command, global: () => GlobalOptions): void {
  program
    .command('backup')
    .description('write a consistent backup of the whole store to FILE while it stays in use; encrypted when VIGIL_DATABASE_KEY (or --key-from-env) gives a key')
    .argument('<file>', 'the backup file (replaced only once the backup is complete)')
    .option(...KEY_OPTION)
    .option('--json', 'print JSON: file, encrypted, bytes, tables, rows')
    .action(
      action(async (file: string, options: KeyOptions) => {
        const passphrase = backupKey(options);
        const report = await withStore(global(), (store) => backupStore(store, file, { actor: actor(), passphrase }));
        if (options.json) return printJson(report);
        const sealed = report.encrypted ? 'encrypted' : 'NOT encrypted (set VIGIL_DATABASE_KEY to encrypt)';
        process.stdout.write(`backup written to ${file}: ${report.rows} rows in ${report.tables.length} tables, ${sealed}\n`);
      }),
    );

  program
    .command('restore')
    .description('restore a backup made by "vigil backup" into the configured database, which must be empty')
    .argument('<file>', 'the backup file')
    .option(...KEY_OPTION)
    .option('--json', 'print JSON: file, encrypted, source, created_at, tables, rows, audit')
    .action(
      action(async (file: string, options: KeyOptions) => {
        const passphrase = backupKey(options);
        const report = await withStore(global(), (store) => restoreStore(store, file, { passphrase }));
        if (options.json) printJson(report);
        const restored = `restored ${report.rows} rows in ${report.tables.length} tables from ${file} (a ${report.source} backup of ${report.created_at})`;
        if (!report.audit.ok) {
          const { seq, problem } = report.audit.firstBroken;
          process.stderr.write(`vigil: ${restored}, but its audit trail is broken at entry ${seq}: ${problem}\n`);
          process.exitCode = 1;
        } else if (!options.json) {
          process.stdout.write(`${restored}; audit trail intact: ${report.audit.entries} entries\n`);
        }
      }),
    );
}
