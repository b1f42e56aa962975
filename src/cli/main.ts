/** The `vigil` command. Each command lives in its own file under commands/. */
import { Command } from 'commander';
import { register as registerAudit } from './commands/audit.js';
import { register as registerBackup } from './commands/backup.js';
import { register as registerDeals } from './commands/deals.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerDuplicates } from './commands/duplicates.js';
import { register as registerExport } from './commands/export.js';
import { register as registerImport } from './commands/import.js';
import { register as registerPerson } from './commands/person.js';
import { register as registerRekey } from './commands/rekey.js';
import { register as registerSearch } from './commands/search.js';
import { register as registerSource } from './commands/source.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerStats } from './commands/stats.js';
import { register as registerToken } from './commands/token.js';
import { register as registerUser } from './commands/user.js';
import { register as registerCasework } from './commands/casework.js';
import { register as registerLetters } from './commands/letters.js';
import { register as registerOfficials } from './commands/officials.js';
import { register as registerViolations } from './commands/violations.js';
import { register as registerReport } from './commands/report.js';
import type { GlobalOptions } from './context.js';

const program = new Command()
  .name('vigil')
  .description('Vigil: a registry of political prisoners (people, cases, events, counts, name search)')
  .option('--database <location>', 'SQLite file path or postgres:// URL (default VIGIL_DATABASE or ./data/vigil.sqlite)')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (text) => process.stderr.write(text.startsWith('error:') ? `vigil: ${text}` : text) });

const global = (): GlobalOptions => program.opts<GlobalOptions>();
for (const register of [registerServe, registerImport, registerStats, registerSearch, registerExport, registerPerson, registerDuplicates, registerDeals, registerDemo, registerAudit, registerBackup, registerUser, registerToken, registerRekey, registerSource]) {
  register(program, global);
}

// Casework, letters and accountability (issue 8).
for (const register of [registerCasework, registerLetters, registerOfficials, registerViolations, registerReport]) register(program, global);

await program.parseAsync(process.argv);
