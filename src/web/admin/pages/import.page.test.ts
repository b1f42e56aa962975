/**
 * Importing a CSV file in the workspace, driven as a browser without JavaScript would: upload
 * (multipart, CSRF field first), the dry run's preview with row-level problems, "Import now", "Cancel",
 * the progress page and its status endpoint, and roles that may not import.
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyedStores } from '../../../test-support/keyed-stores.js';
import { describeBothBackends } from '../../../test-support/stores.js';
import { workspaceMember, type WorkspaceClient } from '../../../test-support/workspace.js';
import type { Store } from '../../../store/connection.js';
import type { App } from '../../api/app-types.js';
import { buildApp } from '../../app.js';
import { csvPath, pendingRoot, sweepStale, type PendingImport } from '../../../features/import/pending-import.service.js';
import { importTiming } from './import.page.js';

// Fictional people, made up for these tests.
const GOOD = [
  'external_id,family_name_ru,given_name_ru,name_latin,birth_date,gender',
  'imp-1,Дроздова,Алина,Alina Drazdova,1990-03,female',
  'imp-2,Кравец,Олег,Aleh Kravets,1978,male',
  'imp-3,Сенкевич,Павел,Pavel Sienkievich,,male',
].join('\n');

const BAD = [
  'external_id,family_name_ru,given_name_ru,birth_date,gender',
  'imp-1,Дроздова,Алина,1990-03,female',
  'imp-2,Кравец,Олег,1978-13,male',
  'imp-3,Сенкевич,Павел,,alien',
].join('\n');

type Part = { name: string; value: string } | { name: string; filename: string; content: string };

/** A multipart/form-data body written out by hand, in the order the parts are given, as a browser sends it. */
function multipart(parts: Part[]): { payload: Buffer; type: string } {
  const boundary = `----vigil${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = 'filename' in part ? `form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: text/csv` : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`), Buffer.from('filename' in part ? part.content : part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

const made: string[] = [];
after(async () => {
  for (const id of made) {
    await rm(join(pendingRoot(), id), { recursive: true, force: true });
    await rm(join(pendingRoot(), `${id}.json`), { force: true });
  }
});

async function upload(app: App, client: WorkspaceClient, content: string, options: { kind?: string; csrf?: string; filename?: string; csrfLast?: boolean } = {}) {
  const csrf = { name: '_csrf', value: options.csrf ?? client.csrf };
  const fields: Part[] = [{ name: 'kind', value: options.kind ?? 'persons' }, { name: 'file', filename: options.filename ?? 'people.csv', content }];
  const body = multipart(options.csrfLast ? [...fields, csrf] : [csrf, ...fields]);
  const answer = await app.inject({ method: 'POST', url: '/admin/import?lang=en', headers: { cookie: client.cookie, 'content-type': body.type }, payload: body.payload });
  const location = answer.headers.location as string | undefined;
  const id = location?.match(/\/admin\/import\/([A-Za-z0-9_-]{22})/)?.[1];
  if (id) made.push(id);
  return { status: answer.statusCode, body: answer.body, location, id };
}

async function pendingState(id: string): Promise<PendingImport> {
  return JSON.parse(await readFile(join(pendingRoot(), `${id}.json`), 'utf8')) as PendingImport;
}

async function rowCounts(store: Store) {
  const count = async (table: 'person' | 'import_batch' | 'change_log') => Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { person: await count('person'), import_batch: await count('import_batch'), change_log: await count('change_log') };
}

const decode = (page: string) => page.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

describeBothBackends('workspace: import a CSV file', (backend) => {
  const keyed = keyedStores(backend);
  it('previews a file with bad rows: each problem with line, column, value and reason; nothing changes', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const before = await rowCounts(store);
    const sent = await upload(app, editor, BAD);
    assert.equal(sent.status, 303, sent.body.slice(0, 500));
    const page = await editor.get(sent.location!);
    assert.equal(page.status, 422);
    const rows = [...page.body.matchAll(/<tr><td>(\d+)<\/td><td>([a-z_]+)<\/td><td>(?:<code>([^<]*)<\/code>)?<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[3], decode(m[4]!)]);
    assert.equal(rows.length, 2, page.body);
    assert.deepEqual(rows[0]!.slice(0, 3), ['3', 'birth_date', '1978-13']);
    assert.match(rows[0]![3]!, /month/i);
    assert.deepEqual(rows[1]!.slice(0, 3), ['4', 'gender', 'alien']);
    assert.match(rows[1]![3]!, /must be one of female, male, other, unknown/);
    assert.match(page.body, /Nothing was changed/);
    assert.doesNotMatch(page.body, /Import now/, 'a rejected file cannot be imported');
    assert.deepEqual(await rowCounts(store), before, 'the dry run wrote nothing, not even an import batch');
    await app.close();
  });

  it('imports a checked file on "Import now": rows in the store, the batch recorded, the upload deleted', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const sent = await upload(app, editor, GOOD, { filename: 'spring list.csv' });
    const preview = await editor.get(sent.location!);
    assert.equal(preview.status, 200);
    assert.match(preview.body, /<strong>3<\/strong>rows in the file/);
    assert.match(preview.body, /<strong>3<\/strong>would be created/);
    assert.match(preview.body, /<tr><td>2<\/td><td>imp-1<\/td><td>Дроздова<\/td>/, 'the first rows are shown with their lines');
    assert.equal((await rowCounts(store)).person, 0, 'the preview imports nothing');
    const pending = await pendingState(sent.id!);
    assert.ok(existsSync(csvPath(pending)));

    const committed = await editor.post(`/admin/import/${sent.id}/commit?lang=en`, {});
    assert.equal(committed.status, 303);
    assert.match(committed.location!, /done=imported/);
    const summary = await editor.get(committed.location!);
    const batch = await store.db.selectFrom('import_batch').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([batch.kind, batch.file_name, batch.actor, batch.rows, batch.created], ['persons', 'spring list.csv', 'editor@example.org', 3, 3]);
    assert.equal(batch.sha256, pending.sha256, 'the batch records the hash taken at upload');
    assert.match(summary.body, new RegExp(`<dd>#${batch.id}</dd>`));
    assert.match(summary.body, /<strong>3<\/strong>created/);
    const people = await store.db.selectFrom('person').select('external_id').orderBy('external_id').execute();
    assert.deepEqual(people.map((p) => p.external_id), ['imp-1', 'imp-2', 'imp-3']);
    const audit = await store.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'import_batch').execute();
    assert.deepEqual(audit, [{ action: 'import', actor: 'editor@example.org' }]);
    assert.equal(existsSync(csvPath(pending)), false, 'the uploaded file is deleted once imported');
    const again = await editor.post(`/admin/import/${sent.id}/commit?lang=en`, {});
    assert.equal(again.status, 303);
    assert.equal((await rowCounts(store)).import_batch, 1, 'sending "Import now" again imports nothing more');
    await app.close();
  });

  it('with a store key, keeps the waiting file sealed: no name on disk, preview and import read it, an altered file is refused', async () => {
    const { store } = await keyed('correct horse battery staple');
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const sent = await upload(app, editor, GOOD);
    const pending = await pendingState(sent.id!);
    assert.equal(pending.sealed_with, (await store.fileKey())!.id);
    const onDisk = await readFile(csvPath(pending));
    for (const name of ['Дроздова', 'Drazdova', 'imp-2', 'external_id']) assert.equal(onDisk.includes(Buffer.from(name)), false, `${name} lies on the disk in plain text`);
    const preview = await editor.get(sent.location!);
    assert.match(preview.body, /<tr><td>2<\/td><td>imp-1<\/td><td>Дроздова<\/td>/, 'the preview reads the sealed file');
    const committed = await editor.post(`/admin/import/${sent.id}/commit?lang=en`, {});
    assert.match(committed.location!, /done=imported/);
    const batch = await store.db.selectFrom('import_batch').select(['sha256', 'created']).executeTakeFirstOrThrow();
    assert.deepEqual(batch, { sha256: createHash('sha256').update(GOOD).digest('hex'), created: 3 }, 'the hash is of the file as sent');

    // One byte of a second upload changed while it waited: the import stops and changes nothing.
    const other = await upload(app, editor, GOOD.replaceAll('imp-', 'imp-b-'));
    const waiting = await pendingState(other.id!);
    const sealed = await readFile(csvPath(waiting));
    sealed[Math.floor(sealed.length / 2)]! ^= 0x01;
    await writeFile(csvPath(waiting), sealed);
    const before = await rowCounts(store);
    await editor.post(`/admin/import/${other.id}/commit?lang=en`, {});
    const failed = await editor.get(`/admin/import/${other.id}?lang=en`);
    assert.match(decode(failed.body), /changed or damaged while it waited to be imported \(chunk 0 fails authentication\); upload the file again/);
    assert.deepEqual(await rowCounts(store), before);
    await app.close();
  });

  it('cancels: the uploaded file and its state are deleted, nothing is imported', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const sent = await upload(app, editor, GOOD);
    const pending = await pendingState(sent.id!);
    assert.ok(existsSync(csvPath(pending)));
    const listed = await editor.get('/admin/import?lang=en');
    assert.match(listed.body, new RegExp(`/admin/import/${sent.id}`), 'a waiting file is listed on the import page');
    const cancelled = await editor.post(`/admin/import/${sent.id}/cancel?lang=en`, {});
    assert.equal(cancelled.status, 303);
    assert.match((await editor.get(cancelled.location!)).body, /the uploaded file was deleted/);
    assert.equal(existsSync(csvPath(pending)), false);
    assert.equal(existsSync(join(pendingRoot(), `${sent.id}.json`)), false);
    assert.equal((await editor.get(`/admin/import/${sent.id}?lang=en`)).status, 404);
    assert.equal((await editor.post(`/admin/import/${sent.id}/commit?lang=en`, {})).status, 404);
    assert.equal((await rowCounts(store)).person, 0);
    await app.close();
  });

  it('refuses researchers (403) and forms without the session CSRF field first, storing nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    assert.equal((await researcher.get('/admin/import?lang=en')).status, 403);
    const refused = await upload(app, researcher, GOOD);
    assert.equal(refused.status, 403);
    assert.equal(refused.id, undefined);

    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const forged = await upload(app, editor, GOOD, { csrf: 'forged' });
    assert.equal(forged.status, 403);
    assert.match(forged.body, /not sent from a page of your current session/);
    const late = await upload(app, editor, GOOD, { csrfLast: true });
    assert.equal(late.status, 403, 'the CSRF field must come before the file');
    assert.equal(forged.id ?? late.id, undefined);
    assert.deepEqual(await rowCounts(store), { person: 0, import_batch: 0, change_log: 0 });

    // Someone else's pending import is not there for another member.
    const mine = await upload(app, editor, GOOD);
    const admin = await workspaceMember(app, store, 'admin@example.org', 'admin');
    assert.equal((await admin.get(`/admin/import/${mine.id}?lang=en`)).status, 404);
    assert.equal((await admin.post(`/admin/import/${mine.id}/commit?lang=en`, {})).status, 404);
    assert.equal((await rowCounts(store)).person, 0);
    await app.close();
  });

  it('sends a form without a file or with an unknown kind back naming the field', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const wrongKind = await upload(app, editor, GOOD, { kind: 'sanctions' });
    assert.equal(wrongKind.status, 400);
    assert.match(wrongKind.body, /kind: choose what the file holds/);
    const empty = await upload(app, editor, '');
    assert.equal(empty.status, 400);
    assert.match(empty.body, /file: people.csv is empty/);
    process.env.VIGIL_IMPORT_MAX_MB = String(100 / 1024 / 1024);
    try {
      const big = await upload(app, editor, GOOD);
      assert.equal(big.status, 413);
      assert.match(big.body, /file: the file is larger than/);
    } finally {
      delete process.env.VIGIL_IMPORT_MAX_MB;
    }
    assert.deepEqual(await rowCounts(store), { person: 0, import_batch: 0, change_log: 0 });
    await app.close();
  });

  it('shows progress while an import runs, and its status for the script', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const sent = await upload(app, editor, GOOD);
    // As another server process would leave it mid-import: 1 of 3 rows, heartbeat fresh.
    const path = join(pendingRoot(), `${sent.id}.json`);
    const state = await pendingState(sent.id!);
    await writeFile(path, JSON.stringify({ ...state, state: 'importing', progress: { ...state.progress, rows: 1, total_rows: 3, at: new Date().toISOString() } }));
    const page = await editor.get(`/admin/import/${sent.id}?lang=en`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<noscript><meta http-equiv="refresh" content="2"><\/noscript>/);
    assert.match(page.body, /<progress id="import-bar" value="1" max="3"/);
    assert.match(page.body, /1 of 3 rows/);
    const status = await editor.get(`/admin/import/${sent.id}/status?lang=en`);
    assert.deepEqual(
      (({ state: s, done, value, max }) => ({ s, done, value, max }))(JSON.parse(status.body) as { state: string; done: boolean; value: number; max: number }),
      { s: 'importing', done: false, value: 1, max: 3 },
    );
    assert.equal((await editor.post(`/admin/import/${sent.id}/cancel?lang=en`, {})).status, 409, 'a running import cannot be cancelled');

    // The process running it stopped (no heartbeat for minutes): nothing was changed; it can be started again.
    await writeFile(path, JSON.stringify({ ...state, state: 'importing', progress: { ...state.progress, at: new Date(Date.now() - 5 * 60_000).toISOString() } }));
    const stopped = await editor.get(`/admin/import/${sent.id}?lang=en`);
    assert.match(stopped.body, /interrupted/);
    assert.match(stopped.body, /Try again/);

    // A real run, the post not waiting: the status endpoint follows it to the end, rows counted by the importer.
    importTiming.waitMs = 0;
    try {
      const committed = await editor.post(`/admin/import/${sent.id}/commit?lang=en`, {});
      assert.equal(committed.status, 303);
      let last: { done: boolean; rows: number; total_rows: number; state: string } | undefined;
      for (let i = 0; i < 200 && !last?.done; i++) {
        last = JSON.parse((await editor.get(`/admin/import/${sent.id}/status?lang=en`)).body) as typeof last;
        if (!last!.done) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.deepEqual([last!.state, last!.rows, last!.total_rows], ['imported', 3, 3]);
    } finally {
      importTiming.waitMs = 2000;
    }
    assert.equal((await rowCounts(store)).person, 3);
    await app.close();
  });

  it('shows the progress of a large import while it runs (the SQLite store too)', async (t) => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const rows = 60_000;
    const csv = ['external_id,family_name_ru,given_name_ru,birth_date,gender', ...Array.from({ length: rows }, (_, i) => `big-${i},Тестовая${i % 97},Анна,1990,female`)].join('\n');
    importTiming.waitMs = 0;
    try {
      const sent = await upload(app, editor, csv);
      for (let i = 0; i < 2000 && (await pendingState(sent.id!)).state === 'checking'; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      assert.equal((await pendingState(sent.id!)).state, 'checked');
      assert.equal((await editor.post(`/admin/import/${sent.id}/commit?lang=en`, {})).status, 303);
      const seen: number[] = [];
      let last: { done: boolean; rows: number; state: string } | undefined;
      for (let i = 0; i < 4000 && !last?.done; i++) {
        last = JSON.parse((await editor.get(`/admin/import/${sent.id}/status?lang=en`)).body) as typeof last;
        if (!last!.done) seen.push(last!.rows);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      t.diagnostic(`${backend.dialect}: ${seen.length} status answers while importing, rows seen ${[...new Set(seen)].slice(0, 12).join(', ')}`);
      assert.equal(last!.state, 'imported');
      // Without a connection aside on SQLite, requests wait for the import's transaction: one answer at most gets through.
      assert.ok(seen.length >= 3, `the status answered while the import ran (${seen.length} times)`);
      assert.ok(seen.some((n) => n > 0 && n < rows), `a status between the start and the end was seen (${[...new Set(seen)].join(', ')})`);
    } finally {
      importTiming.waitMs = 2000;
    }
    assert.equal((await rowCounts(store)).person, rows + 0);
    await app.close();
  });

  it('deletes pending imports left for more than a day', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const old = await upload(app, editor, GOOD);
    const fresh = await upload(app, editor, GOOD);
    const path = join(pendingRoot(), `${old.id}.json`);
    const state = await pendingState(old.id!);
    const dayAndMinute = new Date(Date.now() - 24 * 3600_000 - 60_000);
    await writeFile(path, JSON.stringify({ ...state, created_at: dayAndMinute.toISOString() }));
    await utimes(join(pendingRoot(), old.id!), dayAndMinute, dayAndMinute);
    await editor.get('/admin/import?lang=en');
    assert.equal(existsSync(csvPath(state)), false);
    assert.equal(existsSync(path), false);
    assert.ok(existsSync(csvPath(await pendingState(fresh.id!))), 'a file uploaded today stays');
    assert.equal(await sweepStale(), 0);
    await app.close();
  });
});
