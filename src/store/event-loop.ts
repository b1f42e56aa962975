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

/**
 * Long CPU work written as a generator that yields where it may pause: `allAtOnce` runs it to the end
 * for a caller that needs the result now, `stepByStep` gives the event loop a turn at every pause. One
 * piece of code serves both, instead of a blocking version and a yielding twin.
 */
export type Steps<T> = Generator<void, T, void>;

export function allAtOnce<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export async function stepByStep<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await letOthersIn();
  }
}

/** Calls `body` for 0 … count − 1, pausing after every `step` calls and after the last. */
export function* eachInSteps(count: number, step: number, body: (i: number) => void): Steps<void> {
  for (let i = 0; i < count; i++) {
    body(i);
    if (i % step === step - 1 || i === count - 1) yield;
  }
}

/**
 * A stable sort that pauses every `step` comparisons: runs of `run` items sorted by Array#sort, then
 * merged pairwise. For sorts that take seconds (a million names through Intl.Collator) on a server
 * that must keep answering. Returns a new array; `items` is left as it was.
 */
export function* sortedInSteps<T>(items: readonly T[], compare: (a: T, b: T) => number, { run = 1024, step = 10_000 } = {}): Steps<T[]> {
  let from: T[] = [];
  for (let i = 0; i < items.length; i += run) {
    from.push(...items.slice(i, i + run).sort(compare));
    yield;
  }
  let to = new Array<T>(from.length);
  let compared = 0;
  for (let width = run; width < from.length; width *= 2) {
    for (let low = 0; low < from.length; low += 2 * width) {
      const middle = Math.min(low + width, from.length);
      const high = Math.min(low + 2 * width, from.length);
      let left = low;
      let right = middle;
      let at = low;
      while (left < middle && right < high) {
        // Equal items keep their order: the left run's first.
        to[at++] = compare(from[right]!, from[left]!) < 0 ? from[right++]! : from[left++]!;
        if (++compared % step === 0) yield;
      }
      while (left < middle) to[at++] = from[left++]!;
      while (right < high) to[at++] = from[right++]!;
    }
    [from, to] = [to, from];
  }
  return from;
}
