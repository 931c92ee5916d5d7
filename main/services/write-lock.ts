/** A FIFO mutex: one write sequence at a time, in call order. */
export interface WriteLock {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Write sequences running or queued (a restart for an update waits for none). */
  pending(): number;
}

export function createWriteLock(): WriteLock {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      pending += 1;
      const result = tail.then(fn).finally(() => (pending -= 1));
      // The next writer waits for this one whether it succeeded or not.
      tail = result.catch(() => undefined);
      return result;
    },
    pending: () => pending,
  };
}
