/**
 * Issue 16: a catch-up's meta rows left out (main/storage/assumed-masters.ts). RxDB's first meta row of a pulled
 * document says nothing its stored row does not, while that row is as the pull wrote it; the storage writes none,
 * and every reader puts it back. What must hold: RxDB reads and updates such a row as if stored, a query of the
 * meta table returns it, and a page smaller than a catch-up's (a live change) keeps its rows.
 */
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFilePath, getRxStorageSqlite, quoteIdentifier, type SqliteInternals } from '../../main/storage';
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

  /** A page's documents as its pull writes them, the first with last-write time `lwt`. */
  async function writePulledDocuments(page: Person[], lwt = 1): Promise<void> {
    const written = await db.person.storageInstance.bulkWrite(
      page.map((p, i) => pulledRow(p, lwt + i)),
      PULLED,
    );
    expect(written.error).toEqual([]);
  }

  /** RxDB's first meta rows of a page's documents, as its downstream writes them right after the page. */
  async function writeFirstMetaRows(page: Person[], lwt = 1_000): Promise<void> {
    const written = await meta.bulkWrite(
      page.map((p, i) => firstMetaRowOf(p, lwt + i)),
      META_WRITE,
    );
    expect(written.error).toEqual([]);
  }

  async function pullPage(page: Person[]): Promise<void> {
    await writePulledDocuments(page);
    await writeFirstMetaRows(page);
    await commitBatch();
  }

  /** The batch of pulled writes the profile's file holds open (replica-batch.ts). */
  const replicaBatch = () => (db.person.storageInstance.internals as SqliteInternals).file.replicaBatch;

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

  /** A checkpoint row of RxDB's (`<item>|1`), at `sequence`, as a new row of its own. */
  const checkpointRow = (sequence: number) => ({
    document: {
      id: `down-${sequence}|1`,
      isCheckpoint: '1',
      itemId: `down-${sequence}`,
      checkpointData: { sequence },
      _attachments: {},
      _deleted: false,
      _rev: `1-${KEY}`,
      _meta: { lwt: sequence + 1 },
    },
  });

  it("a catch-up's batch commits after 10,000 rows written (the meta rows left out are none), never inside a page", async () => {
    const { person: many } = generateCatalog({ video: 0, person: 10_000, dog: 0, trip: 0, series: 0 }, 11);
    const batch = replicaBatch();
    /**
     * A page's documents and RxDB's first meta rows of them, left in the open batch; between them, as in a
     * sync, the checkpoint of an earlier page (RxDB writes checkpoints without awaiting them).
     */
    const pullPageInBatch = async (page: Person[], offset: number) => {
      await writePulledDocuments(page, offset + 1);
      await meta.bulkWrite([checkpointRow(offset)], 'replication-set-checkpoint');
      await writeFirstMetaRows(page, offset + 1);
    };
    await pullPageInBatch(many.slice(0, 6_000), 0);
    // 6,000 documents written and 6,000 meta rows left out: the batch goes on.
    expect(batch.open).toBe(true);
    // 10,000 documents: the batch commits, but after the page's meta rows, which it leaves out too.
    await pullPageInBatch(many.slice(6_000), 6_000);
    expect(batch.open).toBe(false);
    expect(metaRowsInFile()).toBe(0);
  });

  it('a batch open for its second waits for the meta rows of the page it has just written', async () => {
    const batch = replicaBatch();
    // A batch of the page alone, from its documents on.
    await commitBatch();
    await writePulledDocuments(people);
    // The batch's second passes between the page's documents and its meta rows; reads keep the file in use,
    // as the pages of a sync do, or the work left for a pause (indexes, search index) would commit the batch.
    for (const started = Date.now(); Date.now() - started < 1_050;) {
      await db.person.storageInstance.findDocumentsById([people[0]!.id], false);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(batch.open).toBe(true);
    await writeFirstMetaRows(people);
    await commitBatch();
    expect(metaRowsInFile()).toBe(0);
  });
});
