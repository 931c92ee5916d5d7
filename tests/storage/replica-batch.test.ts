/**
 * Issue 16: pulled writes are held in one open transaction across several of RxDB's writes
 * (main/storage/replica-batch.ts). What must hold: the app reads them at once, any write of its own
 * commits them first and stays durable, and they reach the file by themselves within a second or
 * when the profile closes.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFilePath, getRxStorageSqlite, type SqliteInternals } from '../../main/storage';
import { entityRxSchema } from '../../shared/rx-schema';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';
import { generateCatalog } from '../../shared/sample';
import { tempDirectory, uniqueName } from './helpers';

/** RxDB's context for writes of pulled documents starts with this (its downstream flag). */
const PULLED = 'replication-downstream-test';
const people = generateCatalog({ video: 0, person: 4, dog: 0, trip: 0, series: 0 }, 11).person;

function pulled(person: (typeof people)[number], lwt: number) {
  return { document: { ...person, _deleted: false, _attachments: {}, _rev: '1-pulled', _meta: { lwt } } };
}

describe('pulled writes held in one transaction', () => {
  let temp: ReturnType<typeof tempDirectory>;
  let db: RxDatabase<{ person: RxCollection }>;
  let storage: ReturnType<typeof getRxStorageSqlite>;
  let file: string;

  /** The ids a separate connection finds in the file: only what is committed. */
  function committedIds(): string[] {
    const other = new Database(file, { readonly: true });
    try {
      const table = other
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%person%'")
        .get() as { name: string };
      const rows = other.prepare(`SELECT id FROM "${table.name}" ORDER BY id`).all() as { id: string }[];
      return rows.map((row) => row.id);
    } finally {
      other.close();
    }
  }

  beforeEach(async () => {
    temp = tempDirectory();
    storage = getRxStorageSqlite({ directory: temp.directory });
    db = await createRxDatabase({
      name: uniqueName('profile'),
      storage: wrappedValidateZodStorage({ storage }),
      multiInstance: false,
    });
    await db.addCollections({ person: { schema: entityRxSchema('person') } });
    file = databaseFilePath(temp.directory, db.name);
  });
  afterEach(async () => {
    if (!db.closed) await db.close();
    temp.cleanup();
  });

  it('are read at once, and a write of the app commits them before its own commit', async () => {
    const [first, second, local] = people;
    const result = await db.person.storageInstance.bulkWrite([pulled(first!, 1), pulled(second!, 2)], PULLED);
    expect(result.error).toEqual([]);
    // Held: the app sees them, the file does not have them yet.
    const read = await db.person.storageInstance.findDocumentsById([first!.id, second!.id], false);
    expect(read.map((doc) => doc.id).sort()).toEqual([first!.id, second!.id].sort());
    expect(committedIds()).toEqual([]);

    await db.person.insert(local!);
    expect(committedIds()).toEqual([first!.id, second!.id, local!.id].sort());
  });

  it('reach the file within a second by themselves', async () => {
    await db.person.storageInstance.bulkWrite([pulled(people[0]!, 1)], PULLED);
    const deadline = Date.now() + 5_000;
    while (committedIds().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(committedIds()).toEqual([people[0]!.id]);
  });

  it('reach the file when the profile closes', async () => {
    await db.person.storageInstance.bulkWrite([pulled(people[0]!, 1), pulled(people[1]!, 2)], PULLED);
    await db.close();
    expect(committedIds()).toEqual([people[0]!.id, people[1]!.id].sort());
  });

  it('reach the file as soon as the replication says it is in sync', async () => {
    await db.person.storageInstance.bulkWrite([pulled(people[0]!, 1)], PULLED);
    storage.commitPulledWrites(db.name);
    expect(committedIds()).toEqual([people[0]!.id]);
  });

  it('rolled back by a failed write (a full disk) are announced, so the replication can pull them again', async () => {
    const announced: unknown[] = [];
    const stop = storage.onPulledWritesRolledBack(db.name, (error) => announced.push(error));
    const first = people[0]!;
    await db.person.storageInstance.bulkWrite([pulled(first, 1)], PULLED);
    // The file may not grow any more, as on a full disk.
    const { file: databaseFile } = db.person.storageInstance.internals as SqliteInternals;
    const pages = databaseFile.connection.pragma('page_count', { simple: true }) as number;
    databaseFile.connection.pragma(`max_page_count = ${pages}`);
    const crowd = generateCatalog({ video: 0, person: 300, dog: 0, trip: 0, series: 0 }, 12).person;

    const rows = crowd.map((person, index) => pulled(person, 2 + index));
    await expect(db.person.storageInstance.bulkWrite(rows, PULLED)).rejects.toThrow(/full/);
    expect(announced).toEqual([expect.objectContaining({ code: 'SQLITE_FULL' })]);
    // The whole batch went: the write before the failed one too.
    const read = await db.person.storageInstance.findDocumentsById([first.id], false);
    expect(read).toEqual([]);
    stop();
  });
});
