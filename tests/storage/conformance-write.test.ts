import type { RxStorageWriteErrorConflict } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createInstance,
  doc,
  nextRevision,
  prepared,
  STORAGES,
  tempDirectory,
  uniqueName,
  type Instance,
  type TestDoc,
} from './helpers';

describe.each(STORAGES)('$name storage: bulkWrite and findDocumentsById', (storageUnderTest) => {
  let temp: ReturnType<typeof tempDirectory>;
  let instance: Instance;

  beforeEach(async () => {
    temp = tempDirectory();
    instance = await createInstance(storageUnderTest.make(temp.directory), uniqueName('db'));
  });
  afterEach(async () => {
    await instance.remove();
    temp.cleanup();
  });

  it('inserts documents and finds them by id, exactly as written', async () => {
    const a = doc({ id: 'a', name: 'Ada', tags: ['x'], nested: { label: 'l', flag: true } });
    const b = doc({ id: 'b', name: 'Bob' });
    const result = await instance.bulkWrite([{ document: a }, { document: b }], 'test');
    expect(result.error).toEqual([]);
    const found = await instance.findDocumentsById(['a', 'b', 'missing'], false);
    expect(found.sort((x, y) => x.id.localeCompare(y.id))).toEqual([a, b]);
  });

  it('writes a large bulk of new rows among updates of stored ones, each row found and ordered by its own values', async () => {
    const stored = Array.from({ length: 20 }, (_, i) => doc({ id: `s${i}`, name: `stored ${i}`, age: i }));
    expect(
      (
        await instance.bulkWrite(
          stored.map((document) => ({ document })),
          'test',
        )
      ).error,
    ).toEqual([]);
    // More new rows than one statement writes, and not a multiple of it, with updates of stored rows between them.
    const rows: { document: ReturnType<typeof doc>; previous?: ReturnType<typeof doc> }[] = [];
    for (let i = 0; i < 137; i++) {
      rows.push({ document: doc({ id: `n${i}`, name: `new ${i}`, age: 150 - (i % 151), score: i / 4 }) });
      const before = stored[i / 7];
      if (before)
        rows.push({ document: nextRevision(before, { name: `updated ${i / 7}`, age: 149 }), previous: before });
    }
    const written = rows.map((row) => row.document);
    expect((await instance.bulkWrite(rows, 'test')).error).toEqual([]);

    const byId = (docs: { id: string }[]) => [...docs].sort((a, b) => a.id.localeCompare(b.id));
    const found = await instance.findDocumentsById(
      written.map((document) => document.id),
      false,
    );
    expect(byId(found)).toEqual(byId(written));
    // Queries read the index columns, which each row must have been written with.
    const { documents: oldest } = await instance.query(
      prepared({ selector: { _deleted: false, age: { $gte: 148 } } as never, sort: [{ age: 'desc' }, { id: 'asc' }] }),
    );
    const expected = written
      .filter((document) => document.age >= 148)
      .sort((a, b) => b.age - a.age || (a.id < b.id ? -1 : 1));
    expect(oldest.map((document) => document.id)).toEqual(expected.map((document) => document.id));
    const { documents: highScores } = await instance.query(
      prepared({ selector: { _deleted: false, score: { $gt: 33 } } as never, sort: [{ score: 'asc' }] }),
    );
    expect(highScores.map((document) => document.id)).toEqual(
      written.filter((document) => (document.score ?? 0) > 33).map((document) => document.id),
    );
  });

  it('answers a stale previous with a 409 carrying exactly the stored document', async () => {
    const first = doc({ id: 'a' });
    await instance.bulkWrite([{ document: first }], 'test');
    const second = nextRevision(first, { name: 'second' });
    expect((await instance.bulkWrite([{ document: second, previous: first }], 'test')).error).toEqual([]);

    const stale = nextRevision(first, { name: 'stale' });
    const result = await instance.bulkWrite([{ document: stale, previous: first }], 'test');
    expect(result.error).toHaveLength(1);
    expect(result.error[0]).toMatchObject({ status: 409, documentId: 'a', isError: true });
    expect((result.error[0] as RxStorageWriteErrorConflict<TestDoc>).documentInDb).toStrictEqual(second);
    expect((await instance.findDocumentsById(['a'], false))[0]).toEqual(second);
  });

  it('answers an insert over an existing document (missing previous) with a 409', async () => {
    const first = doc({ id: 'a' });
    await instance.bulkWrite([{ document: first }], 'test');
    const result = await instance.bulkWrite([{ document: doc({ id: 'a', name: 'again' }) }], 'test');
    const conflicts = result.error as RxStorageWriteErrorConflict<TestDoc>[];
    expect(conflicts.map((error) => [error.status, error.documentInDb])).toEqual([[409, first]]);
  });

  it('writes the other rows of a bulk when one row conflicts (atomic per document)', async () => {
    const first = doc({ id: 'a' });
    await instance.bulkWrite([{ document: first }], 'test');
    const result = await instance.bulkWrite([{ document: doc({ id: 'a' }) }, { document: doc({ id: 'b' }) }], 'test');
    expect(result.error.map((error) => error.documentId)).toEqual(['a']);
    expect((await instance.findDocumentsById(['b'], false)).map((found) => found.id)).toEqual(['b']);
  });

  it('lets exactly one of two concurrent inserts of one id win', async () => {
    const [one, two] = await Promise.all([
      instance.bulkWrite([{ document: doc({ id: 'same', name: 'one' }) }], 'test'),
      instance.bulkWrite([{ document: doc({ id: 'same', name: 'two' }) }], 'test'),
    ]);
    expect(one.error.length + two.error.length).toBe(1);
    const winner = one.error.length === 0 ? 'one' : 'two';
    expect((await instance.findDocumentsById(['same'], false))[0]!.name).toBe(winner);
  });

  it('lets exactly one of two concurrent updates from the same previous win', async () => {
    const first = doc({ id: 'a' });
    await instance.bulkWrite([{ document: first }], 'test');
    const results = await Promise.all(
      ['x', 'y', 'z'].map((name) =>
        instance.bulkWrite([{ document: nextRevision(first, { name }), previous: first }], 'test'),
      ),
    );
    expect(results.filter((result) => result.error.length === 0)).toHaveLength(1);
  });

  it('finds deleted documents only when asked to', async () => {
    const first = doc({ id: 'a' });
    await instance.bulkWrite([{ document: first }], 'test');
    const tombstone = nextRevision(first, { _deleted: true });
    await instance.bulkWrite([{ document: tombstone, previous: first }], 'test');
    expect(await instance.findDocumentsById(['a'], false)).toEqual([]);
    expect(await instance.findDocumentsById(['a'], true)).toEqual([tombstone]);
  });

  it('accepts inserting an already deleted document (as replication does)', async () => {
    const deleted = doc({ id: 'gone' }, { _deleted: true });
    expect((await instance.bulkWrite([{ document: deleted }], 'test')).error).toEqual([]);
    expect(await instance.findDocumentsById(['gone'], true)).toEqual([deleted]);
  });

  it('finds many documents by id in one call', async () => {
    const docs = Array.from({ length: 250 }, (_, i) => doc({ id: `id-${String(i).padStart(3, '0')}` }));
    await instance.bulkWrite(
      docs.map((document) => ({ document })),
      'test',
    );
    const ids = docs.filter((_, i) => i % 2 === 0).map((d) => d.id);
    const found = await instance.findDocumentsById(ids, false);
    expect(found.map((d) => d.id).sort()).toEqual(ids);
  });
});
