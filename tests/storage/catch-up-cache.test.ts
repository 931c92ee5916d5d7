/**
 * Issue 16: a catch-up's pulled page keeps only its own documents in the table's cache of parsed documents
 * (docs/decisions.md, "A catch-up's page is the only one kept in the document cache"). Kept five pages long,
 * every pulled document outlived V8's young generation; the meta rows written right after a page must still
 * meet its documents, and the writes of the app and live changes keep the cache as it was.
 */
import { fillWithDefaultSettings, type RxStorageInstance } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { getRxStorageSqlite, type SqliteInternals } from '../../main/storage';
import { CAPACITY_PER_TABLE, cachedDocument } from '../../main/storage/document-cache';
import { entityRxSchema } from '../../shared/rx-schema';
import { generateCatalog } from '../../shared/sample';
import { createInstance, tempDirectory } from './helpers';

const PULLED = 'replication-downstream-test';
const LOCAL = 'rx-collection-bulk-insert';

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

type Table = RxStorageInstance<Record<string, unknown>, SqliteInternals, unknown>;

async function dogTable(): Promise<Table> {
  const { directory, cleanup } = tempDirectory();
  const schema = fillWithDefaultSettings(entityRxSchema('dog')) as never;
  const instance = await createInstance(getRxStorageSqlite({ directory }), 'profile', 'dog', schema);
  cleanups.push(cleanup, () => instance.close());
  return instance as never;
}

const dogs = generateCatalog({ video: 0, person: 0, dog: 3000, trip: 0, series: 0 }, 5).dog;
const rows = (from: number, to: number) =>
  dogs
    .slice(from, to)
    .map((dog) => ({ document: { ...dog, _deleted: false, _attachments: {}, _rev: '1-a', _meta: { lwt: 1 } } }));

function cachedIds(table: Table): string[] {
  return [...table.internals.table.documents.keys()];
}

describe('the document cache through a catch-up', () => {
  it('a pulled page leaves only its own documents cached, ready for its meta rows; smaller writes keep the rest', async () => {
    const table = await dogTable();
    // The app's own writes, and a screen's worth read back: all kept.
    expect((await table.bulkWrite(rows(0, 1500), LOCAL)).error).toEqual([]);
    expect(cachedIds(table)).toHaveLength(1500);
    // A live change pulled (a few documents) keeps them too.
    expect((await table.bulkWrite(rows(1500, 1510), PULLED)).error).toEqual([]);
    expect(cachedIds(table)).toHaveLength(1510);

    // A catch-up's page: its documents, every one at the revision written, and nothing else.
    expect((await table.bulkWrite(rows(1510, 2510), PULLED)).error).toEqual([]);
    const page = dogs.slice(1510, 2510).map((dog) => dog.id);
    expect(cachedIds(table).sort()).toEqual([...page].sort());
    for (const id of page) expect(cachedDocument(table.internals.table.documents, id, '1-a')).toBeDefined();

    // What left the cache is read from the file as it was written.
    const read = await table.findDocumentsById([dogs[0]!.id, dogs[1509]!.id], false);
    expect(read.map((doc) => doc.name)).toEqual([dogs[0]!.name, dogs[1509]!.name]);
  });

  it('the cache is bounded as before for reads and the app’s writes', async () => {
    const table = await dogTable();
    expect((await table.bulkWrite(rows(0, 3000), LOCAL)).error).toEqual([]);
    await table.findDocumentsById(
      dogs.map((dog) => dog.id),
      false,
    );
    expect(cachedIds(table).length).toBeLessThanOrEqual(CAPACITY_PER_TABLE * 1.25);
    expect(cachedIds(table).length).toBeGreaterThanOrEqual(Math.min(3000, CAPACITY_PER_TABLE));
  });
});
