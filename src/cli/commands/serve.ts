import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { buildApp } from '../../web/app.js';
import { LANGS } from '../../web/site/i18n.js';
import { loadDemoIfEmpty } from '../../features/demo/demo.service.js';
import { publicRegistry } from '../../features/public/public-registry.service.js';
import { searchIndex } from '../../features/search/search.service.js';
import { action, databaseLocation, type GlobalOptions } from '../context.js';
import { openStore, type Store } from '../../store/connection.js';
import { openPublicReplica, PUBLIC_DATABASE_VARIABLE } from '../../store/replica.js';

function port(value: string | undefined): number {
  const text = value ?? process.env.PORT ?? '8080';
  const number = Number(text);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new VigilError('usage', `port "${text}" is not a port number (0-65535)`);
  return number;
}

export function register(program: Command, global: () => GlobalOptions): void {
  program
    .command('serve')
    .description('run the web application (public site, workspace, API); GET /healthz answers when the store is reachable')
    .option('--port <n>', 'port to listen on (default PORT or 8080)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--demo', 'load the fictional demo dataset first if the store is empty')
    .option('--public-database <url>', `postgres:// URL of a read replica of the store for the public site, open data and public API (default ${PUBLIC_DATABASE_VARIABLE})`)
    .action(
      action(async (options: { port?: string; host: string; demo?: boolean; publicDatabase?: string }) => {
        const listenPort = port(options.port);
        const store = await openStore(databaseLocation(global()), { key: process.env.VIGIL_DATABASE_KEY });
        const replicaLocation = options.publicDatabase ?? process.env[PUBLIC_DATABASE_VARIABLE];
        let publicStore: Store = store;
        if (replicaLocation) {
          try {
            publicStore = await openPublicReplica(replicaLocation, store);
          } catch (error) {
            await store.close();
            throw error;
          }
        }
        if (options.demo) {
          const loaded = await loadDemoIfEmpty(store, (line) => process.stderr.write(`${line}\n`));
          if (!loaded) process.stderr.write('vigil: the store already holds data; the demo dataset was not loaded\n');
        }
        const app = await buildApp({ store, publicStore, logger: true });
        const shutdown = async () => {
          await app.close();
          if (publicStore !== store) await publicStore.close();
          await store.close();
          process.exit(0);
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
        await app.listen({ port: listenPort, host: options.host });
        process.stderr.write(`vigil: serving ${store.description} on http://${options.host}:${listenPort}/\n`);
        if (publicStore !== store) process.stderr.write(`vigil: the public side reads ${publicStore.description}\n`);
        // The public site's registry takes a while on a large store: build it now, not on the first visit.
        // The public registry, its names and list order in each language, then the public name-search
        // index (one after the other: on SQLite they share one connection).
        publicRegistry(publicStore)
          .then(async (registry) => {
            for (const lang of LANGS) await registry.prepare(lang);
          })
          .catch((error: Error) => app.log.error({ err: error }, 'building the public registry failed'))
          .then(() => searchIndex(publicStore, true))
          .catch((error: Error) => app.log.error({ err: error }, 'building the public name-search index failed'));
      }),
    );
}
