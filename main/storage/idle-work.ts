/** Work a write left is looked at once writes pause this long. */
export const IDLE_WORK_DELAY_MS = 200;
/**
 * Work nobody waits for runs its next step only once the app has left the file alone this long (no read,
 * no write, no pulled page): a save or a screen's read never queues behind it.
 */
const IDLE_MS = 100;

/** What idle work needs of the database file (`DatabaseFile`). */
export interface IdleWorkFile {
  /** How long the app has left the file alone, in ms. */
  readonly idleMs: number;
  waitForWriteTurn(): Promise<void>;
  readonly checkpointer: { request(): void };
}

export interface IdleWork {
  /** Looks for work `delayMs` from now (a later call restarts the wait) and does it while the app leaves the file alone. */
  schedule(delayMs?: number): void;
  /** Does what is left without waiting for a pause; resolves once nothing is (or the work was closed). */
  finish(): Promise<void>;
  close(): void;
}

/**
 * Work on the database file done in steps while the app leaves it alone: `pending` tells whether any is
 * left, `step` does one piece in a transaction of its own (`urgent`: someone waits in `finish`, so it may do
 * more at once). Between two steps a read or a save may come; after each the WAL is copied back off the main
 * thread, not by the next save's commit. Used for what a bulk write leaves to make later: the search index
 * and back-links of pulled pages (services/derived-tables.ts) and the indexes of a table filled by an
 * initial sync (deferred-indexes.ts). docs/decisions.md, "Initial sync: search index and back-links made
 * once the pulled pages pause".
 */
export function idleWork(
  file: IdleWorkFile,
  work: {
    pending(): boolean;
    step(urgent: boolean): void;
    what: string;
    /** How much longer the work waits besides the app's pause, in ms (0 or less: none). */
    waitMs?: () => number;
  },
): IdleWork {
  let closed = false;
  let running: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** When the wait `schedule` asked for last ends (performance.now()). */
  let dueAt = 0;
  /** Callers waiting in `finish`: the steps then run without waiting for a pause. */
  let waiting = 0;

  const fire = () => {
    // NOTE: a later `schedule` moved the end of the wait instead of setting a timer of its own: every save
    // schedules, and two timers per save were a tenth of its change events' cost.
    const rest = dueAt - performance.now();
    if (rest >= 1) {
      timer = setTimeout(fire, rest);
      return;
    }
    timer = undefined;
    if (running || !work.pending()) return;
    start().catch((error: unknown) => console.error(`Curio: ${work.what} could not be made.`, error));
  };
  const schedule = (delayMs = IDLE_WORK_DELAY_MS) => {
    if (closed) return;
    const at = performance.now() + delayMs;
    // The timer set fires no later than `at` and waits again for the rest.
    const armed = timer !== undefined && at >= dueAt;
    dueAt = at;
    if (armed) return;
    clearTimeout(timer);
    timer = setTimeout(fire, delayMs);
  };
  const drain = async () => {
    while (!closed && work.pending()) {
      const wait = Math.max(IDLE_MS - file.idleMs, work.waitMs?.() ?? 0);
      if (waiting === 0 && wait > 0) return schedule(wait);
      await file.waitForWriteTurn();
      if (closed || !work.pending()) return;
      work.step(waiting > 0);
      file.checkpointer.request();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  /** The work running, or a new run; `running` is cleared once it ended, before its awaiters go on. */
  const start = () =>
    (running ??= drain().finally(() => {
      running = undefined;
    }));

  return {
    schedule,
    async finish() {
      // Nothing left (the usual case): the caller does not wait for another write's transaction to end.
      if (!running && !work.pending()) return;
      waiting += 1;
      try {
        while (!closed && work.pending()) await start();
      } finally {
        waiting -= 1;
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
