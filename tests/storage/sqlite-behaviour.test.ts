import { fillWithDefaultSettings, type RxJsonSchema } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getRxStorageSqlite, type SqliteInternals } from '../../main/storage';
import { createInstance, doc, prepared, tempDirectory, testSchema, type TestDoc } from './helpers';

describe('sqlite storage: behaviour beyond the shared contract', () => {
  let temp: ReturnType<typeof tempDirectory>;
  beforeEach(() => {
    temp = tempDirectory();
  });
  afterEach(() => temp.cleanup());

  it('adds an index declared later and fills it for the documents already stored', async () => {
    const fewer = fillWithDefaultSettings({
      ...testSchema,
      indexes: ['name'],
    } as unknown as RxJsonSchema<TestDoc>);
    const first = await createInstance(getRxStorageSqlite({ directory: temp.directory }), 'profile', 'items', fewer);
    await first.bulkWrite(
      [30, 10, 20].map((age) => ({ document: doc({ id: `age-${age}`, age }) })),
      't',
    );
    await first.close();

    const again = await createInstance(getRxStorageSqlite({ directory: temp.directory }), 'profile', 'items');
    const query = prepared({ selector: { _deleted: false, age: { $gte: 15 } } as never, sort: [{ age: 'asc' }] });
    expect(query.queryPlan.index).toEqual(['_deleted', 'age', 'id']);
    expect((await again.query(query)).documents.map((d) => d.id)).toEqual(['age-20', 'age-30']);
    await again.close();
  });

  it('stamps a write that waited for a transaction after the transaction, so checkpoints never skip it', async () => {
    const storage = getRxStorageSqlite({ directory: temp.directory });
    const instance = await createInstance(storage, 'profile');
    const early = doc({ id: 'early-but-waited' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let outside: Promise<unknown> | undefined;
    const transaction = storage.transaction('profile', async () => {
      await instance.bulkWrite([{ document: doc({ id: 'inside' }) }], 't');
      outside = instance.bulkWrite([{ document: early }], 't');
      await gate;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await transaction;
    await outside;
    const [inside] = await instance.findDocumentsById(['inside'], false);
    const [waited] = await instance.findDocumentsById(['early-but-waited'], false);
    expect(waited!._meta.lwt).toBeGreaterThan(inside!._meta.lwt);
    const after = await instance.getChangedDocumentsSince!(10, { id: 'inside', lwt: inside!._meta.lwt });
    expect(after.documents.map((d) => d.id)).toEqual(['early-but-waited']);
    await instance.close();
  });

  it('rolls back a transaction over plain storage instances and emits nothing', async () => {
    const storage = getRxStorageSqlite({ directory: temp.directory });
    const items = await createInstance(storage, 'profile', 'items');
    const log = await createInstance(storage, 'profile', 'log');
    const events: unknown[] = [];
    const subscription = items.changeStream().subscribe((bulk) => events.push(bulk));
    await expect(
      storage.transaction('profile', async () => {
        await items.bulkWrite([{ document: doc({ id: 'a' }) }], 't');
        await log.bulkWrite([{ document: doc({ id: 'a' }) }], 't');
        expect(await items.findDocumentsById(['a'], false)).toHaveLength(1);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await items.findDocumentsById(['a'], true)).toEqual([]);
    expect(await log.findDocumentsById(['a'], true)).toEqual([]);
    expect(events).toEqual([]);
    subscription.unsubscribe();
    await items.close();
    await log.close();
  });

  it('flushes a transaction to disk (synchronous=FULL) and plain writes rely on WAL (NORMAL)', async () => {
    const storage = getRxStorageSqlite({ directory: temp.directory });
    const instance = await createInstance(storage, 'profile');
    const writer = (instance.internals as SqliteInternals).file.writer;
    const level = () => writer.pragma('synchronous', { simple: true });
    expect(level()).toBe(1);
    // Every transaction, not only the first, with plain writes between them.
    for (const id of ['x', 'y', 'z']) {
      await storage.transaction('profile', async () => {
        expect(level()).toBe(2);
        await instance.bulkWrite([{ document: doc({ id }) }], 't');
      });
      expect(level()).toBe(1);
      await instance.bulkWrite([{ document: doc({ id: `${id}-plain` }) }], 't');
    }
    await instance.close();
  });
});
