/**
 * Gives the event loop a turn. On SQLite every query runs synchronously and its promise is already
 * settled, so a long loop of queries never returns to the event loop by itself: while `vigil serve`
 * built the public registry of a million people it answered nothing, not even /healthz, for minutes.
 * Long reads and CPU-heavy loops call this between chunks so that requests are answered meanwhile.
 */
export function letOthersIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The work's result, or `undefined` when it has not finished after `ms` (the work goes on: whoever asks
 * next may find it done). For requests that should not wait minutes for a build started elsewhere.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
