/**
 * Sources in the workspace, driven as a browser without JavaScript would: a web page source created,
 * read, corrected (stale edits and bad values refused), found again; a file uploaded through the
 * multipart form (CSRF field first), hashed at intake (the SHA-256 shown is the one computed here),
 * typed by content, refused when it is HTML or too large with nothing stored; a source cited from a
 * person's record and removed again; roles that may not write. All data here is fictional.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describeBothBackends } from '../../test-support/stores.js';
import { inputValue, workspaceMember, type WorkspaceClient } from '../../test-support/workspace.js';
import type { Store } from '../../store/connection.js';
import type { App } from '../api/app-types.js';
import { createPerson } from '../../features/persons/person.service.js';
import { html as htmlFile, png } from '../../features/files/file-samples.fixture.js';
import { buildApp } from '../app.js';

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; type?: string };

/** A multipart/form-data body in the order the parts are given, as a browser writes it. */
function multipart(parts: Part[]): { payload: Buffer; type: string } {
  const boundary = `----vigil${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = 'filename' in part
      ? `form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}`
      : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`), 'filename' in part ? part.content : Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

interface UploadOptions {
  csrf?: string | null;
  csrfLast?: boolean;
  filename?: string;
  declared?: string;
  fields?: Record<string, string>;
}

async function upload(app: App, client: WorkspaceClient, content: Buffer, options: UploadOptions = {}) {
  const fields: Part[] = Object.entries({ title: '', published_date: '2021-05', reliability: 'high', confidentiality: 'internal', reason: 'sent by the family (fictional)', ...options.fields })
    .map(([name, value]) => ({ name, value }));
  const file: Part = { name: 'file', filename: options.filename ?? 'scan.pdf', content, type: options.declared ?? 'application/pdf' };
  const csrf: Part[] = options.csrf === null ? [] : [{ name: '_csrf', value: options.csrf ?? client.csrf }];
  const body = multipart(options.csrfLast ? [...fields, file, ...csrf] : [...csrf, ...fields, file]);
  const answer = await app.inject({ method: 'POST', url: '/admin/sources/upload?lang=en', headers: { cookie: client.cookie, 'content-type': body.type }, payload: body.payload });
  return { status: answer.statusCode, body: answer.body, location: answer.headers.location as string | undefined };
}

async function stored(store: Store) {
  const sources = await store.db.selectFrom('source').select('id').execute();
  const files = await store.db.selectFrom('stored_file').select('sha256').execute();
  return { sources: sources.length, files: files.length };
}

async function fictionalPerson(store: Store) {
  return createPerson(store, {
    external_id: 'by-src-1', birth_date: null, gender: 'female', region: null, occupation: null, tags: ['fictional'], biography: {}, publish: false,
    confidentiality: 'internal', field_levels: {},
    names: [{ family: 'Прыдуманая', given: 'Вольга', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'internal' }],
  }, { actor: 'test', reason: 'fictional test person' });
}

const decode = (page: string) => page.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
const sourceId = (location: string | undefined) => Number(location!.match(/\/admin\/sources\/(\d+)/)![1]);

const urlSource = (overrides: Record<string, string> = {}) => ({
  kind: 'url', url: 'https://example.org/fictional-news', title: 'Fictional news report', citation: '', sha256: '', published_date: '2021-05-03',
  reliability: 'medium', confidentiality: 'internal', reason: 'found while documenting', ...overrides,
});

