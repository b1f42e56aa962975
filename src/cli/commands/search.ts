import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { VigilError } from '../../errors.js';
import { runSearch, searchIndex, type SearchHit } from '../../features/search/search.service.js';
import { action, printJson, withStore, type GlobalOptions } from '../context.js';

function limitOf(text: string | undefined): number {
  const limit = Number(text ?? '10');
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new VigilError('usage', `--limit "${text}" must be a whole number from 1 to 100`);
  return limit;
}

function printHits(hits: SearchHit[]): void {
  if (hits.length === 0) process.stdout.write('no match\n');
  for (const hit of hits) process.stdout.write(`${hit.score.toFixed(3)}  ${hit.external_id.padEnd(12)} ${hit.name}  (matched ${hit.matched})\n`);
}

export function register(program: Command, global: () => GlobalOptions): void {
  program
    .command('search')
    .description('find people by name in any script or spelling; "-" reads one query a line from standard input')
    .argument('<query>', 'a name, or - for one query a line on standard input')
    .option('--limit <n>', 'how many results per query (1-100)', '10')
    .option('--json', 'print JSON (with -, one array a line)')
    .action(
      action(async (query: string, options: { limit?: string; json?: boolean }) => {
        const limit = limitOf(options.limit);
        await withStore(global(), async (store) => {
          const indexed = await searchIndex(store, false);
          if (query !== '-') {
            const hits = runSearch(indexed, query, limit);
            return options.json ? printJson(hits) : printHits(hits);
          }
          const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
          for await (const line of lines) {
            // An empty line still gets its (empty) answer so output lines stay aligned with input lines.
            const hits = line.trim() === '' ? [] : runSearch(indexed, line, limit);
            if (options.json) printJson(hits, true);
            else {
              process.stdout.write(`# ${line}\n`);
              printHits(hits);
            }
          }
        });
      }),
    );
}
