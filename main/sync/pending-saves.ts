import { setTimeout as delay } from 'node:timers/promises';
import type { PendingChanges } from './pending';
import type { pendingFile } from './state-files';

/** The least time between two saves of the list: a bulk import of offline edits must not rewrite it per write. */
export const PENDING_SAVE_SPACING_MS = 250;

/**
 * Keeps `sync-pending.json` close behind the waiting list, so a crash forgets at most the last
 * moments of it: one save at a time, each of the list as it is then, the next no sooner than
 * `PENDING_SAVE_SPACING_MS` later. NOTE: saved only at close before, a crash forgot every change
 * since the last clean close, and a viewer's pull-only run then stored teammates' versions over them.
 */
export class PendingSaves {
  private savedVersion = -1;
  private saving = false;
  private closed = false;

  constructor(
    private readonly list: PendingChanges,
    private readonly file: ReturnType<typeof pendingFile>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The list changed: saved now, or as soon as the save under way and its rest are over. */
  changed(): void {
    if (this.closed || this.saving || this.list.version === this.savedVersion) return;
    this.saving = true;
    void this.saveThenRest()
      .catch(this.onError)
      .finally(() => {
        this.saving = false;
        this.changed();
      });
  }

  /** The last save, after any under way (the file's writes keep their order). */
  async close(): Promise<void> {
    this.closed = true;
    await this.file.save(this.list.entries());
  }

  private async saveThenRest(): Promise<void> {
    try {
      // The rest of a bulk's changes join this save.
      await new Promise((resolve) => setImmediate(resolve));
      const version = this.list.version;
      await this.file.save(this.list.entries());
      this.savedVersion = version;
    } finally {
      await delay(PENDING_SAVE_SPACING_MS, undefined, { ref: false });
    }
  }
}
