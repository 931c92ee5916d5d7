import type { BackoffOptions } from './event-stream';

/**
 * When the replication starts again after the storage rolled back pulled writes it had counted as stored
 * (docs/decisions.md, "Pulled writes rolled back are pulled again at once"). Not at once: a failure that
 * lasts (a full disk, a read-only file) would fail again at once, so the first wait is `initialMs`, each
 * loss before the replication is in sync again doubles it up to `maxMs`, and losses while a restart waits
 * add nothing to it.
 */
export class Replay {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;

  constructor(private readonly backoff: BackoffOptions) {}

  /** A restart waits: whatever the replication says, it is not in sync. */
  get waiting(): boolean {
    return this.timer !== undefined;
  }

  /** Pulled writes were lost: `restart` runs after the current wait, unless a restart waits already. */
  schedule(restart: () => void): void {
    if (this.timer !== undefined) return;
    const { initialMs, maxMs } = this.backoff;
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt++, 30));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      restart();
    }, delay);
  }

  /** The replication is in sync and its pulled writes are committed: the next loss waits `initialMs` again. */
  succeeded(): void {
    this.attempt = 0;
  }

  /** The replication stopped (sign-out, new sign-in, close): no restart waits, and the next starts afresh. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.attempt = 0;
  }
}
