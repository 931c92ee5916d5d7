/**
 * A save leaves the audit's filter columns and its (lwt, id) column empty, and its flushed commit writes none
 * of their index pages (`SqliteInstanceOptions.filledAfterSave`). No read may miss an entry for it: every query
 * and count of the table fills them first, as do the replication's reads of changes since a checkpoint and the
 * storage's own read of the newest write; a rollback that undid a fill makes it due again, the app's pause
 * fills them, and whatever a killed process left empty is filled at the next open.
 */
import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeInTransaction, type AnyCollection, type DocumentData } from '../../main/database';
import { databaseFilePath, getRxStorageSqlite, type RxStorageSqlite, type SqliteInternals } from '../../main/storage';
import { withBinding } from '../../main/storage/native-binding';
import { allRxCollections, AUDIT_INDEXES, auditRxSchema } from '../../shared/rx-schema';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';
import { tempDirectory, uniqueName } from './helpers';

type AuditOnly = { audit: AnyCollection };

/** The columns a save leaves empty, as the table names them: the audit's five filter indexes' and the (lwt, id) one. */
function filterColumns(audit: AnyCollection): string[] {
  const { table } = audit.storageInstance.internals as SqliteInternals;
  return [...AUDIT_INDEXES.map((index) => table.columnFor(['_deleted', ...index])!), table.lwtColumn];
}

function entry(fields: Partial<DocumentData> = {}): DocumentData {
  return {
    id: uuidv7(),
    rev: `r-${uuidv7()}`,
    at: new Date().toISOString(),
    actor: { id: 'ada', name: 'Ada' },
    device: 'laptop',
    action: 'update',
    entityType: 'person',
    entityId: uuidv7(),
    entityTitle: 'Ada Lovelace',
    changes: [{ field: 'name', from: 'Ada', to: 'Ada Lovelace' }],
    ...fields,
  };
}

