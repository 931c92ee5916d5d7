/** How far a long operation is. */
export interface Progress {
  done: number;
  total: number;
}

/**
 * Runs `work`, which reports its progress, as a generator of progress events that returns the
 * work's result. Reports that arrive faster than they are read collapse into the latest one.
 * NOTE: for work that must stay one call (one write transaction) yet show progress; stopping the
 * generator does not stop the work.
 */
export async function* withProgress<T>(
  work: (report: (progress: Progress) => void) => Promise<T>,
): AsyncGenerator<Progress, T> {
  let latest: Progress | null = null;
  let settled = false;
  let wake: (() => void) | undefined;
  const running = work((progress) => {
    latest = progress;
    wake?.();
  });
  running.then(
    () => {
      settled = true;
      wake?.();
    },
    () => {
      settled = true;
      wake?.();
    },
  );
  for (;;) {
    if (latest) {
      const next: Progress = latest;
      latest = null;
      yield next;
      continue;
    }
    if (settled) return await running;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}
