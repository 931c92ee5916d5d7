import { describe, expect, it } from 'vitest';
import { PullAhead, type PulledBatch } from '../../main/sync/pull-ahead';

interface Checkpoint {
  sequence: number;
}

/** A server's collection in memory: documents in sequence order, paged as PULL-1 and PULL-3 say. */
class Collection {
  readonly requests: (number | null)[] = [];
  private readonly sequences: number[] = [];
  failNext: Error | null = null;

  write(count: number): void {
    const last = this.sequences.at(-1) ?? 0;
    for (let index = 1; index <= count; index++) this.sequences.push(last + index);
  }

  /** Answers when awaited: the page is read at the time of the request, as a server does. */
  request(limit: number) {
    return async (from: Checkpoint | null): Promise<PulledBatch<number, Checkpoint>> => {
      this.requests.push(from?.sequence ?? null);
      if (this.failNext) {
        const error = this.failNext;
        this.failNext = null;
        throw error;
      }
      const after = from?.sequence ?? 0;
      const documents = this.sequences.filter((sequence) => sequence > after).slice(0, limit);
      return { documents, checkpoint: { sequence: documents.at(-1) ?? after } };
    };
  }
}

/** RxDB's catch-up loop (downstreamResyncOnce): pull from the checkpoint until a batch is short. */
async function catchUp(ahead: PullAhead<number, Checkpoint>, server: Collection, from: Checkpoint | null, limit = 3) {
  const pulled: number[] = [];
  let checkpoint = from;
  for (;;) {
    const answer = await ahead.pull(checkpoint, limit, server.request(limit));
    pulled.push(...answer.documents);
    checkpoint = answer.checkpoint;
    if (answer.documents.length < limit) return { pulled, checkpoint };
  }
}

describe('CLIENT-15: the next pull page is asked for while the last one is written', () => {
  it('asks for each page once, the next one as soon as a full page arrived', async () => {
    const server = new Collection();
    server.write(7);
    const ahead = new PullAhead<number, Checkpoint>();
    const { pulled, checkpoint } = await catchUp(ahead, server, null);
    expect(pulled).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(checkpoint).toEqual({ sequence: 7 });
    // 0-3 and 3-6 were full: each started the request for the next page; the short page 6-7 started none.
    expect(server.requests).toEqual([null, 3, 6]);
  });

  it('hands the answer ahead only to a pull from the same checkpoint', async () => {
    const server = new Collection();
    server.write(5);
    const ahead = new PullAhead<number, Checkpoint>();
    await ahead.pull(null, 3, server.request(3));
    // RxDB asks from an older checkpoint (its stored one, after a restart of the loop): a new request.
    const answer = await ahead.pull({ sequence: 1 }, 3, server.request(3));
    expect(answer.documents).toEqual([2, 3, 4]);
    expect(server.requests).toEqual([null, 3, 1, 4]);
  });

  it('asks again when a short answer ahead was made before a stream item', async () => {
    const server = new Collection();
    server.write(3);
    const ahead = new PullAhead<number, Checkpoint>();
    await ahead.pull(null, 3, server.request(3));
    // The answer ahead (nothing after 3) was made; then a write commits and its change event arrives.
    server.write(1);
    ahead.streamItem();
    const answer = await ahead.pull({ sequence: 3 }, 3, server.request(3));
    // RxDB drops the event, trusting this pull to hold it: it must.
    expect(answer.documents).toEqual([4]);
    expect(server.requests).toEqual([null, 3, 3]);
  });

  it('keeps a full answer ahead across a stream item: the next pull is asked for after the item', async () => {
    const server = new Collection();
    server.write(6);
    const ahead = new PullAhead<number, Checkpoint>();
    await ahead.pull(null, 3, server.request(3));
    server.write(1);
    ahead.streamItem();
    const { pulled } = await catchUp(ahead, server, { sequence: 3 });
    expect(pulled).toEqual([4, 5, 6, 7]);
    expect(server.requests).toEqual([null, 3, 6]);
  });

  it('fails the pull whose answer ahead failed, and asks anew on the retry', async () => {
    const server = new Collection();
    server.write(4);
    const ahead = new PullAhead<number, Checkpoint>();
    const first = ahead.pull(null, 3, server.request(3));
    server.failNext = new Error('The sync server did not answer within 30 s; retrying.');
    await first;
    await expect(ahead.pull({ sequence: 3 }, 3, server.request(3))).rejects.toThrow('did not answer');
    const retried = await ahead.pull({ sequence: 3 }, 3, server.request(3));
    expect(retried.documents).toEqual([4]);
    expect(server.requests).toEqual([null, 3, 3]);
  });
});