describe('index columns a save leaves to after its commit (the audit filters)', () => {
  let temp: ReturnType<typeof tempDirectory>;
  let storage: RxStorageSqlite;
  let name: string;
  let db: RxDatabase<AuditOnly>;

  /** The audit collection as the core opens it (its storage options included); `options: false` leaves them out. */
  async function open(options = true): Promise<RxDatabase<AuditOnly>> {
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const database = await createRxDatabase<AuditOnly>({
      name,
      storage: wrappedValidateZodStorage({ storage }),
      multiInstance: false,
    });
    const audit = options ? allRxCollections().audit! : { schema: auditRxSchema(), migrationStrategies: {} };
    await database.addCollections({ audit: audit as never });
    return database;
  }

  /** A save: the entry written inside a transaction of the app's own, as services/writes.ts does. */
  const save = (fields: Partial<DocumentData> = {}) => {
    const saved = entry(fields);
    return storage.transaction(name, async () => writeInTransaction(db.audit, saved)).then(() => saved);
  };

  /** Reads the file over a connection of its own, as it is on disk (the database may be closed). */
  function onDisk<T>(read: (file: Database.Database, table: string) => T): T {
    const file = new Database(databaseFilePath(temp.directory, name), { ...withBinding(), readonly: true });
    try {
      const table = file.prepare("SELECT table_name FROM curio_collections WHERE collection = 'audit'").pluck().get();
      return read(file, table as string);
    } finally {
      file.close();
    }
  }

  /** The filter columns of entry `id` as stored on disk. */
  const storedColumns = (id: string, columns: string[]) =>
    onDisk((file, table) =>
      file
        .prepare(`SELECT ${columns.join(', ')} FROM "${table}" WHERE id = ?`)
        .raw()
        .get(id),
    );

  /** What the audit screen asks: by entry, by action, by type, by person, and all newest first. */
  async function expectFound(saved: DocumentData): Promise<void> {
    const ids = async (selector: Record<string, unknown>) =>
      (await db.audit.find({ selector, sort: [{ at: 'desc' }, { id: 'desc' }] }).exec()).map((doc) => doc.id);
    expect(await ids({ entityId: saved.entityId })).toEqual([saved.id]);
    expect(await ids({ action: saved.action })).toContain(saved.id);
    expect(await ids({ entityType: saved.entityType })).toContain(saved.id);
    expect(await ids({ 'actor.id': (saved.actor as { id: string }).id })).toContain(saved.id);
    expect(await ids({})).toContain(saved.id);
    expect(await db.audit.count({ selector: { entityId: saved.entityId } }).exec()).toBe(1);
  }

  beforeEach(async () => {
    temp = tempDirectory();
    storage = getRxStorageSqlite({ directory: temp.directory });
    name = uniqueName('profile');
    db = await open();
  });
  afterEach(async () => {
    await db.close();
    temp.cleanup();
  });

  it('a save leaves them empty; the next query fills them first and misses no entry', async () => {
    const columns = filterColumns(db.audit);
    const saved = await save();
    expect(storedColumns(saved.id as string, columns)).toEqual(columns.map(() => null));

    await expectFound(saved);
    expect(storedColumns(saved.id as string, columns)).not.toContain(null);
  });

  it("a query from outside a save's open transaction waits for it, then finds the entries saved before", async () => {
    const saved = await save({ action: 'trash' });
    const order: string[] = [];
    let release!: () => void;
    const held = storage.transaction(name, () => new Promise<void>((resolve) => (release = resolve)));
    const query = db.audit
      .find({ selector: { action: 'trash' } })
      .exec()
      .then((docs) => {
        order.push('query answered');
        return docs.map((doc) => doc.id);
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    order.push('transaction ended');
    release();
    await held;
    expect(await query).toEqual([saved.id]);
    expect(order).toEqual(['transaction ended', 'query answered']);
  });

  it('a rollback that undid a fill leaves the columns due again, so a later query still finds the entry', async () => {
    const columns = filterColumns(db.audit);
    const saved = await save({ action: 'restore' });
    await expect(
      storage.transaction(name, async () => {
        // Inside the transaction the query fills the columns; the rollback undoes that.
        expect(await db.audit.count({ selector: { action: 'restore' } }).exec()).toBe(1);
        throw new Error('the save failed');
      }),
    ).rejects.toThrow('the save failed');
    expect(storedColumns(saved.id as string, columns)).toEqual(columns.map(() => null));

    await expectFound(saved);
    expect(storedColumns(saved.id as string, columns)).not.toContain(null);
  });

  it("the replication's read of changes since a checkpoint fills them first and misses no entry", async () => {
    const columns = filterColumns(db.audit);
    const first = await save();
    const { checkpoint } = await db.audit.storageInstance.getChangedDocumentsSince!(10);
    expect(checkpoint).toEqual({ id: first.id, lwt: expect.any(Number) });
    const saved = await save();
    expect(storedColumns(saved.id as string, columns)).toEqual(columns.map(() => null));

    const changes = await db.audit.storageInstance.getChangedDocumentsSince!(10, checkpoint);
    expect(changes.documents.map((doc) => doc.id)).toEqual([saved.id]);
    expect(storedColumns(saved.id as string, columns)).not.toContain(null);
  });

  it('a write after a rollback reads the newest write time with the entries saved before, and stamps after it', async () => {
    const saved = await save();
    const { table } = db.audit.storageInstance.internals as SqliteInternals;
    const savedLwt = onDisk((file, name) =>
      file.prepare(`SELECT lwt FROM "${name}" WHERE id = ?`).pluck().get(saved.id),
    );
    // A clock that went back: the storage stamps a write after the newest one it holds.
    const clock = vi.spyOn(Date, 'now').mockReturnValue((savedLwt as number) - 60_000);
    try {
      await expect(
        storage.transaction(name, async () => {
          await writeInTransaction(db.audit, entry());
          throw new Error('the save failed');
        }),
      ).rejects.toThrow('the save failed');
      expect(storedColumns(saved.id as string, [table.lwtColumn])).toEqual([null]);
      expect(table.newestLwt()).toBe(savedLwt);
      const after = await save();
      const afterLwt = onDisk((file, name) =>
        file.prepare(`SELECT lwt FROM "${name}" WHERE id = ?`).pluck().get(after.id),
      );
      expect(afterLwt).toBeGreaterThan(savedLwt as number);
    } finally {
      clock.mockRestore();
    }
  });

  it('the app filling them once it leaves the file alone, with no query', async () => {
    const columns = filterColumns(db.audit);
    const saved = await save();
    await vi.waitFor(() => expect(storedColumns(saved.id as string, columns)).not.toContain(null), {
      timeout: 5_000,
      interval: 50,
    });
  });

  /** The tables the file marks as holding rows saves left empty (a process that closed cleanly leaves none). */
  const marks = () =>
    onDisk((file) => file.prepare('SELECT table_name FROM curio_left_empty').pluck().all() as string[]);

  it('a process that closes fills what its saves left empty and leaves no mark for the next open', async () => {
    const columns = filterColumns(db.audit);
    const saved = await save();
    expect(storedColumns(saved.id as string, columns)).toEqual(columns.map(() => null));
    expect(marks()).toHaveLength(1);
    await db.close();
    expect(storedColumns(saved.id as string, columns)).not.toContain(null);
    expect(marks()).toEqual([]);

    db = await open();
    await expectFound(saved);
  });

  it('what a killed process left empty is filled at the next open, before any query', async () => {
    const columns = filterColumns(db.audit);
    const saved = await save();
    await save({ action: 'trash' });
    // The file as a process killed now leaves it: the committed saves in the WAL, their columns empty, the mark.
    const killed = tempDirectory();
    const path = databaseFilePath(temp.directory, name);
    for (const suffix of ['', '-wal']) copyFileSync(path + suffix, databaseFilePath(killed.directory, name) + suffix);
    await db.close();
    temp.cleanup();
    temp = killed;
    storage = getRxStorageSqlite({ directory: temp.directory });
    expect(storedColumns(saved.id as string, columns)).toEqual(columns.map(() => null));
    expect(marks()).toHaveLength(1);

    db = await open();
    expect(storedColumns(saved.id as string, columns)).not.toContain(null);
    expect(marks()).toEqual([]);
    await expectFound(saved);
  });

  it('a profile from before keeps its entries findable; its filter indexes leave empty rows out from then on', async () => {
    const indexSql = () =>
      onDisk(
        (file, table) =>
          file
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name")
            .all(table) as { name: string; sql: string | null }[],
      );
    await db.close();
    db = await open(false);
    const before = await save({ action: 'import' });
    expect(indexSql().filter((index) => index.sql?.includes('WHERE'))).toEqual([]);
    await db.close();

    db = await open();
    const partial = indexSql().filter((index) => index.sql?.includes('IS NOT NULL'));
    expect(partial).toHaveLength(filterColumns(db.audit).length);
    // No index lists the rows left empty: it cost every save a page (see the next test).
    expect(indexSql().some((index) => index.name.endsWith('_left_empty'))).toBe(false);
    const after = await save({ action: 'import' });
    await expectFound(before);
    await expectFound(after);

    // And back: a release that fills them in the save again fills what was left and indexes every row.
    const left = await save({ action: 'purge' });
    await db.close();
    db = await open(false);
    expect(indexSql().filter((index) => index.sql?.includes('WHERE'))).toEqual([]);
    expect(storedColumns(left.id as string, filterColumns(db.audit))).not.toContain(null);
    await expectFound(left);
  });

  it('a profile of the release that indexed the rows left empty is filled at open, and that index dropped', async () => {
    const columns = filterColumns(db.audit);
    const saved = await save({ action: 'restore' });
    await db.close();
    // As that release left it after a killed process: the row's columns empty, listed by its index, no mark.
    const write = new Database(databaseFilePath(temp.directory, name), withBinding());
    try {
      const table = write.prepare("SELECT table_name FROM curio_collections WHERE collection = 'audit'").pluck().get();
      write
        .prepare(`UPDATE "${String(table)}" SET ${columns.map((c) => `${c} = NULL`).join(', ')} WHERE id = ?`)
        .run(saved.id);
      write.exec(
        `CREATE INDEX "${String(table)}_left_empty" ON "${String(table)}" (${columns[0]}) WHERE ${columns[0]} IS NULL`,
      );
    } finally {
      write.close();
    }
    expect(marks()).toEqual([]);

    db = await open();
    expect(storedColumns(saved.id as string, columns)).not.toContain(null);
    expect(
      onDisk((file) =>
        file.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%left_empty'").pluck().all(),
      ),
    ).toEqual([]);
    await expectFound(saved);
  });
});
