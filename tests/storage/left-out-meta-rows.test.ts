/**
 * Issue 16: a catch-up's meta rows left out (main/storage/assumed-masters.ts). RxDB's first meta row of a pulled
 * document says nothing its stored row does not, while that row is as the pull wrote it; the storage writes none,
 * and every reader puts it back. What must hold: RxDB reads and updates such a row as if stored, a query of the
 * meta table returns it, and a page smaller than a catch-up's (a live change) keeps its rows.
 */
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFilePath, getRxStorageSqlite, quoteIdentifier } from '../../main/storage';
import { openConnection } from '../../main/storage/encryption';
import { entityRxSchema } from '../../shared/rx-schema';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';
import { generateCatalog } from '../../shared/sample';
import { firstMetaRow, openReplicationMeta, pulledRow, tempDirectory, uniqueName } from './helpers';

/** The replication's key, as RxDB names it in its downstream's context and in its meta rows' revisions. */
const KEY = 'rx_storage_replication_test';
const PULLED = `replication-downstream-${KEY}`;
const META_WRITE = 'replication-down-write-meta';
type Person = ReturnType<typeof generateCatalog>['person'][number];
/** A catch-up's page: more documents than a live change brings (CATCH_UP_PAGE_DOCUMENTS). */
const { person: people, dog: dogs } = generateCatalog({ video: 0, person: 120, dog: 3, trip: 0, series: 0 }, 7);

const firstMetaRowOf = (master: Person, lwt: number) => firstMetaRow(master, lwt, `1-${KEY}`);

describe("a catch-up's meta rows left out, in the storage", () => {
  let temp: ReturnType<typeof tempDirectory>;
  let db: RxDatabase<{ person: RxCollection; other: RxCollection }>;
  let meta: Awaited<ReturnType<typeof openReplicationMeta>>;
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
    await db.addCollections({ person: { schema: entityRxSchema('person') }, other: { schema: entityRxSchema('dog') } });
    meta = await openReplicationMeta(storage, db, db.person, 'test');
  });
  afterEach(async () => {
    await meta.close();
    if (!db.closed) await db.close();
    temp.cleanup();
  });

  /** Meta rows about a document (not checkpoints) the file holds. */
  function metaRowsInFile(): number {
    const file = openConnection(databaseFilePath(temp.directory, db.name), null, {
      readonly: true,
      fileMustExist: true,
    });
    try {
      const table = file
        .prepare("SELECT meta_table FROM curio_meta_links WHERE entity_table LIKE 'c_person_v%'")
        .pluck()
        .get() as string;
      return file
        .prepare(`SELECT count(*) FROM ${quoteIdentifier(table)} WHERE id LIKE '%|0'`)
        .pluck()
        .get() as number;
    } finally {
      file.close();
    }
  }

  async function pullPage(page: Person[]): Promise<void> {
    const written = await db.person.storageInstance.bulkWrite(
      page.map((p, i) => pulledRow(p, i + 1)),
      PULLED,
    );
    expect(written.error).toEqual([]);
    const metaWritten = await meta.bulkWrite(
      page.map((p, i) => firstMetaRowOf(p, i + 1_000)),
      META_WRITE,
    );
    expect(metaWritten.error).toEqual([]);
    await commitBatch();
  }

  /** Commits what the batch holds: any write of the app's own does (replica-batch.ts). */
  async function commitBatch(): Promise<void> {
    await db.other.insert(dogs[dogsInserted++]!);
  }

  it("a catch-up's page leaves its meta rows out; read by id, each is the server's version", async () => {
    await pullPage(people);
    expect(metaRowsInFile()).toBe(0);
    const read = await meta.findDocumentsById(
      people.map((p) => `${p.id}|0`),
      false,
    );
    expect(read).toHaveLength(people.length);
    const byItem = new Map(read.map((doc) => [doc.itemId as string, doc]));
    for (const person of people) {
      expect(byItem.get(person.id)).toMatchObject({
        id: `${person.id}|0`,
        isCheckpoint: '0',
        docData: { ...person, _deleted: false },
        _rev: `1-${KEY}`,
        _deleted: false,
      });
    }
  });

  it('a live change (a few documents) keeps its meta rows', async () => {
    await pullPage(people.slice(0, 5));
    expect(metaRowsInFile()).toBe(5);
  });

  it("RxDB's next meta row of a left-out one is written over it as over a stored one", async () => {
    await pullPage(people);
    const [previous] = await meta.findDocumentsById([`${people[0]!.id}|0`], false);
    const next = { ...previous, docData: { ...previous.docData, name: 'Renamed on the server' }, _rev: `2-${KEY}` };
    const written = await meta.bulkWrite([{ previous, document: next }], META_WRITE);
    expect(written.error).toEqual([]);
    await commitBatch();
    expect(metaRowsInFile()).toBe(1);
    const [back] = await meta.findDocumentsById([`${people[0]!.id}|0`], false);
    expect(back).toMatchObject({ _rev: `2-${KEY}`, docData: { name: 'Renamed on the server' } });
  });

  it('a query of the meta table returns the left-out rows too: they are put back first', async () => {
    await pullPage(people);
    const result = await meta.query({
      query: { selector: { isCheckpoint: '0' }, sort: [{ id: 'asc' }], skip: 0 },
      queryPlan: {
        index: ['_deleted', 'id'],
        startKeys: [false, ''],
        endKeys: [false, '\uffff'],
        inclusiveStart: true,
        inclusiveEnd: true,
        sortSatisfiedByIndex: true,
        selectorSatisfiedByIndex: false,
      },
    } as never);
    expect(result.documents.map((doc) => doc.itemId).sort()).toEqual(people.map((p) => p.id).sort());
    expect(metaRowsInFile()).toBe(people.length);
  });
});
