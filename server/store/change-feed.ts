import { z } from 'zod';
import { REPLICATED_COLLECTIONS, type ReplicatedCollection } from '../../shared/protocol';
import type { ChangeBatch, StoredRow } from './types';

/** Rows read per query while catching up after a hint. */
const CATCH_UP_PAGE = 1000;

/**
 * What a `NOTIFY curio_changes` may carry. Only the collection is used: it is a
 * hint that something changed there, never a range to trust (STREAM-7). Extra
 * keys are allowed so processes of the previous version (which also sent
 * `from`/`to`) keep being heard.
 */
export const notificationSchema = z.looseObject({
  origin: z.string().max(100),
  collection: z.enum(REPLICATED_COLLECTIONS),
});

/** Why a notification was ignored; the label of `curio_sync_notifications_ignored_total`. */
export type IgnoredNotification = 'not-json' | 'invalid';

export interface ChangeFeedOptions {
  /** Committed rows of `collection` with a sequence above `after`, ascending, at most `limit`. */
  read(collection: ReplicatedCollection, after: number, limit: number): Promise<StoredRow[]>;
  /** The current sequence of every collection. */
  heads(): Promise<Map<string, number>>;
  emit(batch: ChangeBatch): void;
}

/**
 * One process's view of committed changes, delivered in sequence order
 * exactly once: it keeps its own checkpoint per collection and moves it only
 * by reading the database. Own commits that continue the checkpoint go out
 * as they are; anything else (another process's commit, a gap) is read from
 * the checkpoint. Hints for a collection that is already being read collapse
 * into one more read, so a flood of notifications costs a few empty queries.
 */
export class ChangeFeed {
  private readonly checkpoints = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private closed = false;

  constructor(private readonly options: ChangeFeedOptions) {}

  /** Starts (or restarts, after missed notifications) from the database's current state. */
  async reset(): Promise<void> {
    const heads = await this.options.heads();
    for (const [collection, sequence] of heads) this.checkpoints.set(collection, sequence);
  }

  /** Rows this process just committed, in sequence order. */
  committed(collection: ReplicatedCollection, rows: StoredRow[]): void {
    this.enqueue(collection, async () => {
      const checkpoint = this.checkpoints.get(collection) ?? 0;
      const first = rows[0];
      if (!first || rows[rows.length - 1]!.sequence <= checkpoint) return;
      if (first.sequence === checkpoint + 1) {
        this.checkpoints.set(collection, rows[rows.length - 1]!.sequence);
        this.options.emit({ collection, rows });
      } else await this.catchUp(collection);
    });
  }

  /** Parses a notification; a valid one makes the collection be read from the checkpoint. */
  notified(payload: string | undefined, ownOrigin: string): IgnoredNotification | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload ?? '');
    } catch {
      return 'not-json';
    }
    const result = notificationSchema.safeParse(parsed);
    if (!result.success) return 'invalid';
    if (result.data.origin === ownOrigin) return null;
    this.hint(result.data.collection);
    return null;
  }

  /** Something may have changed in `collection`: read what is new since the checkpoint. */
  hint(collection: ReplicatedCollection): void {
    if (this.dirty.has(collection)) return;
    this.dirty.add(collection);
    this.enqueue(collection, () => {
      this.dirty.delete(collection);
      return this.catchUp(collection);
    });
  }

  close(): void {
    this.closed = true;
  }

  private async catchUp(collection: ReplicatedCollection): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const after = this.checkpoints.get(collection) ?? 0;
      const rows = await this.options.read(collection, after, CATCH_UP_PAGE);
      if (rows.length === 0) return;
      this.checkpoints.set(collection, rows[rows.length - 1]!.sequence);
      this.options.emit({ collection, rows });
      if (rows.length < CATCH_UP_PAGE) return;
    }
  }

  private enqueue(collection: string, task: () => Promise<void>): void {
    const previous = this.queues.get(collection) ?? Promise.resolve();
    // A failed read leaves the checkpoint where it was; the next hint or commit retries from there.
    this.queues.set(
      collection,
      previous.then(task).catch(() => undefined),
    );
  }
}
