/**
 * A declared index no query reads can be left unkept (`SqliteInstanceOptions.unkeptIndexes`): it
 * stays in the RxDB schema, but the table keeps no SQL index for it, so writes do not pay for it.
 * Queries must still get exact answers, and a profile that kept the index before drops it at open
 * (and builds it again, from the documents, if a later release keeps it again).
 */
import Database from 'better-sqlite3';
import { randomToken } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFilePath, getRxStorageSqlite, type SqliteInstanceOptions } from '../../main/storage';
import { withBinding } from '../../main/storage/native-binding';
import { doc, nextRevision, prepared, tempDirectory, testSchema, type Doc, type Instance } from './helpers';

/** Declared in testSchema; RxDB stores it as ['_deleted', 'deletedAt', 'age', 'id']. */
const AGE_INDEX = ['deletedAt', 'age'];
const KEPT_INDEXES = 7; // testSchema's six declared indexes and RxDB's (lwt, id) one

async function open(directory: string, options: SqliteInstanceOptions): Promise<Instance> {
  return (await getRxStorageSqlite({ directory }).createStorageInstance({
    databaseInstanceToken: randomToken(10),
    databaseName: 'profile',
    collectionName: 'items',
    schema: testSchema,
    options,
    multiInstance: false,
    devMode: false,
  })) as Instance;
}

/** The SQL indexes over the table's index columns, and the column the age index reads if it is kept. */
function sqlIndexes(directory: string): { count: number; indexes: string[] } {
  const db = new Database(databaseFilePath(directory, 'profile'), { ...withBinding(), readonly: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'c\\_items\\_v0\\_ix%' ESCAPE '\\'")
      .pluck()
      .all() as string[];
    const stored = db.prepare('SELECT indexes FROM curio_collections').pluck().get() as string;
    return { count: names.length, indexes: JSON.parse(stored) as string[] };
  } finally {
    db.close();
  }
}

/** Live documents by age (what the unkept index would have served), then the same in the trash. */
async function expectExactAnswers(instance: Instance, docs: Doc[]): Promise<void> {
  const byAge = (keep: (d: Doc) => boolean) =>
    docs
      .filter(keep)
      .sort((a, b) => a.age - b.age || (a.id < b.id ? -1 : 1))
      .map((d) => d.id);
  const query = (selector: object) =>
    instance
      .query(prepared({ selector: { _deleted: false, ...selector }, sort: [{ age: 'asc' }, { id: 'asc' }] } as never))
      .then((result) => result.documents.map((d) => d.id));
  expect(await query({ deletedAt: null })).toEqual(byAge((d) => d.deletedAt === null));
  expect(await query({ deletedAt: null, age: { $gte: 20, $lt: 60 } })).toEqual(
    byAge((d) => d.deletedAt === null && d.age >= 20 && d.age < 60),
  );
  expect(await query({ deletedAt: { $gt: '' } })).toEqual(byAge((d) => d.deletedAt !== null));
}

function documents(): Doc[] {
  return Array.from({ length: 40 }, (_, i) =>
    doc({ id: `doc-${String(i).padStart(2, '0')}`, age: (i * 37) % 90, deletedAt: i % 4 === 0 ? '2026-02-01' : null }),
  );
}

describe('sqlite storage: declared indexes it does not keep', () => {
  let temp: ReturnType<typeof tempDirectory>;
  beforeEach(() => {
    temp = tempDirectory();
  });
  afterEach(() => temp.cleanup());

  it('keeps no SQL index for them and still answers queries that could have used them exactly', async () => {
    const instance = await open(temp.directory, { unkeptIndexes: [AGE_INDEX] });
    const docs = documents();
    await instance.bulkWrite(
      docs.map((document) => ({ document })),
      'test',
    );
    await expectExactAnswers(instance, docs);
    await instance.close();
    expect(sqlIndexes(temp.directory).count).toBe(KEPT_INDEXES - 1);
  });

  it('drops the index of a profile that kept it, and builds it again from the documents when kept again', async () => {
    let docs = documents();
    const kept = await open(temp.directory, {});
    await kept.bulkWrite(
      docs.map((document) => ({ document })),
      'test',
    );
    await kept.close();
    expect(sqlIndexes(temp.directory).count).toBe(KEPT_INDEXES);

    const unkept = await open(temp.directory, { unkeptIndexes: [AGE_INDEX] });
    expect(sqlIndexes(temp.directory).count).toBe(KEPT_INDEXES - 1);
    // Written while unkept: the old column is not written, so it must not be read again later.
    const changed = docs
      .slice(0, 10)
      .map((previous) => ({ previous, document: nextRevision(previous, { age: 89 - previous.age }) }));
    await unkept.bulkWrite(changed, 'test');
    docs = docs.map((d) => changed.find((c) => c.previous.id === d.id)?.document ?? d);
    await expectExactAnswers(unkept, docs);
    await unkept.close();

    const keptAgain = await open(temp.directory, {});
    const { count, indexes } = sqlIndexes(temp.directory);
    expect(count).toBe(KEPT_INDEXES);
    expect(indexes.filter((key) => key === `_deleted,${AGE_INDEX.join(',')},id`)).toHaveLength(1);
    await expectExactAnswers(keptAgain, docs);
    await keptAgain.close();
  });
});
