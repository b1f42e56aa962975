/**
 * Imports started in the workspace. The uploaded CSV waits in a private temporary folder (a random
 * name; its SHA-256 taken as it arrives) while the documenter reads the dry run, and is deleted once
 * it is imported or cancelled; one left behind is deleted a day later. When the store has a key
 * (VIGIL_DATABASE_KEY) the waiting file is sealed with a key derived from it, so no name in it lies on
 * the disk in plain text, and every process of the store can read it back. The importer runs in the
 * background of the server process (all or nothing, as from the command line) and keeps a small state
 * file beside the upload up to date, so the progress page reads a file, not the store.
 */
import { createHash, hkdf, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline as pipe, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { isVigilError, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { FileKey } from '../../store/file-key.js';
import { openingChunks, sealingChunks } from '../files/sealed-chunks.js';
import type { CsvInput } from './csv-reader.js';
import { importEvents } from './events.import.js';
import { importFacilities } from './facilities.import.js';
import type { ImportKind, ImportOptions, ImportReport } from './import.service.js';
import { importPersons } from './persons.import.js';

export const IMPORT_KINDS = ['persons', 'events', 'facilities'] as const satisfies readonly ImportKind[];

const IMPORTERS: Record<ImportKind, (store: Store, input: CsvInput, options: ImportOptions) => Promise<ImportReport>> = {
  persons: importPersons, events: importEvents, facilities: importFacilities,
};

/** The largest CSV the workspace takes (VIGIL_IMPORT_MAX_MB, default 512 MB). */
export function importLimitBytes(value: string | undefined = process.env.VIGIL_IMPORT_MAX_MB): number {
  const mb = value === undefined || value === '' ? 512 : Number(value);
  if (!Number.isFinite(mb) || mb <= 0) throw new VigilError('config_invalid', `VIGIL_IMPORT_MAX_MB: "${value}" is not a positive number of megabytes`, 500);
  return Math.floor(mb * 1024 * 1024);
}

/** A pending import is deleted this long after it was uploaded, whatever became of it. */
export const PENDING_LIFETIME_MS = 24 * 3600_000;
/** How often a running import writes its progress; a state older than STALE_MS belongs to a stopped server. */
export const HEARTBEAT_MS = 1000;
const STALE_MS = 60_000;
/** Problems the dry run lists at most (the importer stops reading after as many). */
export const MAX_PROBLEMS = 20;

const Counts = z.object({ rows: z.number(), created: z.number(), updated: z.number(), unchanged: z.number(), facilities_created: z.number() });
export type ImportCounts = z.infer<typeof Counts>;

const State = z.object({
  id: z.string(),
  kind: z.enum(IMPORT_KINDS),
  file_name: z.string(),
  sha256: z.string(),
  /** Plain bytes, before sealing. */
  size: z.number(),
  /** The fingerprint of the store key the waiting file is sealed under, or null when it is kept plain. */
  sealed_with: z.string().nullable().default(null),
  /** The store it was uploaded to (its description), and by whom: nobody else may see or run it. */
  store: z.string(),
  user_id: z.number(),
  actor: z.string(),
  created_at: z.string(),
  state: z.enum(['checking', 'checked', 'rejected', 'importing', 'imported', 'failed']),
  progress: z.object({ rows: z.number(), bytes: z.number(), total_bytes: z.number(), total_rows: z.number().nullable(), at: z.string() }),
  check: Counts.nullable(),
  result: Counts.extend({ batch_id: z.number(), sha256: z.string() }).nullable(),
  problems: z.array(z.object({ line: z.number(), column: z.string().nullable(), value: z.string().nullable(), message: z.string() })),
  error: z.string().nullable(),
});
export type PendingImport = z.infer<typeof State>;
export type PendingState = PendingImport['state'];

/** The folder of pending imports: private to this user, outside any folder the web server serves. */
export function pendingRoot(): string {
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  return join(tmpdir(), `vigil-imports-${user}`);
}

const ID = /^[A-Za-z0-9_-]{22}$/;
const statePath = (id: string) => join(pendingRoot(), `${id}.json`);
const folderOf = (id: string) => join(pendingRoot(), id);
/** Where the uploaded file is: its own folder, under its own name, which the import log records. */
export const csvPath = (pending: Pick<PendingImport, 'id' | 'file_name'>) => join(folderOf(pending.id), pending.file_name);

/** The uploaded name without any folder, control character or path trick; the import log shows it. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).at(-1)!.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(-120);
  return base === '' || base === '.' || base === '..' ? 'upload.csv' : base;
}

/** Saves of one import, one after the other: a heartbeat still being written must not land after the final state. */
const saving = new Map<string, Promise<void>>();

function saveState(pending: PendingImport): Promise<void> {
  const content = JSON.stringify(pending);
  const path = statePath(pending.id);
  const write = async () => {
    const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, content, { mode: 0o600 });
    await rename(temporary, path);
  };
  const next = (saving.get(pending.id) ?? Promise.resolve()).catch(() => {}).then(write);
  saving.set(pending.id, next);
  const forget = () => {
    if (saving.get(pending.id) === next) saving.delete(pending.id);
  };
  next.then(forget, forget);
  return next;
}

/** Counts the store cannot know before the end: bytes read, hashed on the way in. */
class Meter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/**
 * Writes an upload to a new pending import, streaming (never whole in memory). `source.truncated` is
 * how the multipart reader says the file went over the limit: then nothing is kept.
 */
export async function receiveUpload(
  store: Store,
  upload: { kind: ImportKind; fileName: string | undefined; source: Readable & { truncated?: boolean }; limit: number },
  member: { userId: number; email: string },
): Promise<PendingImport> {
  await preparePendingRoot();
  const id = randomBytes(16).toString('base64url');
  await mkdir(folderOf(id), { mode: 0o700 });
  const fileKey = await store.fileKey();
  const pending: PendingImport = {
    id, kind: upload.kind, file_name: safeFileName(upload.fileName), sha256: '', size: 0, sealed_with: fileKey?.id ?? null, store: store.description, user_id: member.userId,
    actor: member.email, created_at: new Date().toISOString(), state: 'checking',
    progress: { rows: 0, bytes: 0, total_bytes: 0, total_rows: null, at: new Date().toISOString() }, check: null, result: null, problems: [], error: null,
  };
  const meter = new Meter();
  try {
    const file = createWriteStream(csvPath(pending), { mode: 0o600 });
    if (fileKey) await pipeline(upload.source, meter, sealingChunks(await uploadKey(fileKey), sealContext(id)), file);
    else await pipeline(upload.source, meter, file);
  } catch (error) {
    await removeFiles(id);
    if (upload.source.truncated || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(upload.limit);
    throw error;
  }
  if (upload.source.truncated) {
    await removeFiles(id);
    throw tooLarge(upload.limit);
  }
  if (meter.bytes === 0) {
    await removeFiles(id);
    throw new VigilError('validation_failed', `file: ${pending.file_name} is empty; a CSV file needs a header row and rows`, 400);
  }
  pending.sha256 = meter.hash.digest('hex');
  pending.size = meter.bytes;
  pending.progress.total_bytes = meter.bytes;
  await saveState(pending);
  return pending;
}

// ------------------------------------------------------------------ the waiting file, sealed

/** The key waiting uploads are sealed with: its own, derived from the store's file key. */
const uploadKeys = new WeakMap<FileKey, Promise<Buffer>>();

function uploadKey(fileKey: FileKey): Promise<Buffer> {
  let key = uploadKeys.get(fileKey);
  if (!key) {
    key = new Promise((resolve, reject) =>
      hkdf('sha256', fileKey.key, Buffer.alloc(0), 'vigil pending import v1', 32, (error, out) => (error ? reject(error) : resolve(Buffer.from(out)))),
    );
    uploadKeys.set(fileKey, key);
  }
  return key;
}

/** Binds every sealed chunk to its upload: chunks of one upload cannot be passed off as another's. */
const sealContext = (id: string) => Buffer.from(`vigil pending import ${id}`);

/** The uploaded CSV as the importer and the preview read it: its plain bytes. */
async function uploadedCsv(store: Store, pending: PendingImport): Promise<CsvInput> {
  const path = csvPath(pending);
  if (pending.sealed_with === null) return path;
  const fileKey = await store.fileKey();
  if (!fileKey || fileKey.id !== pending.sealed_with) {
    throw new VigilError('upload_unreadable', `${pending.file_name} was sealed under another store key than the one this server has; upload the file again`, 409);
  }
  const key = await uploadKey(fileKey);
  const damaged = (what: string) => new VigilError('upload_damaged', `${pending.file_name} was changed or damaged while it waited to be imported (${what}); upload the file again`, 422);
  return {
    name: pending.file_name,
    size: pending.size,
    // pipeline: destroying the plain stream (a reader that stops early) closes the file too.
    open: () => pipe(createReadStream(path), openingChunks(key, sealContext(pending.id), damaged), () => {}),
  };
}

function tooLarge(limit: number): VigilError {
  return new VigilError('file_too_large', `file: the file is larger than ${Math.round(limit / 1024 / 1024)} MB, the most the workspace takes; split it, or import it with "vigil import" on the server`, 413);
}

async function removeFiles(id: string): Promise<void> {
  await rm(folderOf(id), { recursive: true, force: true });
  await rm(statePath(id), { force: true });
}

// ------------------------------------------------------------------ running the importer

/** Imports running in this process, by id. */
const running = new Map<string, Promise<void>>();

export function isRunningHere(id: string): boolean {
  return running.has(id);
}

function countsOf(report: ImportReport): ImportCounts {
  return { rows: report.rows, created: report.created, updated: report.updated, unchanged: report.unchanged, facilities_created: report.facilities_created };
}

function problemsOf(error: VigilError): PendingImport['problems'] {
  const details = Array.isArray(error.details) ? (error.details as { line?: number; column?: string | null; value?: string; message?: string }[]) : [];
  if (details.length === 0) return [{ line: 0, column: null, value: null, message: error.message }];
  return details.map((d) => ({ line: d.line ?? 0, column: d.column ?? null, value: d.value ?? null, message: d.message ?? '' }));
}

async function runJob(store: Store, pending: PendingImport, dryRun: boolean): Promise<void> {
  const progress = pending.progress;
  const beat = setInterval(() => {
    progress.at = new Date().toISOString();
    saveState(pending).catch(() => {});
  }, HEARTBEAT_MS);
  try {
    const report = await IMPORTERS[pending.kind](store, await uploadedCsv(store, pending), {
      actor: pending.actor, dryRun, maxProblems: MAX_PROBLEMS,
      onProgress: (bytes, total) => { progress.bytes = bytes; progress.total_bytes = total; },
      onRows: (rows) => { progress.rows = rows; },
    });
    if (dryRun) {
      Object.assign(pending, { state: 'checked', check: countsOf(report), problems: [] });
      progress.total_rows = report.rows;
    } else {
      Object.assign(pending, { state: 'imported', result: { ...countsOf(report), batch_id: report.batch_id, sha256: report.sha256 }, problems: [], error: null });
      // Imported: the upload has served its purpose (should deleting fail, the daily sweep deletes it).
      await rm(folderOf(pending.id), { recursive: true, force: true }).catch(() => {});
    }
  } catch (error) {
    if (isVigilError(error) && error.id === 'import_rejected') Object.assign(pending, { state: 'rejected', problems: problemsOf(error) });
    else Object.assign(pending, { state: 'failed', error: `the import stopped and nothing was changed: ${(error as Error).message}` });
  } finally {
    clearInterval(beat);
    progress.at = new Date().toISOString();
    await saveState(pending).catch(() => {});
  }
}

function start(store: Store, pending: PendingImport, dryRun: boolean): Promise<void> {
  const job = runJob(store, pending, dryRun).finally(() => running.delete(pending.id));
  running.set(pending.id, job);
  return job;
}

/** Starts the dry run of a just-uploaded file; resolves when it is finished (it never rejects). */
export function startCheck(store: Store, pending: PendingImport): Promise<void> {
  return start(store, pending, true);
}

/** Starts importing a checked file for good; `job` resolves when it is finished (it never rejects). */
export async function startCommit(store: Store, pending: PendingImport): Promise<{ job: Promise<void> }> {
  if (pending.state === 'importing' || running.has(pending.id)) return { job: running.get(pending.id) ?? Promise.resolve() };
  if (!(pending.state === 'checked' || (pending.state === 'failed' && pending.check))) {
    throw new VigilError('not_ready', `this file cannot be imported now (it is ${pending.state}); ${pending.state === 'rejected' ? 'correct the problems and upload it again' : 'wait for the check to finish'}`, 409);
  }
  pending.state = 'importing';
  pending.error = null;
  pending.progress = { rows: 0, bytes: 0, total_bytes: pending.size, total_rows: pending.check?.rows ?? null, at: new Date().toISOString() };
  await saveState(pending);
  return { job: start(store, pending, false) };
}

// ------------------------------------------------------------------ finding, cancelling, sweeping

/** A pending import of this member in this store, or a 404 (someone else's looks the same as none). */
export async function findPending(store: Store, id: string, userId: number): Promise<PendingImport> {
  const missing = new VigilError('not_found', `import ${id} was not found: it was imported, cancelled or deleted after a day`, 404);
  if (!ID.test(id)) throw missing;
  let pending: PendingImport;
  try {
    pending = State.parse(JSON.parse(await readFile(statePath(id), 'utf8')));
  } catch {
    throw missing;
  }
  if (pending.store !== store.description || pending.user_id !== userId) throw missing;
  const busy = pending.state === 'checking' || pending.state === 'importing';
  if (busy && !running.has(id) && Date.now() - Date.parse(pending.progress.at) > STALE_MS) {
    // The server that ran it stopped: its transaction was rolled back, so nothing was changed.
    pending.state = pending.state === 'checking' ? 'rejected' : 'failed';
    if (pending.state === 'rejected') pending.problems = [{ line: 0, column: null, value: null, message: 'the check was interrupted (the server stopped); upload the file again' }];
    else pending.error = 'the import was interrupted (the server stopped) and nothing was changed; start it again';
  }
  return pending;
}

/** This member's imports in this store that are not finished (checked, rejected, running, failed), newest first. */
export async function listPending(store: Store, userId: number): Promise<PendingImport[]> {
  const entries = await readdir(pendingRoot()).catch(() => [] as string[]);
  const found: PendingImport[] = [];
  for (const entry of entries) {
    if (!entry.endsWith('.json') || !ID.test(entry.slice(0, -5))) continue;
    const pending = await findPending(store, entry.slice(0, -5), userId).catch(() => null);
    if (pending && pending.state !== 'imported') found.push(pending);
  }
  return found.sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/** Deletes a pending import and its file; one that is running must finish first. */
export async function cancelPending(pending: PendingImport): Promise<void> {
  if (running.has(pending.id) || pending.state === 'checking' || pending.state === 'importing') {
    throw new VigilError('busy', 'this import is running; it can be cancelled once it has finished', 409);
  }
  await removeFiles(pending.id);
}

/** Deletes pending imports (and stray uploads) older than a day; returns how many. */
export async function sweepStale(now = Date.now()): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(pendingRoot());
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of entries) {
    const id = entry.slice(0, 22);
    if (!ID.test(id) || running.has(id)) continue;
    const path = join(pendingRoot(), entry);
    const info = await stat(path).catch(() => null);
    // A state file is rewritten while its import runs, so its age counts from the upload, kept inside it.
    const created = entry === `${id}.json` ? await createdAt(id).catch(() => null) : null;
    if (now - (created ?? info?.mtimeMs ?? now) <= PENDING_LIFETIME_MS) continue;
    if (entry === id || entry === `${id}.json`) await removeFiles(id);
    else await rm(path, { force: true }); // a state file half-written when a server stopped
    removed += 1;
  }
  return removed;
}

async function createdAt(id: string): Promise<number | null> {
  const parsed = State.safeParse(JSON.parse(await readFile(statePath(id), 'utf8')));
  return parsed.success ? Date.parse(parsed.data.created_at) : null;
}

/**
 * Makes sure the folder exists and is this user's own, private folder before anything is written into
 * it: in a shared /tmp someone else could have made it first, or put a link there.
 */
async function preparePendingRoot(): Promise<void> {
  const root = pendingRoot();
  await mkdir(root, { recursive: true, mode: 0o700 });
  const info = await lstat(root);
  const mine = typeof process.getuid !== 'function' || info.uid === process.getuid();
  if (!info.isDirectory() || !mine || (info.mode & 0o077) !== 0) {
    throw new VigilError('import_folder_unsafe', `${root} is not a private folder of this user (a link, someone else's, or readable by others); remove it and try again`, 500);
  }
}

/** The header and first rows of the uploaded file as they are, each with its line (for the preview; nothing is checked here). */
export async function firstRows(store: Store, pending: PendingImport, count: number): Promise<{ header: string[]; rows: { line: number; values: string[] }[] }> {
  let header: string[] = [];
  const rows: { line: number; values: string[] }[] = [];
  const csv = await uploadedCsv(store, pending).catch(() => null);
  if (csv === null) return { header, rows }; // the dry run says why it cannot be read
  const input = typeof csv === 'string' ? createReadStream(csv) : csv.open();
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, info: true });
  // As in csv-reader.ts: csv-parse counts the line a record ends on, and a CR LF inside quotes as two.
  let extraLines = 0;
  try {
    for await (const { record, info } of pipe(input, parser, () => {}) as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const breaks = record.reduce((sum, value) => sum + (value.match(/[\r\n]/g)?.length ?? 0), 0);
      const line = info.lines - breaks - extraLines;
      extraLines += record.reduce((sum, value) => sum + (value.match(/\r\n/g)?.length ?? 0), 0);
      if (header.length === 0) header = record;
      else rows.push({ line, values: record });
      if (rows.length >= count) break;
    }
  } catch {
    // A broken file still shows what could be read; the dry run names the problem.
  } finally {
    input.destroy();
  }
  return { header, rows };
}
