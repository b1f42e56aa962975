/**
 * Requests take turns with the event loop. On SQLite a request's work is synchronous from start to
 * answer, and the event loop runs every request that became ready in one go before it looks at the
 * network again: under load one turn of the loop grew to hundreds of milliseconds, and since Node 20's
 * libuv accepts one new connection per turn, clients that connected while the server was busy waited in
 * the kernel's accept queue for more than 10 s (timeouts at 200 concurrent clients). Here each request
 * waits for a slot in the check phase of the loop, and once a turn has spent its budget the rest wait
 * for the next turn, in the order they came, so the loop comes back to the network (accepts, reads,
 * PostgreSQL answers) at least every few milliseconds. Below saturation a request goes straight through.
 */
import type { FastifyInstance } from 'fastify';

/** How long the requests of one turn may run before the loop gets the network back. */
export const TURN_BUDGET_MS = 10;

interface Turns {
  /** When the current turn's check phase began. */
  startedAt: number;
  waiting: number;
  marking: boolean;
}

/**
 * Marks the start of each turn's check phase while requests wait: it queues itself again first, so it
 * runs before every waiting request of the next turn.
 */
function markTurns(turns: Turns): void {
  if (turns.waiting === 0) {
    turns.marking = false;
    return;
  }
  setImmediate(markTurns, turns);
  turns.startedAt = performance.now();
}

function slot(turns: Turns, budgetMs: number): Promise<void> {
  turns.waiting += 1;
  if (!turns.marking) {
    turns.marking = true;
    setImmediate(markTurns, turns);
  }
  return new Promise((resolve) => {
    const attempt = () => {
      if (performance.now() - turns.startedAt >= budgetMs) {
        setImmediate(attempt);
        return;
      }
      turns.waiting -= 1;
      resolve();
    };
    setImmediate(attempt);
  });
}

/** Every request of `app` waits for its turn first (register before any other onRequest hook). */
export function takeTurns(app: FastifyInstance, budgetMs = TURN_BUDGET_MS): void {
  const turns: Turns = { startedAt: performance.now(), waiting: 0, marking: false };
  app.addHook('onRequest', () => slot(turns, budgetMs));
}
