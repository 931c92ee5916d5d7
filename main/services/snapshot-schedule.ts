import type { SnapshotService } from './snapshots';

/** How often a running core asks whether a snapshot is due (cheap: one folder listing). */
export const SCHEDULE_CHECK_MS = 3_600_000;

/**
 * Daily snapshots while Curio runs: checks at once, then every
 * SCHEDULE_CHECK_MS, and takes one when the newest is a day old. Returns the
 * stop function. A failed snapshot is reported, never thrown: it must not
 * stop the app.
 */
export function scheduleSnapshots(
  snapshots: SnapshotService,
  onError: (error: unknown) => void = (error) => console.warn('Curio could not take a scheduled snapshot:', error),
): () => void {
  let running: Promise<unknown> = Promise.resolve();
  const check = () => {
    running = running.then(() => snapshots.takeIfDue()).catch(onError);
  };
  check();
  const timer = setInterval(check, SCHEDULE_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
