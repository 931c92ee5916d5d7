/**
 * Issue 16: after a catch-up's pulled writes, the WAL is copied back into the database file by a thread of
 * its own (main/storage/checkpointer.ts), not by the write connection on the main thread, where every
 * screen's request and every save would wait behind a copy of up to 160 MB. What must hold: the copy
 * happens, on a plain and on an encrypted profile, and the main thread's connection never runs it.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databaseFilePath, getRxStorageSqlite, openConnection, type SqliteInternals } from '../../main/storage';
import { entityRxSchema } from '../../shared/rx-schema';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';
import { generateCatalog } from '../../shared/sample';
import { tempDirectory, uniqueName } from './helpers';

/** RxDB's context for writes of pulled documents starts with this (its downstream flag). */
const PULLED = 'replication-downstream-test';
const PAGE = 1_000;
/**
 * One batch of pulled rows (10,000, replica-batch.ts), which asks for a copy when it commits, and a rest
 * large enough (5,000) for the end of the catch-up to ask for one too.
 */
const people = generateCatalog({ video: 0, person: 15 * PAGE, dog: 0, trip: 0, series: 0 }, 5).person;

describe('the WAL after a catch-up', () => {
  let temp: ReturnType<typeof tempDirectory> | undefined;
  let db: RxDatabase<{ person: RxCollection }> | undefined;
  afterEach(async () => {
    if (db && !db.closed) await db.close();
    temp?.cleanup();
  });

  for (const encrypted of [false, true]) {
    it(`is copied into the ${encrypted ? 'encrypted' : 'plain'} file off the main thread`, async () => {
      temp = tempDirectory();
      const key = encrypted ? randomBytes(32) : null;
      const storage = getRxStorageSqlite({ directory: temp.directory, key });
      db = await createRxDatabase({
        name: uniqueName('profile'),
        storage: wrappedValidateZodStorage({ storage }),
        multiInstance: false,
      });
      await db.addCollections({ person: { schema: entityRxSchema('person') } });
      const { file } = db.person.storageInstance.internals as SqliteInternals;
      const mainThreadPragmas = vi.spyOn(file.connection, 'pragma');

      for (let start = 0; start < people.length; start += PAGE) {
        const page = people.slice(start, start + PAGE).map((person, i) => ({
          document: { ...person, _deleted: false, _attachments: {}, _rev: '1-pulled', _meta: { lwt: start + i + 1 } },
        }));
        expect((await db.person.storageInstance.bulkWrite(page, PULLED)).error).toEqual([]);
      }
      storage.commitPulledWrites(db.name);

      // The database file alone (without its WAL) holds every pulled row once the copy is done. A copy of
      // the file taken while pages are being copied into it may be torn: that counts as not yet.
      const path = databaseFilePath(temp.directory, db.name);
      const copy = join(temp.directory, 'file-alone.sqlite');
      const rowsInFileAlone = () => {
        copyFileSync(path, copy);
        let alone: ReturnType<typeof openConnection> | undefined;
        try {
          alone = openConnection(copy, key, { readonly: true, fileMustExist: true });
          const table = alone
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%person%'")
            .pluck()
            .get() as string | undefined;
          return table ? (alone.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number) : 0;
        } catch {
          return -1;
        } finally {
          alone?.close();
        }
      };
      const deadline = Date.now() + 20_000;
      while (rowsInFileAlone() < people.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(rowsInFileAlone()).toBe(people.length);

      const checkpointsOnMainThread = mainThreadPragmas.mock.calls.filter(([pragma]) => /checkpoint/i.test(pragma));
      expect(checkpointsOnMainThread).toEqual([]);
    }, 60_000);
  }
});