describeBothBackends('workspace: sources', (backend) => {
  it('adds a web page source, reads it, finds it, corrects it; a stale edit and bad values are refused', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const saved = await editor.post('/admin/sources/new?lang=en', urlSource());
    assert.equal(saved.status, 303, saved.body.slice(0, 3000));
    const id = sourceId(saved.location);
    const page = await editor.get(saved.location!);
    assert.match(page.body, /Fictional news report/);
    assert.match(page.body, /Added by editor@example.org on /);
    assert.match(page.body, /No record cites this source yet\./);
    assert.match((await editor.get(`/admin/sources?lang=en&q=${encodeURIComponent('NEWS report')}`)).body, new RegExp(`/admin/sources/${id}\\?`));
    assert.doesNotMatch((await editor.get(`/admin/sources?lang=en&q=${encodeURIComponent('100%')}`)).body, new RegExp(`/admin/sources/${id}\\?`), '% is matched as itself');

    const edited = await editor.post(`/admin/sources/${id}/edit?lang=en`, urlSource({ version: '1', reliability: 'high', reason: 'checked the archive' }));
    assert.equal(edited.status, 303);
    const stale = await editor.post(`/admin/sources/${id}/edit?lang=en`, urlSource({ version: '1', title: 'Another title', reason: 'other' }));
    assert.equal(stale.status, 200);
    assert.match(stale.body, /your version 1, now 2/);
    assert.equal(inputValue(stale.body, 'title'), 'Another title');
    assert.equal((await store.db.selectFrom('source').select('reliability').where('id', '=', id).executeTakeFirstOrThrow()).reliability, 'high');

    const bad = await editor.post('/admin/sources/new?lang=en', urlSource({ url: 'javascript:alert(1)', published_date: '2021-00', sha256: 'abc' }));
    assert.equal(bad.status, 400);
    assert.match(decode(bad.body), /Web address: "javascript:alert\(1\)" is not a web address/);
    assert.match(decode(bad.body), /Published: "2021-00" is not a date/);
    assert.match(decode(bad.body), /SHA-256: a SHA-256 is 64 hexadecimal digits/);
    assert.equal((await stored(store)).sources, 1);

    const researcher = await workspaceMember(app, store, 'researcher@example.org', 'researcher');
    assert.equal((await researcher.get(`/admin/sources/${id}?lang=en`)).status, 200);
    assert.equal((await researcher.post('/admin/sources/new?lang=en', urlSource({ url: 'https://example.org/other' }))).status, 403);
    assert.equal((await upload(app, researcher, png('researcher upload'))).status, 403);
    assert.deepEqual(await stored(store), { sources: 1, files: 0 });
    await app.close();
  });

  it('uploads a file: the SHA-256 shown is the one of its bytes, the type is told by the content, the file downloads', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const form = await editor.get('/admin/sources/upload?lang=en');
    assert.equal(form.status, 200);
    assert.match(form.body, /enctype="multipart\/form-data"/);
    assert.ok(form.body.indexOf('name="_csrf"', form.body.indexOf('enctype')) < form.body.indexOf('name="file"'), 'the CSRF field comes before the file');

    const image = png('fictional photo of a letter');
    const sha256 = createHash('sha256').update(image).digest('hex');
    const sent = await upload(app, editor, image, { filename: 'verdict.pdf', declared: 'application/pdf' });
    assert.equal(sent.status, 303, sent.body.slice(0, 3000));
    const id = sourceId(sent.location);
    const page = await editor.get(sent.location!);
    assert.match(page.body, new RegExp(`<code class="hash" id="sha256">${sha256}</code>`));
    assert.match(page.body, /PNG image \(image\/png\)/);
    assert.match(page.body, /File first stored by editor@example.org on /);
    const row = await store.db.selectFrom('source').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.kind, row.sha256, row.media_type, row.size_bytes, row.title], ['file', sha256, 'image/png', image.length, 'verdict.pdf']);

    const download = await app.inject({ method: 'GET', url: `/api/v1/sources/${id}/file`, headers: { cookie: editor.cookie } });
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'image/png');
    assert.equal(createHash('sha256').update(download.rawPayload).digest('hex'), sha256);
    assert.match((await editor.get(`/admin/sources?lang=en&q=${sha256.toUpperCase()}`)).body, /verdict\.pdf/, 'found by its SHA-256');
    await app.close();
  });

  it('refuses an HTML file, a form without its CSRF field first, and an upload without a file, storing nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');

    const refused = await upload(app, editor, htmlFile(), { filename: 'report.pdf' });
    assert.equal(refused.status, 415);
    assert.match(refused.body, /the file is an HTML page \(text\/html, told by its content/);
    assert.equal(inputValue(refused.body, 'reason'), 'sent by the family (fictional)', 'the other fields are kept');
    assert.deepEqual(await stored(store), { sources: 0, files: 0 });

    assert.equal((await upload(app, editor, png(), { csrf: 'forged' })).status, 403);
    assert.equal((await upload(app, editor, png(), { csrf: null })).status, 403);
    const last = await upload(app, editor, png(), { csrfLast: true });
    assert.equal(last.status, 403);
    assert.match(last.body, /_csrf field must come before the file/);
    assert.deepEqual(await stored(store), { sources: 0, files: 0 });

    const missing = await upload(app, editor, Buffer.alloc(0), { filename: '' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /File: choose the file to upload/);
    await app.close();
  });

  it('refuses a file over the size limit with a clear message', async () => {
    const previous = process.env.VIGIL_UPLOAD_MAX_MB;
    process.env.VIGIL_UPLOAD_MAX_MB = '1';
    try {
      const store = await backend.fresh();
      const app = await buildApp({ store });
      const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
      const big = Buffer.concat([png('large'), Buffer.alloc(1024 * 1024)]);
      const answer = await upload(app, editor, big, { filename: 'big.png', declared: 'image/png' });
      assert.equal(answer.status, 413);
      assert.match(answer.body, /the file is larger than 1 MB, the most this Vigil accepts/);
      assert.deepEqual(await stored(store), { sources: 0, files: 0 });
      await app.close();
    } finally {
      if (previous === undefined) delete process.env.VIGIL_UPLOAD_MAX_MB;
      else process.env.VIGIL_UPLOAD_MAX_MB = previous;
    }
  });

  it('cites sources from a person’s record (existing, a new web page, an uploaded file) and removes one, logged and audited', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const person = await fictionalPerson(store);
    const editor = await workspaceMember(app, store, 'editor@example.org', 'editor');
    const existing = sourceId((await editor.post('/admin/sources/new?lang=en', urlSource())).location);
    assert.match((await editor.get(`/admin/persons/${person.id}?lang=en`)).body, new RegExp(`href="/admin/persons/${person.id}/sources\\?lang=en"`));

    const cited = await editor.post(`/admin/persons/${person.id}/sources?lang=en`, {
      intent: 'attach', source_ids: String(existing), source_url: 'https://example.org/fictional-profile', confidentiality: 'restricted', reason: 'profile page',
    });
    assert.equal(cited.status, 303, cited.body.slice(0, 3000));
    const uploaded = await upload(app, editor, png('fictional consent letter'), { fields: { person: String(person.id), title: 'Consent letter (fictional)' } });
    assert.equal(uploaded.status, 303, uploaded.body.slice(0, 3000));
    const fileId = sourceId(uploaded.location);

    const links = await store.db.selectFrom('source_link').innerJoin('source', 'source.id', 'source_link.source_id').select(['source.id', 'source.url', 'source.confidentiality'])
      .where('entity', '=', 'person').where('entity_id', '=', person.id).orderBy('source.id').execute();
    assert.equal(links.length, 3);
    assert.equal(links[0]!.id, existing);
    assert.deepEqual([links[1]!.url, links[1]!.confidentiality], ['https://example.org/fictional-profile', 'restricted']);
    assert.equal(links[2]!.id, fileId);
    const page = await editor.get(`/admin/persons/${person.id}/sources?lang=en`);
    assert.match(page.body, /Consent letter \(fictional\)/);
    assert.match((await editor.get(`/admin/sources/${existing}?lang=en`)).body, /Вольга Прыдуманая/, 'the source says which records cite it');

    const volunteer = await workspaceMember(app, store, 'volunteer@example.org', 'volunteer');
    const seen = await volunteer.get(`/admin/persons/${person.id}/sources?lang=en`);
    assert.equal(seen.status, 200);
    assert.doesNotMatch(seen.body, /fictional-profile/, 'a restricted source is not shown to a volunteer');

    const removed = await editor.post(`/admin/persons/${person.id}/sources?lang=en`, { intent: 'remove', source_id: String(existing), reason: 'wrong person' });
    assert.equal(removed.status, 303);
    const left = await store.db.selectFrom('source_link').select('source_id').where('entity', '=', 'person').where('entity_id', '=', person.id).execute();
    assert.deepEqual(left.map((l) => l.source_id).sort((a, b) => a - b), [links[1]!.id, fileId]);
    const log = await store.db.selectFrom('change_log').select(['version', 'reason', 'before', 'after']).where('entity', '=', 'person_sources').where('entity_id', '=', person.id).orderBy('version').execute();
    assert.deepEqual(log.map((entry) => [entry.version, entry.reason]), [[1, 'profile page'], [2, 'sent by the family (fictional)'], [3, 'wrong person']]);
    assert.deepEqual(JSON.parse(log[2]!.before!).source_ids, [existing, links[1]!.id, fileId]);
    const audit = await store.db.selectFrom('audit_log').select('action').where('entity', '=', 'person_sources').where('entity_id', '=', String(person.id)).execute();
    assert.equal(audit.length, 3);

    const nothing = await editor.post(`/admin/persons/${person.id}/sources?lang=en`, { intent: 'attach', cite_ids: '12345', confidentiality: 'internal', reason: 'x' });
    assert.equal(nothing.status, 400);
    assert.match(nothing.body, /Source numbers: there is no source #12345/);
    await app.close();
  });
});
