/**
 * Issue 16: a pulled page's meta rows are compared with the page's documents as the open batch wrote them,
 * without reading the stored revisions back (main/storage/replica-batch.ts, `lastWritten`). What must hold:
 * a meta row refers to the stored document only while the row holds that very version. A write of the app's
 * own between the page and its meta rows changes the row: the meta row must then keep its copy.
 */
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFilePath, getRxStorageSqlite } from '../../main/storage';
import { entityRxSchema } from '../../shared/rx-schema';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';
import { generateCatalog } from '../../shared/sample';
import { firstMetaRow, metaRowInFile, openReplicationMeta, pulledRow, tempDirectory, uniqueName } from './helpers';

/** RxDB's context for writes of pulled documents starts with this (its downstream flag). */
const PULLED = 'replication-downstream-test';
type Person = ReturnType<typeof generateCatalog>['person'][number];
const { person: people, dog: dogs } = generateCatalog({ video: 0, person: 3, dog: 3, trip: 0, series: 0 }, 5);

/** RxDB's meta row after a pulled page: `docData` is the server's version, the very object the page was built from. */
const metaRow = (master: Person, lwt: number) => firstMetaRow(master, lwt, '1-meta');

describe("a page's meta rows, compared with the page as the batch wrote it", () => {
  let temp: ReturnType<typeof tempDirectory>;
  let db: RxDatabase<{ person: RxCollection; other: RxCollection }>;
  let meta: Awaited<ReturnType<typeof openReplicationMeta>>;
  /** Dogs inserted by `commitBatch` in this test's profile. */
  let dogsInserted: number;

  beforeEach(async () => {
    dogsInserted = 0;
    temp = tempDirectory();
    const storage = getRxStorageSqlite({ directory: temp.directory });
    db = await createRxDatabase({
      name: uniqueName('profile'),
      storage: wrappedValidateZodStorage({ storage }),
      multiInstance: false,
    });
    await db.addCollections({
      person: { schema: entityRxSchema('person') },
      other: { schema: entityRxSchema('dog') },
    });
    meta = await openReplicationMeta(storage, db, db.person, 'test');
  });
  afterEach(async () => {
    await meta.close();
    if (!db.closed) await db.close();
    temp.cleanup();
  });

  /** The person's meta row and stored revision, read from the file with a connection of its own. */
  function storedRows(id: string): { base: string | null; docData: unknown; entityRev: string } {
    const row = metaRowInFile(databaseFilePath(temp.directory, db.name), id)!;
    return {
      base: row.base_rev,
      docData: (JSON.parse(row.data) as { docData: unknown }).docData,
      entityRev: row.entityRev,
    };
  }

  /** Commits what the batch holds: any write of the app's own does (replica-batch.ts). */
  async function commitBatch(): Promise<void> {
    await db.other.insert(dogs[dogsInserted++]!);
  }

  it('right after their page, each refers to its stored document', async () => {
    expect(
      (
        await db.person.storageInstance.bulkWrite(
          people.map((p, i) => pulledRow(p, i + 1)),
          PULLED,
        )
      ).error,
    ).toEqual([]);
    expect(
      (
        await meta.bulkWrite(
          people.map((p, i) => metaRow(p, i + 10)),
          PULLED,
        )
      ).error,
    ).toEqual([]);
    await commitBatch();
    for (const person of people) {
      const rows = storedRows(person.id);
      expect(rows.base).toBe(rows.entityRev);
      expect(rows.docData).toBe(rows.entityRev);
    }
    // Read back, each is the document RxDB wrote.
    const read = await meta.findDocumentsById(
      people.map((p) => `${p.id}|0`),
      false,
    );
    expect(read.map((doc) => doc.docData)).toEqual(people.map((p) => ({ ...p, _deleted: false })));
  });

  it('a save of the app between a page and its meta rows: the edited document keeps its copy', async () => {
    const [edited, untouched] = people;
    await db.person.storageInstance.bulkWrite([pulledRow(edited!, 1), pulledRow(untouched!, 2)], PULLED);
    // The save commits the batch first, then replaces the pulled version with its own.
    const doc = await db.person.findOne(edited!.id).exec(true);
    await doc.incrementalPatch({ name: 'Edited here' });
    await meta.bulkWrite([metaRow(edited!, 10), metaRow(untouched!, 11)], PULLED);
    await commitBatch();

    const rows = storedRows(edited!.id);
    expect(rows.base).toBeNull();
    expect(rows.docData).toEqual({ ...edited, _deleted: false });
    const [back] = await meta.findDocumentsById([`${edited!.id}|0`], false);
    expect(back.docData).toMatchObject({ name: edited!.name });
    // The other document of the page is unchanged: its meta row still refers to it.
    const other = storedRows(untouched!.id);
    expect(other.base).toBe(other.entityRev);
  });

  it('a page and its meta rows in different batches: each still refers to its stored document', async () => {
    await db.person.storageInstance.bulkWrite(
      people.map((p, i) => pulledRow(p, i + 1)),
      PULLED,
    );
    await commitBatch();
    await meta.bulkWrite(
      people.map((p, i) => metaRow(p, i + 10)),
      PULLED,
    );
    await commitBatch();
    for (const person of people) {
      const rows = storedRows(person.id);
      expect(rows.base).toBe(rows.entityRev);
    }
  });
});
