import type { RxCollection, WithDeleted } from 'rxdb';
import type { Doc } from '../../shared/merge';
import type { PullCheckpoint } from '../../shared/protocol';

/**
 * The client's checkpoint: the server's, whether a full re-read (CLIENT-13) was under way, and where a
 * viewer's pull brings again the server's versions it holds back (CLIENT-20; null or absent: none held).
 */
export type ClientCheckpoint = PullCheckpoint & { rereading?: boolean; heldFrom?: number | null };

/**
 * CLIENT-13: the server compacted permanent deletes this device never saw
 * (PULL-7), so the collection is read again from the start. The ids the
 * server still has are noted on the way; at the end, every local document
 * the server no longer has goes in as a deletion from the server.
 *
 * NOTE: those deletions pass through RxDB's pull, which leaves alone any
 * document with a local change not yet pushed: that change is pushed and
 * recreates the entry, as an edit wins over a permanent delete (CLIENT-3).
 */
export class FullReread {
  private state: { seen: Set<string>; local: Map<string, Doc>; last: WithDeleted<Doc> | null } | null = null;

  constructor(private readonly collection: RxCollection<Doc>) {}

  get active(): boolean {
    return this.state !== null;
  }

  /** Notes what is stored locally now; the pull then starts from a null checkpoint. */
  async start(): Promise<void> {
    const documents = await this.collection.find().exec();
    this.state = {
      seen: new Set(),
      last: null,
      local: new Map(documents.map((document) => [String(document.primary), document.toJSON() as Doc])),
    };
  }

  see(documents: WithDeleted<Doc>[]): void {
    if (!this.state) return;
    for (const document of documents) this.state.seen.add(String(document.id));
    this.state.last = documents[documents.length - 1] ?? this.state.last;
  }

  /**
   * The end of the collection was reached: the last batch plus deletions for
   * what the server no longer has. NOTE: RxDB keeps the checkpoint of an
   * empty batch nowhere, so an otherwise empty one carries the last document
   * read once more (a no-op) with the final checkpoint, which PULL-7 moved
   * up to the horizon.
   */
  finish(batch: WithDeleted<Doc>[]): WithDeleted<Doc>[] {
    const state = this.state;
    this.state = null;
    if (!state) return batch;
    const deletions = [...state.local]
      .filter(([id]) => !state.seen.has(id))
      .map(([, document]) => ({ ...document, _deleted: true }) as WithDeleted<Doc>);
    const documents = [...batch, ...deletions];
    return documents.length === 0 && state.last ? [state.last] : documents;
  }
}
