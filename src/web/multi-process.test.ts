/**
 * Two `vigil serve` processes over one database behind a round-robin reverse proxy, as Vigil runs when
 * one process is not enough: sessions, sign-in limits, caches and the audit chain must hold across them.
 *
 * PostgreSQL only, on purpose: it is the store several processes (on several machines) share. SQLite is
 * one file for one server process; `vigil serve` over SQLite is covered by the single-process tests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { postgresBackend } from '../test-support/stores.js';
import { PASSWORD, setupCode } from '../test-support/accounts.js';
import type { Store } from '../store/connection.js';
import { addUser } from '../features/auth/accounts.service.js';
import { createToken } from '../features/auth/tokens.service.js';
import { currentTotp } from '../features/auth/totp.js';
import { createPerson } from '../features/persons/person.service.js';
import { createEvent } from '../features/events/event.service.js';
import { auditEntries, verifyAudit } from '../features/audit/audit.service.js';
import type { Role } from '../domain/policy.js';

/** Distinct family names, so that a search for one finds exactly that person first. */
const SURNAMES = [
  'Арлоўская', 'Бабарыка', 'Варановіч', 'Гуцька', 'Дзямідаў', 'Жукоўскі', 'Зубкоўская', 'Іўчанка', 'Кавалеўская', 'Лукашэвіч',
  'Мацкевіч', 'Навумчык', 'Пазняк', 'Рымашэўскі', 'Сідарэвіч', 'Тарасевіч', 'Ульянаў', 'Фядута', 'Хадыка', 'Шклярава',
];

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Which process answered (set by the test proxy). */
  upstream: string | undefined;
  json(): Record<string, unknown>;
}

interface Call {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The client's own address (any 127.x.y.z): what the proxy reports in X-Forwarded-For. */
  from?: string;
}

function call(port: number, path: string, { method = 'GET', headers = {}, body, from = '127.0.0.1' }: Call = {}): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, path, method, localAddress: from, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const upstream = response.headers['x-upstream'];
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, upstream: typeof upstream === 'string' ? upstream : undefined, json: () => JSON.parse(text) as Record<string, unknown> });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Process {
  name: string;
  port: number;
  child: ChildProcess;
}

