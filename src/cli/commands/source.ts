import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isLevel, LEVELS } from '../../domain/confidentiality.js';
import { OPERATOR } from '../../domain/policy.js';
import { VigilError } from '../../errors.js';
import { fileTooLarge, uploadLimitBytes } from '../../features/files/file-store.service.js';
import { readSourceFile, storeSourceFile } from '../../features/sources/source-file.service.js';
import { action, actor, printJson, withStore, type GlobalOptions } from '../context.js';

interface AddOptions {
  title?: string;
  publishedDate?: string;
  reliability?: string;
  confidentiality: string;
  reason?: string;
  json?: boolean;
}

function sourceId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1) throw new VigilError('usage', `"${text}" is not a source id (a whole number from 1)`);
  return id;
}

async function sizeOf(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new VigilError('usage', `${file} is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof VigilError) throw error;
    throw new VigilError('not_found', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}`, 404);
  }
}

export function register(program: Command, global: () => GlobalOptions): void {
  const source = program.command('source').description('stored source files: take a file in (SHA-256 at intake), get it back');
  source
    .command('add')
    .description('store FILE as a new source of kind file: its type is told by its content, its SHA-256 is computed and printed; the same bytes are stored once')
    .argument('<file>', 'the file (PDF, JPEG, PNG, WebP, GIF, MP4/WebM, MP3/M4A/OGG/WAV, plain text, DOCX/ODT/XLSX)')
    .option('--title <text>', 'title of the source (default: the file name)')
    .option('--published-date <date>', 'when the source was published: YYYY, YYYY-MM or YYYY-MM-DD')
    .option('--reliability <text>', 'how reliable the source is (e.g. high, medium, low)')
    .option('--confidentiality <level>', `one of ${LEVELS.join(', ')}`, 'internal')
    .option('--reason <text>', 'where the file comes from (kept in the change log)')
    .option('--json', 'print JSON: id, sha256, media_type, size_bytes, already_held, also_cited_by')
    .action(
      action(async (file: string, options: AddOptions) => {
        if (!isLevel(options.confidentiality)) throw new VigilError('usage', `--confidentiality: "${options.confidentiality}" is not one of ${LEVELS.join(', ')}`);
        const limit = uploadLimitBytes();
        if ((await sizeOf(file)) > limit) throw fileTooLarge(limit);
        const stored = await withStore(global(), (store) =>
          storeSourceFile(
            store,
            {
              content: createReadStream(file),
              fileName: basename(file),
              title: options.title ?? null,
              published_date: options.publishedDate ?? null,
              reliability: options.reliability ?? null,
              confidentiality: options.confidentiality as (typeof LEVELS)[number],
            },
            { actor: actor(), reason: options.reason ?? '', viewer: OPERATOR },
            { maxBytes: limit },
          ),
        );
        const { source: s, alreadyHeld, alsoCitedBy } = stored;
        if (options.json) {
          return printJson({ id: s.id, sha256: s.sha256, media_type: s.media_type, size_bytes: s.size_bytes, already_held: alreadyHeld, also_cited_by: alsoCitedBy.map((other) => other.id) });
        }
        const held = alreadyHeld ? `; these bytes were already held${alsoCitedBy.length > 0 ? ` (also cited by source ${alsoCitedBy.map((other) => other.id).join(', ')})` : ''}` : '';
        process.stdout.write(`source ${s.id}: ${s.media_type}, ${s.size_bytes} bytes, sha256 ${s.sha256}${held}\n`);
      }),
    );

  source
    .command('get')
    .description('write the stored file of source ID to a new file (never overwrites one); the read is audited')
    .argument('<id>', 'the source id')
    .requiredOption('--out <file>', 'where to write the file (must not exist yet)')
    .option('--json', 'print JSON: id, file, sha256, media_type, size_bytes')
    .action(
      action(async (id: string, options: { out: string; json?: boolean }) => {
        const download = await withStore(global(), (store) => readSourceFile(store, OPERATOR, sourceId(id), { actor: actor() }));
        try {
          // Owner-only: the file may be as sensitive as anything in the store.
          await writeFile(options.out, download.content, { flag: 'wx', mode: 0o600 });
        } catch (error) {
          const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
          throw new VigilError('usage', `cannot write ${options.out}: ${exists ? 'it already exists; choose a new path' : (error as Error).message}`);
        }
        const result = { id: download.source.id, file: options.out, sha256: download.source.sha256, media_type: download.media_type, size_bytes: download.content.length };
        if (options.json) return printJson(result);
        process.stdout.write(`source ${result.id} written to ${result.file}: ${result.media_type}, ${result.size_bytes} bytes, sha256 ${result.sha256}\n`);
      }),
    );
}
