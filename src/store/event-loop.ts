/**
 * Gives the event loop a turn. On SQLite every query runs synchronously and its promise is already
 * settled, so a long loop of queries never returns to the event loop by itself: while `vigil serve`
 * built the public registry of a million people it answered nothing, not even /healthz, for minutes.
 * Long reads and CPU-heavy loops call this between chunks so that requests are answered meanwhile.
 */
export function letOthersIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
