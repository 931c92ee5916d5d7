import type { EventBulk, RxStorageDefaultCheckpoint } from 'rxdb';
import { getChangedDocumentsSince } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInstance, doc, nextRevision, STORAGES, tempDirectory, uniqueName, type Instance } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Bulk = EventBulk<any, RxStorageDefaultCheckpoint>;

describe.each(STORAGES)('$name storage: changes, checkpoints, cleanup', (storageUnderTest) => {
  let temp: ReturnType<typeof tempDirectory>;
  let instance: Instance;
  let bulks: Bulk[];
  let unsubscribe: () => void;

  beforeEach(async () => {
    temp = tempDirectory();
    instance = await createInstance(storageUnderTest.make(temp.directory), uniqueName('db'));
    bulks = [];
    const subscription = instance.changeStream().subscribe((bulk) => bulks.push(bulk as Bulk));
    unsubscribe = () => subscription.unsubscribe();
  });
  afterEach(async () => {
    unsubscribe();
    await instance.remove();
    temp.cleanup();
  });

  it('emits one event bulk per write, with INSERT, UPDATE and DELETE, before the write resolves', async () => {
    const a = doc({ id: 'a' });
    const b = doc({ id: 'b' });
    await instance.bulkWrite([{ document: a }, { document: b }], 'ctx-1');
    expect(bulks).toHaveLength(1);
    expect(bulks[0]!.context).toBe('ctx-1');
    expect(bulks[0]!.events.map((event) => [event.operation, event.documentId])).toEqual([
      ['INSERT', 'a'],
      ['INSERT', 'b'],
    ]);
    expect(bulks[0]!.checkpoint).toEqual({ id: 'b', lwt: b._meta.lwt });

    const a2 = nextRevision(a, { name: 'changed' });
    await instance.bulkWrite([{ document: a2, previous: a }], 'ctx-2');
    const a3 = nextRevision(a2, { _deleted: true });
    await instance.bulkWrite([{ document: a3, previous: a2 }], 'ctx-3');
    expect(bulks.map((bulk) => bulk.events.map((event) => event.operation))).toEqual([
      ['INSERT', 'INSERT'],
      ['UPDATE'],
      ['DELETE'],
    ]);
    expect(bulks[1]!.events[0]).toMatchObject({ documentData: a2, previousDocumentData: a });
    expect(new Set(bulks.map((bulk) => bulk.id)).size).toBe(3);
  });

  it('emits nothing for a write that only conflicts', async () => {
    const a = doc({ id: 'a' });
    await instance.bulkWrite([{ document: a }], 'test');
    await instance.bulkWrite([{ document: doc({ id: 'a' }) }], 'test');
    expect(bulks).toHaveLength(1);
  });

  it('pages through changes by checkpoint { id, lwt }, newest state once per document', async () => {
    const docs = Array.from({ length: 25 }, (_, i) => doc({ id: `id-${String(i).padStart(2, '0')}` }));
    await instance.bulkWrite(
      docs.map((document) => ({ document })),
      'test',
    );
    const changed = nextRevision(docs[3]!, { name: 'changed later' });
    await instance.bulkWrite([{ document: changed, previous: docs[3]! }], 'test');

    const seen: string[] = [];
    let checkpoint: RxStorageDefaultCheckpoint | undefined;
    for (;;) {
      const page = await getChangedDocumentsSince(instance, 10, checkpoint);
      if (page.documents.length === 0) break;
      seen.push(...page.documents.map((d) => d.id));
      checkpoint = page.checkpoint;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen[seen.length - 1]).toBe('id-03');
    expect(checkpoint).toEqual({ id: 'id-03', lwt: changed._meta.lwt });
  });

  it('cleanup removes tombstones older than the given time and keeps the rest', async () => {
    const old = doc({ id: 'old' }, { _deleted: true, _meta: { lwt: Date.now() - 60_000 } });
    const fresh = doc({ id: 'fresh' }, { _deleted: true, _meta: { lwt: Date.now() } });
    const live = doc({ id: 'live' }, { _meta: { lwt: Date.now() - 60_000 } });
    await instance.bulkWrite([{ document: old }, { document: fresh }, { document: live }], 'test');
    expect(await instance.cleanup(30_000)).toBe(true);
    const left = await instance.findDocumentsById(['old', 'fresh', 'live'], true);
    expect(left.map((d) => d.id).sort()).toEqual(['fresh', 'live']);
  });
});
