/**
 * A server busy with synchronous requests (as on SQLite) must still accept new connections quickly:
 * without turns, the event loop ran every ready request before looking at the network again, and
 * clients that connected meanwhile waited in the accept queue until they timed out.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Agent, request } from 'node:http';
import Fastify from 'fastify';
import { takeTurns } from './fair-turns.js';

const BUSY_CLIENTS = 24;
const WORK_MS = 15;
const LATE_CLIENTS = 8;

/** Synchronous work, like a request whose SQLite queries and rendering never wait. */
function work(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

async function server() {
  const app = Fastify();
  takeTurns(app);
  app.get('/', async () => {
    work(WORK_MS);
    return 'done';
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

/** Each client sends its next request as soon as the answer comes, until told to stop. */
function closedLoop(port: number, agent: Agent, running: () => boolean): Promise<number> {
  let answered = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      if (!running()) return resolve(answered);
      request({ port, host: '127.0.0.1', path: '/', agent }, (response) => {
        response.resume();
        response.on('end', () => {
          answered += 1;
          next();
        });
      }).on('error', reject).end();
    };
    next();
  });
}

describe('turns', () => {
  it('accepts new connections within a few turns while every request works synchronously', async () => {
    const app = await server();
    const { port } = app.server.address() as AddressInfo;
    const connectedAt = new Map<string, number>();
    app.server.on('connection', (socket) => connectedAt.set(`${socket.remotePort}`, performance.now()));
    const agent = new Agent({ keepAlive: true, maxSockets: BUSY_CLIENTS });
    let running = true;
    const sockets: Socket[] = [];
    const busy = Array.from({ length: BUSY_CLIENTS }, () => closedLoop(port, agent, () => running));
    try {
      // Let every busy client get its connection accepted and the loop fill up.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const late = await Promise.all(
        Array.from({ length: LATE_CLIENTS }, () => new Promise<{ local: string; openedAt: number }>((resolve, reject) => {
          const openedAt = performance.now();
          const socket = connect({ port, host: '127.0.0.1' }, () => resolve({ local: `${socket.localPort}`, openedAt }));
          socket.on('error', reject);
          sockets.push(socket);
        })),
      );
      const deadline = performance.now() + 8000;
      while (performance.now() < deadline && late.some(({ local }) => !connectedAt.has(local))) await new Promise((resolve) => setTimeout(resolve, 20));
      const waits = late.map(({ local, openedAt }) => (connectedAt.get(local) ?? Infinity) - openedAt);
      const slowest = Math.max(...waits);
      // A turn runs about TURN_BUDGET_MS plus one request; without turns it runs all 24 requests (360 ms).
      assert.ok(slowest < 1000, `the last of ${LATE_CLIENTS} new connections was accepted after ${slowest.toFixed(0)} ms (${waits.map((w) => w.toFixed(0)).join(', ')})`);
    } finally {
      running = false;
      for (const socket of sockets) socket.destroy();
      const answered = (await Promise.all(busy)).reduce((a, b) => a + b, 0);
      assert.ok(answered > BUSY_CLIENTS, `busy clients got ${answered} answers`);
      agent.destroy();
      await app.close();
    }
  });

  it('lets a request through at once when the server is idle', async () => {
    const app = await server();
    try {
      const started = performance.now();
      const answer = await app.inject({ url: '/' });
      assert.equal(answer.body, 'done');
      assert.ok(performance.now() - started < 500);
    } finally {
      await app.close();
    }
  });
});
