/**
 * Stored source files through the API: upload (type by content, SHA-256 at intake, size limit, one
 * copy of the same bytes, chain of custody in the audit trail), download (who may, how it is sent),
 * encryption of the stored content when the store has a key, and who may not upload.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeBothBackends } from '../../test-support/stores.js';
import { keyedStores } from '../../test-support/keyed-stores.js';
import { memberWithToken, setUpAccount, signInAs } from '../../test-support/accounts.js';
import type { Store } from '../../store/connection.js';
import { deriveFileKey } from '../../store/file-key.js';
import { auditEntries, verifyAudit } from '../../features/audit/audit.service.js';
import { storeSourceFile, readSourceFile } from '../../features/sources/source-file.service.js';
import * as sample from '../../features/files/file-samples.fixture.js';
import { buildApp } from '../app.js';
import type { App } from './app-types.js';

type Part = { name: string; value: string } | { name: string; filename: string; type: string; content: Buffer };

/** A multipart/form-data body written out by hand, as a browser would send it. */
function form(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----vigil${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = 'filename' in part ? `form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}` : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push('filename' in part ? part.content : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

async function upload(app: App, headers: Record<string, string>, file: { content: Buffer; filename?: string; type?: string }, fields: Record<string, string> = {}) {
  const body = form([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', filename: file.filename ?? 'upload.bin', type: file.type ?? 'application/octet-stream', content: file.content },
  ]);
  return app.inject({ method: 'POST', url: '/api/v1/sources/upload', headers: { ...headers, ...body.headers }, payload: body.payload });
}

async function counts(store: Store): Promise<{ files: number; sources: number }> {
  const files = await store.db.selectFrom('stored_file').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const sources = await store.db.selectFrom('source').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { files: Number(files.n), sources: Number(sources.n) };
}

/** The app with VIGIL_UPLOAD_MAX_MB set while it is built (the limit is read then). */
async function appWithLimit(store: Store, megabytes: string): Promise<App> {
  const previous = process.env.VIGIL_UPLOAD_MAX_MB;
  process.env.VIGIL_UPLOAD_MAX_MB = megabytes;
  try {
    return await buildApp({ store });
  } finally {
    if (previous === undefined) delete process.env.VIGIL_UPLOAD_MAX_MB;
    else process.env.VIGIL_UPLOAD_MAX_MB = previous;
  }
}

describeBothBackends('stored source files', (backend) => {
  const keyed = keyedStores(backend);

  it('records the type told by the content and the SHA-256 of the bytes, whatever the client says, and hands the same bytes back', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const image = sample.png('fictional photo of a court notice');
    const response = await upload(app, editor, { content: image, filename: 'notice.pdf', type: 'application/pdf' }, { title: 'Court notice (fictional)', published_date: '2021-05', reliability: 'high', change_reason: 'sent by a relative' });
    assert.equal(response.statusCode, 201, response.body);
    const created = response.json();
    assert.equal(created.kind, 'file');
    assert.equal(created.media_type, 'image/png');
    assert.equal(created.sha256, sha256(image));
    assert.equal(created.size_bytes, image.length);
    assert.equal(created.title, 'Court notice (fictional)');
    assert.equal(created.confidentiality, 'internal');
    assert.deepEqual(created.file, { already_held: false, also_cited_by: [] });

    const download = await app.inject({ method: 'GET', url: `/api/v1/sources/${created.id}/file`, headers: editor });
    assert.equal(download.statusCode, 200, download.body);
    assert.deepEqual(download.rawPayload, image);
    assert.equal(download.headers['content-type'], 'image/png');
    assert.equal(download.headers['content-disposition'], `attachment; filename="source-${created.id}.png"`);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.match(String(download.headers['content-security-policy']), /^sandbox/);

    const custody = (await auditEntries(store.db, { limit: 10, action: 'file_store' }))[0]!;
    assert.equal(custody.actor, 'editor@example.org');
    assert.equal(custody.entity_id, String(created.id));
    assert.deepEqual(custody.detail, { sha256: sha256(image), size_bytes: image.length, media_type: 'image/png', already_held: false });
    assert.equal((await auditEntries(store.db, { limit: 10, action: 'file_download' })).length, 1);
    assert.equal((await verifyAudit(store.db)).ok, true);

    // Text is sent as UTF-8 text, still as an attachment; its name is only a label.
    const note = sample.text();
    const textual = await upload(app, editor, { content: note, filename: '..\\..\\etc\\<i>note\u0007.html', type: 'text/html' });
    assert.equal(textual.statusCode, 201, textual.body);
    assert.equal(textual.json().media_type, 'text/plain');
    assert.equal(textual.json().title, '<i>note.html', 'a label: no path, no control characters, kept as text (escaped where shown)');
    const sent = await app.inject({ method: 'GET', url: `/api/v1/sources/${textual.json().id}/file`, headers: editor });
    assert.equal(sent.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(sent.headers['content-disposition'], `attachment; filename="source-${textual.json().id}.txt"`);
    assert.deepEqual(sent.rawPayload, note);
  });

  it('refuses HTML, SVG and programs whatever their name and declared type, storing nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const cases: [Buffer, string, string, RegExp][] = [
      [sample.html(), 'scan.png', 'image/png', /an HTML page \(text\/html/],
      [sample.svg(), 'photo.jpg', 'image/jpeg', /an SVG image/],
      [sample.elf(), 'report.pdf', 'application/pdf', /an executable program \(ELF\)/],
      [sample.plainZip(), 'letters.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', /a ZIP archive/],
    ];
    for (const [content, filename, type, message] of cases) {
      const response = await upload(app, editor, { content, filename, type });
      assert.equal(response.statusCode, 415, `${filename}: ${response.body}`);
      assert.equal(response.json().error.id, 'file_type_refused');
      assert.match(response.json().error.message, message);
    }
    assert.deepEqual(await counts(store), { files: 0, sources: 0 });
  });

  it('refuses a file over the limit with 413 and stores nothing; a file of exactly the limit is taken', async () => {
    const store = await backend.fresh();
    const app = await appWithLimit(store, '1');
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const over = await upload(app, editor, { content: Buffer.alloc(1024 * 1024 + 1, 'a'), filename: 'big.txt', type: 'text/plain' });
    assert.equal(over.statusCode, 413, over.body);
    assert.equal(over.json().error.id, 'file_too_large');
    assert.match(over.json().error.message, /larger than 1 MB/);
    assert.deepEqual(await counts(store), { files: 0, sources: 0 });
    const exact = await upload(app, editor, { content: Buffer.alloc(1024 * 1024, 'a'), filename: 'limit.txt', type: 'text/plain' });
    assert.equal(exact.statusCode, 201, exact.body);
    assert.equal(exact.json().size_bytes, 1024 * 1024);
  });

  it('over a real connection, a refused upload is answered at once and the connection closed; the server still shuts down', async () => {
    const store = await backend.fresh();
    const app = await appWithLimit(store, '1');
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    for (const [headers, status] of [[editor, 413], [{}, 401]] as const) {
      const body = new FormData();
      body.append('file', new Blob([Buffer.alloc(3 * 1024 * 1024, 'a')]), 'big.txt');
      body.append('title', 'a field after the file');
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/sources/upload`, { method: 'POST', headers, body });
      assert.equal(response.status, status, await response.text());
      assert.equal(response.headers.get('connection'), 'close');
    }
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise((resolve) => (timer = setTimeout(() => resolve('stuck'), 5000)));
    assert.equal(await Promise.race([app.close().then(() => 'closed'), stuck]), 'closed');
    clearTimeout(timer);
    assert.deepEqual(await counts(store), { files: 0, sources: 0 });
  });

  it('stores the same bytes once, says they were already held and which visible sources cite them', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const content = sample.pdf('fictional verdict');
    const first = await upload(app, editor, { content, filename: 'a.pdf' }, { confidentiality: 'restricted', title: 'Verdict (fictional)' });
    const second = await upload(app, editor, { content, filename: 'b.pdf' }, { title: 'Verdict again' });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(second.statusCode, 201, second.body);
    assert.notEqual(second.json().id, first.json().id);
    assert.equal(second.json().sha256, first.json().sha256);
    assert.deepEqual(second.json().file, { already_held: true, also_cited_by: [{ id: first.json().id, title: 'Verdict (fictional)' }] });
    assert.deepEqual(await counts(store), { files: 1, sources: 2 });

    // Two uploads of new bytes at the same moment: one stored copy, one of them told it was already held.
    const fresh = sample.pdf('fictional concurrent');
    const both = await Promise.all([upload(app, editor, { content: fresh }), upload(app, editor, { content: fresh })]);
    assert.deepEqual(both.map((response) => response.statusCode), [201, 201]);
    assert.deepEqual(both.map((response) => response.json().file.already_held).sort(), [false, true]);
    assert.deepEqual(await counts(store), { files: 2, sources: 4 });

    // The service filters the other sources by what the viewer may see.
    const researcher = { kind: 'member', userId: 99, email: 'r@example.org', role: 'researcher', via: 'token' } as const;
    const third = await storeSourceFile(store, { content, title: 'Third' }, { actor: 'test', reason: '', viewer: researcher });
    assert.equal(third.alreadyHeld, true);
    assert.deepEqual(third.alsoCitedBy.map((source) => source.id), [second.json().id]);
    assert.equal(third.file.stored_by, 'editor@example.org', 'who stored the bytes first is kept');
  });

  it('lets only writers upload, and cookie sessions only with their CSRF token', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const file = { content: sample.png(), filename: 'x.png', type: 'image/png' };
    for (const role of ['researcher', 'volunteer'] as const) {
      const headers = await memberWithToken(app, store, `${role}@example.org`, role);
      const response = await upload(app, headers, file);
      assert.equal(response.statusCode, 403, `${role}: ${response.body}`);
    }
    assert.equal((await upload(app, {}, file)).statusCode, 401);
    const secret = await setUpAccount(app, store, 'admin@example.org', 'admin');
    const session = await signInAs(app, 'admin@example.org', secret);
    const withoutToken = await upload(app, { cookie: session.cookie }, file);
    assert.equal(withoutToken.statusCode, 403);
    assert.equal(withoutToken.json().error.id, 'csrf_failed');
    assert.deepEqual(await counts(store), { files: 0, sources: 0 });
    const withToken = await upload(app, { cookie: session.cookie, 'x-csrf-token': session.csrf }, file);
    assert.equal(withToken.statusCode, 201, withToken.body);
    const json = await app.inject({ method: 'POST', url: '/api/v1/sources/upload', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, payload: { file: 'aGVsbG8=' } });
    assert.equal(json.statusCode, 415, json.body);
    assert.match(json.json().error.message, /send the upload as multipart\/form-data/);
    const stray = form([{ name: 'title', value: 'x' }, { name: 'notes', value: 'y' }, { name: 'file', filename: 'x.png', type: 'image/png', content: sample.png() }]);
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/sources/upload', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...stray.headers }, payload: stray.payload });
    assert.equal(unknown.statusCode, 400, unknown.body);
    assert.match(unknown.json().error.message, /^notes: unknown field/);
    const two = form([{ name: 'file', filename: 'a.png', type: 'image/png', content: sample.png('a') }, { name: 'file', filename: 'b.png', type: 'image/png', content: sample.png('b') }]);
    const twoFiles = await app.inject({ method: 'POST', url: '/api/v1/sources/upload', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...two.headers }, payload: two.payload });
    assert.equal(twoFiles.statusCode, 400, twoFiles.body);
    assert.match(twoFiles.json().error.message, /^file: send one file per upload/);
    const noFile = form([{ name: 'title', value: 'x' }]);
    const missing = await app.inject({ method: 'POST', url: '/api/v1/sources/upload', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...noFile.headers }, payload: noFile.payload });
    assert.equal(missing.statusCode, 400, missing.body);
    assert.match(missing.json().error.message, /^file: the form has no file/);
    assert.deepEqual(await counts(store), { files: 1, sources: 1 });
  });

  it('gives a file only to members who may see its source: never the public, restricted ones audited', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const researcher = await memberWithToken(app, store, 'researcher@example.org', 'researcher');
    const ids: Record<string, number> = {};
    for (const level of ['public', 'internal', 'restricted']) {
      const response = await upload(app, editor, { content: sample.png(`fictional ${level} photo`), filename: 'p.png' }, { confidentiality: level });
      assert.equal(response.statusCode, 201, response.body);
      ids[level] = response.json().id;
    }
    for (const level of ['public', 'internal', 'restricted']) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/sources/${ids[level]}/file` });
      assert.equal(response.statusCode, 401, `public, ${level}`);
    }
    assert.equal((await app.inject({ method: 'GET', url: `/api/v1/sources/${ids.internal}/file`, headers: researcher })).statusCode, 200);
    const hidden = await app.inject({ method: 'GET', url: `/api/v1/sources/${ids.restricted}/file`, headers: researcher });
    assert.equal(hidden.statusCode, 404);
    assert.equal((await readSourceFile(store, { kind: 'public' }, ids.public!, { actor: 'public' }).catch((error: Error) => error.message)), `source ${ids.public} was not found`);

    const before = (await auditEntries(store.db, { limit: 50, action: 'read_restricted' })).length;
    const cleared = await app.inject({ method: 'GET', url: `/api/v1/sources/${ids.restricted}/file`, headers: editor });
    assert.equal(cleared.statusCode, 200);
    const reads = await auditEntries(store.db, { limit: 50, action: 'read_restricted' });
    assert.equal(reads.length, before + 1);
    assert.equal(reads[0]!.entity_id, String(ids.restricted));
    assert.deepEqual(reads[0]!.detail.fields, ['file']);

    // A source without a stored file has nothing to download.
    const cited = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: editor, payload: { kind: 'url', url: 'https://example.org/a' } });
    assert.equal((await app.inject({ method: 'GET', url: `/api/v1/sources/${cited.json().id}/file`, headers: editor })).statusCode, 404);
  });

  it('keeps what intake recorded: no edit changes the SHA-256, type or size of a stored file, and no JSON request makes a file source', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const created = (await upload(app, editor, { content: sample.pdf(), filename: 'v.pdf' })).json();
    const patch = (payload: object) => app.inject({ method: 'PATCH', url: `/api/v1/sources/${created.id}`, headers: editor, payload: { version: created.version, change_reason: 'test', ...payload } });
    for (const change of [{ sha256: 'b'.repeat(64) }, { media_type: 'text/html' }, { size_bytes: 1 }, { kind: 'url', url: 'https://example.org' }]) {
      const response = await patch(change);
      assert.equal(response.statusCode, 400, JSON.stringify(change));
      assert.match(response.json().error.message, /recorded at intake and cannot change/);
    }
    const retitled = await patch({ title: 'Verdict (fictional)', sha256: created.sha256.toUpperCase() });
    assert.equal(retitled.statusCode, 200, retitled.body);
    const json = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: editor, payload: { kind: 'file', sha256: 'c'.repeat(64), title: 'x' } });
    assert.equal(json.statusCode, 400);
  });

  it('with a key, seals the stored content (no plaintext in the row or the database file) and hands back the original', async () => {
    const { store, sqliteDir } = await keyed('files key for tests, fictional');
    const app = await buildApp({ store });
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const marker = `MARKER-${randomBytes(6).toString('hex')}`;
    const content = sample.text(`Fictional witness statement ${marker}\n`.repeat(20));
    const created = await upload(app, editor, { content, filename: 'statement.txt' }, { confidentiality: 'restricted', title: 'Statement' });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().sha256, sha256(content));
    const row = await store.db.selectFrom('stored_file').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.encryption, 'aes-256-gcm');
    assert.equal(row.key_id, (await deriveFileKey('files key for tests, fictional')).id);
    assert.equal(row.content.length, content.length);
    assert.ok(!row.content.includes(Buffer.from(marker)), 'the stored column holds no plaintext');
    assert.ok(!row.content.includes(Buffer.from('witness')), 'the stored column holds no plaintext');
    if (sqliteDir) {
      for (const file of readdirSync(sqliteDir)) assert.ok(!readFileSync(join(sqliteDir, file)).includes(Buffer.from(marker)), file);
    }
    const download = await app.inject({ method: 'GET', url: `/api/v1/sources/${created.json().id}/file`, headers: editor });
    assert.equal(download.statusCode, 200, download.body);
    assert.deepEqual(download.rawPayload, content);

    // The same database read with another key: a clear error, not other bytes.
    const otherKey = await deriveFileKey('another key');
    const wrong = { ...store, fileKey: async () => otherKey };
    await assert.rejects(readSourceFile(wrong, { kind: 'member', userId: 1, email: 'e', role: 'admin', via: 'token' }, created.json().id, { actor: 'test' }), {
      message: /was sealed under another key .*set VIGIL_DATABASE_KEY to the key it was stored under/,
    });
    // Without a key, nothing is added as plaintext beside sealed files.
    const keyless = { ...store, fileKey: async () => null };
    await assert.rejects(storeSourceFile(keyless, { content: sample.png('new') }, { actor: 'test', reason: '', viewer: { kind: 'public' } }), { message: /keeps its files encrypted/ });
    assert.deepEqual(await counts(store), { files: 1, sources: 1 });
  });
});
