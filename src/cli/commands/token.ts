import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { createToken, revokeToken } from '../../features/auth/tokens.service.js';
import { listApiTokens } from '../../store/account.repository.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';

export function register(program: Command, global: () => GlobalOptions): void {
  const token = program.command('token').description('API tokens: create (shown once, stored hashed), list, revoke');
  token
    .command('create')
    .requiredOption('--user <email>', 'the account the token acts for')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--role <role>', "the token's role (at most the account's role; default the account's role)")
    .option('--expires-days <n>', 'days until it expires (default: never)')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { user: string; name: string; role?: string; expiresDays?: string; json?: boolean }) => {
        const expiresDays = options.expiresDays === undefined ? undefined : Number(options.expiresDays);
        if (expiresDays !== undefined && !Number.isInteger(expiresDays)) throw new VigilError('usage', `--expires-days "${options.expiresDays}" must be a whole number`);
        const created = await withStore(global(), async (store) => {
          const role = options.role ?? (await store.db.selectFrom('app_user').select('role').where('email', '=', options.user.toLowerCase()).executeTakeFirst())?.role ?? 'volunteer';
          return createToken(store, { email: options.user, name: options.name, role, expiresDays }, actor());
        });
        if (options.json) return printJson(created);
        process.stdout.write(`token ${created.id} for ${created.email} (${created.role}); copy it now, it is not shown again:\n  ${created.token}\n`);
      }),
    );
  token
    .command('list')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const tokens = await withStore(global(), (store) => listApiTokens(store.db));
        if (options.json) return printJson(tokens);
        for (const t of tokens) {
          const state = t.revoked_at ? `revoked ${t.revoked_at}` : t.expires_at ? `expires ${t.expires_at}` : 'active';
          process.stdout.write(`${String(t.id).padStart(4)}  ${t.email.padEnd(32)} ${t.role.padEnd(11)} ${t.name}  (${state})\n`);
        }
      }),
    );
  token
    .command('revoke')
    .argument('<id>', 'token number (from "vigil token list")')
    .action(
      action(async (id: string) => {
        if (!/^\d+$/.test(id)) throw new VigilError('usage', `"${id}" is not a token number`);
        await withStore(global(), (store) => revokeToken(store, Number(id), null, actor()));
        process.stdout.write(`token ${id} revoked\n`);
      }),
    );
}