async function startServe(name: string, database: string): Promise<Process> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--database', database, 'serve', '--port', String(port)], {
    env: { ...process.env, VIGIL_TRUST_PROXY: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vigil serve ${name} exited: ${stderr}`);
    const up = await call(port, '/healthz').then((reply) => reply.status === 200, () => false);
    if (up) return { name, port, child };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`vigil serve ${name} did not answer /healthz within 60 s: ${stderr}`);
}

async function stopServe(server: Process): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/**
 * The reverse proxy: round-robin over the processes; like nginx's `proxy_set_header X-Forwarded-For
 * $remote_addr`, it reports the address the client connected from. It names the process that answered.
 */
function startProxy(upstreams: Process[]): Promise<{ server: Server; port: number }> {
  let next = 0;
  const server = createHttpServer((incoming, outgoing) => {
    const target = upstreams[next++ % upstreams.length]!;
    const headers = { ...incoming.headers, 'x-forwarded-for': incoming.socket.remoteAddress ?? '' };
    const forwarded = httpRequest({ host: '127.0.0.1', port: target.port, method: incoming.method, path: incoming.url, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-upstream': target.name });
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

describe('two vigil serve processes over one PostgreSQL behind a reverse proxy', () => {
  const backend = postgresBackend();
  let store: Store;
  let a: Process;
  let b: Process;
  let proxy: { server: Server; port: number };
  const via = (path: string, options?: Call) => call(proxy.port, path, options);

  /** A team member set up through the proxy (password and authenticator), as a person would. */
  async function member(email: string, role: Role, from = '127.0.0.1'): Promise<string> {
    const setup = await addUser(store, email, role, 'test:admin');
    const start = await via('/api/v1/auth/setup/start', { method: 'POST', body: { code: setup.code }, from });
    assert.equal(start.status, 200, start.text);
    const secret = String(start.json().totp_secret);
    const finish = await via('/api/v1/auth/setup/finish', { method: 'POST', body: { code: setup.code, password: PASSWORD, totp: await setupCode(secret) }, from });
    assert.equal(finish.status, 204, finish.text);
    return secret;
  }

  async function tokenFor(email: string): Promise<Record<string, string>> {
    await member(email, 'editor');
    const created = await createToken(store, { email, name: 'multi-process test', role: 'editor' }, 'test:admin');
    return { authorization: `Bearer ${created.token}` };
  }

  before(async () => {
    store = await backend.fresh();
    [a, b] = await Promise.all([startServe('a', backend.lastLocation.database), startServe('b', backend.lastLocation.database)]);
    proxy = await startProxy([a, b]);
  });

  after(async () => {
    await new Promise((resolve) => proxy?.server.close(resolve));
    await Promise.all([a, b].filter(Boolean).map(stopServe));
  });

  it('keeps a session signed in through one process working on the other, until it signs out on either', async () => {
    const secret = await member('session@example.org', 'editor');
    const signIn = await via('/api/v1/auth/sign-in', { method: 'POST', body: { email: 'session@example.org', password: PASSWORD, totp: currentTotp(secret) } });
    assert.equal(signIn.status, 200, signIn.text);
    const cookie = String(signIn.headers['set-cookie']?.find((c) => c.startsWith('vigil_session='))?.split(';')[0]);
    const session = { cookie, 'x-csrf-token': String(signIn.json().csrf_token) };

    const answeredBy = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const me = await via('/api/v1/auth/me', { headers: session });
      assert.equal(me.status, 200, `process ${me.upstream}: ${me.text}`);
      assert.equal(me.json().email, 'session@example.org');
      answeredBy.add(me.upstream!);
    }
    assert.deepEqual([...answeredBy].sort(), ['a', 'b'], 'both processes accepted the session');

    const wroteOn = new Set<string>();
    for (const external_id of ['session-1', 'session-2']) {
      const created = await via('/api/v1/persons', { method: 'POST', headers: session, body: { external_id, names: [{ family: 'Сесійны', given: 'Тэст', lang: 'be' }], change_reason: 'test' } });
      assert.equal(created.status, 201, `a write with the session's CSRF token on process ${created.upstream}: ${created.text}`);
      wroteOn.add(created.upstream!);
    }
    assert.deepEqual([...wroteOn].sort(), ['a', 'b'], "both processes accepted the session's CSRF token");

    const out = await via('/api/v1/auth/sign-out', { method: 'POST', headers: session });
    assert.equal(out.status, 204);
    const refusedBy = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const me = await via('/api/v1/auth/me', { headers: session });
      assert.equal(me.status, 401, `signed out on ${out.upstream}, so refused on ${me.upstream} too`);
      refusedBy.add(me.upstream!);
    }
    assert.deepEqual([...refusedBy].sort(), ['a', 'b']);
  });

  it('counts failed sign-ins across both processes, by the client address the proxy reports', async () => {
    const from = '127.0.0.3';
    const secret = await member('limits@example.org', 'editor', from);
    const failedOn = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const wrong = await via('/api/v1/auth/sign-in', { method: 'POST', from, body: { email: 'limits@example.org', password: 'wrong password', totp: currentTotp(secret) } });
      assert.equal(wrong.status, 401, wrong.text);
      failedOn.add(wrong.upstream!);
    }
    assert.deepEqual([...failedOn].sort(), ['a', 'b'], 'the failures were spread over both processes');

    // The right password and code now: the limit holds on whichever process answers.
    const refusedOn = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const right = await via('/api/v1/auth/sign-in', { method: 'POST', from, body: { email: 'limits@example.org', password: PASSWORD, totp: currentTotp(secret) } });
      assert.equal(right.status, 429, `process ${right.upstream}: ${right.text}`);
      assert.equal((right.json().error as { id: string }).id, 'too_many_attempts');
      refusedOn.add(right.upstream!);
    }
    assert.deepEqual([...refusedOn].sort(), ['a', 'b']);

    const failures = await auditEntries(store.db, { limit: 20, action: 'sign_in_failed', actor: 'limits@example.org' });
    assert.equal(failures.length, 5);
    assert.ok(failures.every((entry) => entry.ip === from), 'both processes took the client address from the trusted proxy');
  });

  it('shows an edit made through one process at once on the other: person page, public search and API', async () => {
    const headers = await tokenFor('editor-visibility@example.org');
    const person = await createPerson(store, {
      external_id: 'visible-1', birth_date: null, gender: 'female', region: null, occupation: null, tags: [], biography: {}, publish: true,
      confidentiality: 'public', field_levels: {}, names: [{ family: 'Першая', given: 'Ганна', patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' }],
    }, { actor: 'test', reason: 'test' });
    for (const event of [{ type: 'detained', date: '2024-03-01' }, { type: 'recognized', date: '2024-03-15' }]) {
      await createEvent(store, person.id, { ...event, confidentiality: 'public' }, { actor: 'test', reason: 'test' });
    }

    // Process B builds and caches what it serves before the edit.
    const pageBefore = await call(b.port, '/prisoners/visible-1?lang=be');
    assert.equal(pageBefore.status, 200);
    assert.match(pageBefore.text, /Першая/);
    const search = async () => ((await call(b.port, `/api/v1/public/persons?q=${encodeURIComponent('Змененая Ганна')}`)).json().persons as { external_id: string; name: string }[])[0];
    assert.equal((await search())?.name, 'Ганна Першая', 'before the edit only the old name is there to find');
    const listBefore = (await call(b.port, '/prisoners?lang=be')).text;
    assert.match(listBefore, /Першая/);
    assert.doesNotMatch(listBefore, /Другая/);

    const current = await call(a.port, '/api/v1/persons/visible-1', { headers });
    const renamed = await call(a.port, '/api/v1/persons/visible-1', {
      method: 'PATCH', headers, body: { version: current.json().version, change_reason: 'court list', names: [{ family: 'Змененая', given: 'Ганна', lang: 'be', confidentiality: 'public' }] },
    });
    assert.equal(renamed.status, 200, renamed.text);
    const added = await call(a.port, '/api/v1/persons', { method: 'POST', headers, body: { external_id: 'visible-2', publish: true, confidentiality: 'public', names: [{ family: 'Другая', given: 'Вольга', lang: 'be', confidentiality: 'public' }], change_reason: 'test' } });
    assert.equal(added.status, 201, added.text);
    for (const event of [{ type: 'detained', date: '2025-01-10' }, { type: 'recognized', date: '2025-01-20', organization: 'Viasna' }]) {
      const recorded = await call(a.port, '/api/v1/events', { method: 'POST', headers, body: { person: 'visible-2', ...event, confidentiality: 'public', change_reason: 'test' } });
      assert.equal(recorded.status, 201, recorded.text);
    }

    const pageAfter = await call(b.port, '/prisoners/visible-1?lang=be');
    assert.match(pageAfter.text, /Змененая/);
    assert.doesNotMatch(pageAfter.text, /Першая/);
    assert.deepEqual(await search(), { ...(await search()), external_id: 'visible-1', name: 'Ганна Змененая' }, 'the public search index on B was rebuilt');
    assert.match((await call(b.port, '/prisoners?lang=be')).text, /Другая/, 'the new person is on the public list');
    assert.equal((await call(b.port, '/prisoners/visible-2?lang=be')).status, 200);
    const privateRead = await call(b.port, '/api/v1/persons/visible-1', { headers });
    assert.equal(privateRead.json().version, renamed.json().version);
  });

  it('keeps the audit chain whole and every write findable after concurrent writes to both processes', async () => {
    const headers = await tokenFor('editor-concurrent@example.org');
    const headBefore = (await auditEntries(store.db, { limit: 1 }))[0]!.seq;
    const people = SURNAMES.map((family, i) => ({ external_id: `concurrent-${i}`, family }));
    // 20 new people and 20 events, all at once, alternating between the two processes.
    const writes = people.flatMap((person, i) => [
      call((i % 2 === 0 ? a : b).port, '/api/v1/persons', {
        method: 'POST', headers, body: { external_id: person.external_id, publish: true, confidentiality: 'public', names: [{ family: person.family, given: 'Тэст', lang: 'be', confidentiality: 'public' }], change_reason: 'test' },
      }),
      call((i % 2 === 0 ? b : a).port, '/api/v1/events', {
        method: 'POST', headers, body: { person: 'visible-1', type: 'charged', date: `2024-04-${String(i + 1).padStart(2, '0')}`, articles: ['342'], change_reason: 'test' },
      }),
    ]);
    // Public searches on both processes while the writes go on: each rebuilds its index from what it
    // sees at that moment, and must still see every write in the end.
    let writing = true;
    const reader = async (server: Process) => {
      while (writing) await call(server.port, `/api/v1/public/persons?q=${encodeURIComponent('Тэст')}`);
    };
    const readers = [reader(a), reader(b)];
    const results = await Promise.all(writes);
    writing = false;
    await Promise.all(readers);
    assert.deepEqual(results.map((r) => r.status), results.map(() => 201), results.filter((r) => r.status !== 201).map((r) => r.text).join('\n'));

    const verified = await verifyAudit(store.db);
    assert.equal(verified.ok, true, JSON.stringify(verified));
    assert.equal(verified.head?.seq, headBefore + 40, 'one entry per write, numbered without gaps');
    const added = (await auditEntries(store.db, { limit: 100 })).filter((entry) => entry.seq > headBefore);
    assert.equal(added.filter((entry) => entry.action === 'create').length, 40);

    for (const server of [a, b]) {
      for (const person of people) {
        const hits = (await call(server.port, `/api/v1/public/persons?q=${encodeURIComponent(`${person.family} Тэст`)}&limit=1`)).json().persons as { external_id: string }[];
        assert.equal(hits[0]?.external_id, person.external_id, `process ${server.name}'s public search finds ${person.family}`);
      }
      const events = (await call(server.port, '/api/v1/events?person=visible-1&type=charged&limit=100', { headers })).json().items as unknown[];
      assert.equal(events.length, 20, `process ${server.name} lists every event written through either`);
    }
  });
});
