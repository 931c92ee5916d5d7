import type { Observable } from 'rxjs';
import { toTRPCError } from './errors';

/**
 * A live query for a tRPC subscription: yields `run()` now and again after
 * each change on `changes`. Changes that arrive while a result is being
 * computed collapse into one re-run, so a burst of writes yields a few
 * results, the last one current. Ends when `signal` aborts.
 * NOTE: a hand-written iterator rather than an async generator, so that
 * stopping it (return) never waits for the next change.
 */
export function liveQuery<T>(
  changes: Observable<unknown>,
  run: () => Promise<T>,
  signal: AbortSignal,
): AsyncIterableIterator<T> {
  let dirty = true;
  let finished = false;
  let wake: (() => void) | undefined;
  const subscription = changes.subscribe(() => {
    dirty = true;
    wake?.();
  });
  const finish = () => {
    if (finished) return;
    finished = true;
    subscription.unsubscribe();
    signal.removeEventListener('abort', finish);
    wake?.();
  };
  signal.addEventListener('abort', finish);
  if (signal.aborted) finish();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      while (!finished && !dirty) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (finished) return { done: true, value: undefined };
      dirty = false;
      try {
        return { done: false, value: await run() };
      } catch (error) {
        finish();
        throw toTRPCError(error);
      }
    },
    async return() {
      finish();
      return { done: true, value: undefined };
    },
  };
}

/**
 * Every value `source` emits, in order, as a subscription (nothing collapsed: each
 * value is a change to push). Subscribes at once, so nothing emitted before the
 * first read is lost. Ends when `signal` aborts.
 */
export function eachValue<T>(source: Observable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  const subscription = source.subscribe((value) => {
    queue.push(value);
    wake?.();
  });
  // On abort also when no read ever started (a generator's finally would not run then).
  const stop = () => {
    subscription.unsubscribe();
    wake?.();
  };
  signal.addEventListener('abort', stop);
  return (async function* () {
    try {
      while (!signal.aborted) {
        if (queue.length > 0) yield queue.shift()!;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      subscription.unsubscribe();
      signal.removeEventListener('abort', stop);
    }
  })();
}

/** A service's streamed work (export, purge) as a subscription, with its errors mapped. */
export async function* mapStream<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw toTRPCError(error);
  }
}

/** The signal of a call, ended also when the core closes. */
export function callSignal(signal: AbortSignal | undefined, closed: AbortSignal): AbortSignal {
  return signal ? AbortSignal.any([signal, closed]) : closed;
}
