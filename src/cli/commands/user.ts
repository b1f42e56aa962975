import type { Command } from 'commander';
import { addUser, disableUser, listUsers, resetUser, type SetupCode } from '../../features/auth/accounts.service.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';

function explain(setup: SetupCode): void {
  process.stdout.write(
    [
      `account ${setup.email} (${setup.role}) is ready for set-up.`,
      `One-time set-up code (valid until ${setup.expires_at}; shown only now):`,
      `  ${setup.code}`,
      'Give it to the person over a safe channel. With it they choose their password and enrol an',
      'authenticator app: POST /api/v1/auth/setup/start {code}, then /api/v1/auth/setup/finish {code, password, totp}.',
      '',
    ].join('\n'),
  );
}

export function register(program: Command, global: () => GlobalOptions): void {
  const user = program.command('user').description('team accounts: add (no default password; a one-time set-up code), reset, disable, list');
  user
    .command('add')
    .argument('<email>', 'email address of the team member')
    .requiredOption('--role <role>', 'admin, editor, researcher or volunteer')
    .option('--name <name>', 'display name')
    .option('--json', 'print JSON')
    .action(
      action(async (email: string, options: { role: string; name?: string; json?: boolean }) => {
        const setup = await withStore(global(), (store) => addUser(store, email, options.role, actor(), options.name ?? null));
        if (options.json) printJson(setup);
        else explain(setup);
      }),
    );
  user
    .command('reset')
    .description('issue a new set-up code; the old password, authenticator and sessions stop working')
    .argument('<email>')
    .option('--json', 'print JSON')
    .action(
      action(async (email: string, options: { json?: boolean }) => {
        const setup = await withStore(global(), (store) => resetUser(store, email, actor()));
        if (options.json) printJson(setup);
        else explain(setup);
      }),
    );
  user
    .command('disable')
    .argument('<email>')
    .action(
      action(async (email: string) => {
        await withStore(global(), (store) => disableUser(store, email, actor()));
        process.stdout.write(`${email} is disabled and signed out everywhere\n`);
      }),
    );
  user
    .command('list')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const users = await withStore(global(), (store) => listUsers(store));
        if (options.json) return printJson(users);
        for (const u of users) process.stdout.write(`${String(u.id).padStart(4)}  ${u.email.padEnd(32)} ${u.role.padEnd(11)} ${u.status}\n`);
      }),
    );
}
