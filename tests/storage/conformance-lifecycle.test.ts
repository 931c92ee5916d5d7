import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInstance, doc, nextRevision, prepared, STORAGES, tempDirectory, uniqueName, type Doc } from './helpers';

describe.each(STORAGES)('$name storage: collections, databases, reopen, remove', (storageUnderTest) => {
  let temp: ReturnType<typeof tempDirectory>;
  beforeEach(() => {
    temp = tempDirectory();
  });
  afterEach(() => temp.cleanup());

  it('keeps several collections of several databases in one directory apart', async () => {
    const storage = storageUnderTest.make(temp.directory);
    const [one, two] = [uniqueName('one'), uniqueName('two')];
    const instances = await Promise.all([
      createInstance(storage, one, 'people'),
      createInstance(storage, one, 'dogs'),
      createInstance(storage, two, 'people'),
    ]);
    await Promise.all(instances.map((instance, i) => instance.bulkWrite([{ document: doc({ id: `doc-${i}` }) }], 't')));
    for (const [i, instance] of instances.entries()) {
      const all = await instance.query(prepared({ selector: {} }));
      expect(all.documents.map((d) => d.id)).toEqual([`doc-${i}`]);
    }
    await Promise.all(instances.map((instance) => instance.remove()));
  });

  it('returns exactly what was written after closing and reopening', async () => {
    const name = uniqueName('db');
    const first = await createInstance(storageUnderTest.make(temp.directory), name);
    const written: Doc[] = [];
    for (let i = 0; i < 20; i++)
      written.push(doc({ id: `id-${i}`, name: `Name ${i} 😀`, tags: [`t${i}`], score: i / 3 }));
    await first.bulkWrite(
      written.map((document) => ({ document })),
      't',
    );
    const updated = nextRevision(written[0]!, { name: 'updated' });
    await first.bulkWrite([{ document: updated, previous: written[0]! }], 't');
    written[0] = updated;
    const tombstone = nextRevision(written[1]!, { _deleted: true });
    await first.bulkWrite([{ document: tombstone, previous: written[1]! }], 't');
    written[1] = tombstone;
    await first.close();

    const reopened = await createInstance(storageUnderTest.make(temp.directory), name);
    const found = await reopened.findDocumentsById(
      written.map((d) => d.id),
      true,
    );
    expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...written].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const live = await reopened.count(prepared({ selector: { _deleted: false } as never }));
    expect(live.count).toBe(19);
    await reopened.remove();
  });

  it('remove() deletes the data of the collection and only that', async () => {
    const storage = storageUnderTest.make(temp.directory);
    const name = uniqueName('db');
    const removed = await createInstance(storage, name, 'removed');
    const kept = await createInstance(storage, name, 'kept');
    await removed.bulkWrite([{ document: doc({ id: 'x' }) }], 't');
    await kept.bulkWrite([{ document: doc({ id: 'y' }) }], 't');
    await removed.remove();
    const again = await createInstance(storage, name, 'removed');
    expect(await again.findDocumentsById(['x'], true)).toEqual([]);
    expect((await kept.findDocumentsById(['y'], true)).map((d) => d.id)).toEqual(['y']);
    await again.remove();
    await kept.remove();
  });

  it('closed instances refuse further use', async () => {
    const instance = await createInstance(storageUnderTest.make(temp.directory), uniqueName('db'));
    await instance.bulkWrite([{ document: doc({ id: 'x' }) }], 't');
    await instance.close();
    // Memory storage tolerates reads after close; ours refuses all use.
    if (storageUnderTest.name === 'sqlite') {
      await expect(instance.findDocumentsById(['x'], true)).rejects.toThrow(/closed/);
    }
  });
});
