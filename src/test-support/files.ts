/** Small helpers for tests that need input files. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NAMES_DEV = fileURLToPath(new URL('../../../shared/data/names-dev/', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'vigil-files-'));
let count = 0;

/** Writes `content` to a new temporary file named like `name` and returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const folder = join(dir, String(++count));
  mkdirSync(folder);
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}
