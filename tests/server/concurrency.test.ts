import { describe, expect, it } from 'vitest';
import { create, dogDoc, edit, update } from './documents';
import { ADAPTERS, serverHarness } from './helpers';

const CLIENTS = 20;
const BATCHES = 6;
const PER_BATCH = 5;

describe.each(ADAPTERS)('concurrent writers on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('PULL-4: 20 clients push in parallel; a reader following checkpoints sees every write exactly once', async () => {
    const server = await harness.start();
    const writers = await Promise.all(Array.from({ length: CLIENTS }, () => server.signIn('editor')));
    const reader = await server.signIn('viewer');
    const finalRev = new Map<string, string>();
    let writing = true;

    const pushes = Promise.all(
      writers.map(async ({ api, actor }) => {
        for (let batch = 0; batch < BATCHES; batch += 1) {
          const docs = Array.from({ length: PER_BATCH }, () => dogDoc(actor));
          const response = await api.push('dog', docs.map(create));
          expect(response.body).toEqual({ conflicts: [], refused: [] });
          // Every other batch, edit the first document again: a write that moves it later in the order.
          const next = batch % 2 === 0 ? edit(docs[0]!, actor, { breed: 'Whippet' }) : null;
          if (next) expect((await api.push('dog', [update(docs[0], next)])).body.refused).toEqual([]);
          for (const doc of docs) finalRev.set(doc.id, doc.rev);
          if (next) finalRev.set(next.id, next.rev);
        }
      }),
    ).finally(() => {
      writing = false;
    });

    const seen: { id: string; rev: string }[] = [];
    let sequence = 0;
    const follow = async () => {
      for (;;) {
        const stillWriting = writing;
        const response = await reader.api.pull('dog', sequence, 7);
        expect(response.status).toBe(200);
        const { documents, checkpoint } = response.body as {
          documents: { id: string; rev: string }[];
          checkpoint: { sequence: number };
        };
        expect(checkpoint.sequence).toBeGreaterThanOrEqual(sequence);
        sequence = checkpoint.sequence;
        seen.push(...documents.map(({ id, rev }) => ({ id, rev })));
        if (documents.length === 0 && !stillWriting) return;
      }
    };
    await Promise.all([pushes, follow()]);

    const pairs = seen.map(({ id, rev }) => `${id}/${rev}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(new Set(seen.map((s) => s.id)).size).toBe(CLIENTS * BATCHES * PER_BATCH);
    const lastSeen = new Map(seen.map(({ id, rev }) => [id, rev]));
    expect(lastSeen).toEqual(finalRev);
  });
});
