/** A pull batch as the handler returns it to RxDB: the documents and the checkpoint after them. */
export interface PulledBatch<D, C> {
  documents: D[];
  checkpoint: C;
}

interface Ahead<D, C> {
  from: string;
  limit: number;
  /** The stream items seen when the request left. */
  streamItems: number;
  answer: Promise<PulledBatch<D, C>>;
}

/**
 * CLIENT-15: during a catch-up the pull handler asks for page n+1 as soon as page
 * n arrived, so the network carries the next page while RxDB validates and
 * writes the last one. RxDB asks for page n+1 only once page n is handed over,
 * and its write of page n is synchronous SQLite work that holds the event loop.
 *
 * The answer ahead is the one the server would give a moment later for the
 * same checkpoint, so it is handed over only for exactly that checkpoint and
 * limit. One case differs: a short answer (the end of the collection) after
 * which a stream item came (a change event, or RESYNC after a reconnect). RxDB
 * drops stream items that came before the pull it is running, trusting the
 * pull to hold them; an answer made before the item may not, so the request
 * is made again. A full answer needs no such care: RxDB goes on pulling from
 * its checkpoint with a request made after the item. Checkpoints still advance
 * only once RxDB wrote the page; an answer ahead is only held in memory.
 */
export class PullAhead<D, C> {
  private ahead: Ahead<D, C> | null = null;
  private streamItems = 0;

  /** A change event or RESYNC reached this collection's replication. */
  streamItem(): void {
    this.streamItems++;
  }

  /**
   * The batch from `from`: the answer asked ahead when it is for this very
   * request, else a new one. A full batch starts the request for the next one.
   * A failed request ahead fails this call as the request itself would have
   * (RxDB retries it later with a new request).
   */
  async pull(from: C | null, limit: number, request: (from: C | null) => Promise<PulledBatch<D, C>>) {
    const key = JSON.stringify(from);
    const ahead = this.take(key, limit);
    let answer = ahead ? await ahead.answer : await request(from);
    if (ahead && answer.documents.length < limit && ahead.streamItems !== this.streamItems) {
      answer = await request(from);
    }
    if (answer.documents.length >= limit) this.start(answer.checkpoint, limit, request);
    return answer;
  }

  private take(from: string, limit: number): Ahead<D, C> | null {
    const ahead = this.ahead;
    this.ahead = null;
    return ahead && ahead.from === from && ahead.limit === limit ? ahead : null;
  }

  private start(from: C, limit: number, request: (from: C | null) => Promise<PulledBatch<D, C>>): void {
    const answer = request(from);
    // Dropped answers (RxDB asked from another checkpoint, or stopped) must not be unhandled rejections.
    answer.catch(() => undefined);
    this.ahead = { from: JSON.stringify(from), limit, streamItems: this.streamItems, answer };
  }
}
