/** A FIFO mutex: one write sequence at a time, in call order. */
export interface WriteLock {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createWriteLock(): WriteLock {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn);
      // The next writer waits for this one whether it succeeded or not.
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
