import fs from 'node:fs';
import type { RxJsonSchema } from 'rxdb';
import { linkMetaTable } from './assumed-masters';
import { CollectionTable, ROWS_FILLED_PER_STEP, type SqliteInstanceOptions } from './collection-table';
import { DeferredIndexes } from './deferred-indexes';
import { idleWork, type IdleWork } from './idle-work';
import type { DocData } from './stored-document';
import type { DatabaseKey } from './encryption';
import { databaseFilePath, openDatabaseFile, openReader, type SqliteDatabase } from './sqlite-file';
import { WalCheckpointer } from './checkpointer';
import { ReplicaBatch } from './replica-batch';
import { currentTransaction, type Transaction } from './transaction';

/**
 * One open database file (one RxDB database, one profile), shared by all of
 * its storage instances in this process: the write connection, the tables,
 * and the transaction in progress.
 */
export class DatabaseFile {
  /**
   * The write connection as it is, pulled writes held open included (`replicaBatch`): for reads and for
   * the writes that join the batch. A write of its own takes `writer`.
   */
  readonly connection: SqliteDatabase;
  readonly replicaBatch: ReplicaBatch;
  /** Copies the WAL back off the main thread after pulled writes (replica-batch.ts). */
  readonly checkpointer: WalCheckpointer;
  /** The indexes of tables an initial sync fills, made once its pages pause (deferred-indexes.ts). */
  readonly deferredIndexes: DeferredIndexes;
  /** Fills the index columns saves left empty once the app leaves the file alone (collection-table.ts). */
  private readonly columnsLeftEmpty: IdleWork;
  readonly tables = new Map<string, CollectionTable>();
  activeTransaction: Transaction | undefined;
  private reader: SqliteDatabase | undefined;
  /** When the app last read or wrote the file (performance.now()), for work that waits for a pause. */
  private lastUsedAt = 0;
  private references = 0;

  constructor(
    readonly path: string,
    readonly databaseName: string,
    private readonly key: DatabaseKey,
  ) {
    this.connection = openDatabaseFile(path, key);
    this.checkpointer = new WalCheckpointer(path, key);
    this.replicaBatch = new ReplicaBatch(
      this.connection,
      databaseName,
      (error) => {
        for (const table of this.tables.values()) table.invalidate();
        for (const listener of rollBackListeners.get(path) ?? []) listener(error);
      },
      () => this.checkpointer.request(),
    );
    this.deferredIndexes = new DeferredIndexes(this);
    this.columnsLeftEmpty = idleWork(this, {
      pending: () => [...this.tables.values()].some((table) => table.hasColumnsLeftEmpty),
      step: () => {
        for (const table of this.tables.values()) if (!this.fillColumnsLeftEmpty(table, ROWS_FILLED_PER_STEP)) return;
      },
      what: 'the index columns saves left empty',
    });
  }

  /**
   * Fills the index columns saves left empty in `table`, in up to `limit` rows (pulled writes held open are
   * committed first: this is a write of its own); true once none is left. Call with the write turn.
   */
  fillColumnsLeftEmpty(table: CollectionTable, limit = Infinity): boolean {
    if (!table.hasColumnsLeftEmpty) return true;
    this.replicaBatch.commit();
    return table.fillColumnsLeftEmpty(limit);
  }

  /**
   * Before a query, count or read of changes of a meta table (RxDB itself reads them by id alone): puts back
   * every row a catch-up left out, and fills the index columns of the rows put back, which the triggers that
   * put a row back leave empty (assumed-masters.ts). Call with the write turn.
   */
  putBackLeftOutRows(table: CollectionTable): void {
    const masters = table.masters;
    if (!masters?.leftOut) return;
    this.writer.transaction(() => {
      masters.putBackAll();
      table.fillEmptyColumns();
    })();
    masters.leftOut = undefined;
  }

  /** The write connection for a write of its own: pulled writes held open are committed first, never joined. */
  get writer(): SqliteDatabase {
    this.used();
    return this.writerForIdleWork;
  }

  /**
   * `writer` for work that waits until the app leaves the file alone (a derived table's catch-up, see
   * `idleMs`): its own writes do not count as use.
   */
  get writerForIdleWork(): SqliteDatabase {
    this.replicaBatch.commit();
    return this.connection;
  }

  /** Counts as a read or write of the app's (see `idleMs`). */
  used(): void {
    this.lastUsedAt = performance.now();
  }

  /** How long the app has left the file alone, in ms: since its last read or write, pulled writes included. */
  get idleMs(): number {
    return performance.now() - this.lastUsedAt;
  }

  /**
   * The connection a read should use: inside the transaction (or when none is
   * open) the writer, which sees the transaction's own writes; outside an open
   * transaction a read-only connection that sees only committed data.
   */
  readConnection(): SqliteDatabase {
    this.used();
    if (!this.activeTransaction || currentTransaction(this)) return this.connection;
    this.reader ??= openReader(this.path, this.key);
    return this.reader;
  }

  /** Resolves once a write from the current context may run (now, or after the open transaction ends). */
  async waitForWriteTurn(): Promise<void> {
    while (this.activeTransaction && !currentTransaction(this)) await this.activeTransaction.done;
  }

  /** True if a write from the current context must wait for another context's transaction. */
  mustWait(): boolean {
    return !!this.activeTransaction && !currentTransaction(this);
  }

  /** The table of a collection; `options` count when the table is first opened in this process. */
  table(collectionName: string, schema: RxJsonSchema<DocData>, options?: SqliteInstanceOptions): CollectionTable {
    const key = `${collectionName}@${schema.version}`;
    let table = this.tables.get(key);
    if (!table) {
      table = new CollectionTable(this.writer, collectionName, schema, options);
      table.ensureSchema();
      if (table.isMetaTable) {
        // A new link is made in a transaction of its own (a rolled-back one would leave it half made).
        const mayCreate = !currentTransaction(this) && !this.connection.inTransaction;
        const lastWritten = (name: string) => this.replicaBatch.lastWritten(name);
        table.setAssumedMasters(linkMetaTable(table, this.tables.values(), mayCreate, lastWritten));
      }
      currentTransaction(this)?.createdTables.add(table);
      table.onColumnsLeftEmpty = () => this.columnsLeftEmpty.schedule();
      this.tables.set(key, table);
    }
    return table;
  }

  /** After `table` was dropped: forgets it, and the links of the meta tables that referred to it. */
  forgetTable(table: CollectionTable): void {
    for (const [key, value] of this.tables) if (value === table) this.tables.delete(key);
    this.replicaBatch.forgetWrites(table.name);
    for (const meta of this.tables.values())
      if (meta.masters?.entityTable === table.name) meta.setAssumedMasters(undefined);
  }

  retain(): void {
    this.references++;
  }

  /** Closes the connections once nobody uses the file; removes it if no collection is left. */
  release(): void {
    this.references--;
    if (this.references > 0) return;
    openFiles.delete(this.path);
    this.deferredIndexes.close();
    this.columnsLeftEmpty.close();
    try {
      this.replicaBatch.commit();
      for (const table of this.tables.values()) table.fillLeftEmptyBeforeClose();
    } catch (error) {
      // The tables' marks stay: the next open fills what saves left empty.
      console.error(`Curio: the index columns saves left empty in ${this.path} are filled at its next open.`, error);
    }
    const empty = !this.writer.prepare('SELECT 1 FROM curio_collections LIMIT 1').get();
    // NOTE: a checkpoint still running keeps its connection until it ends; that connection then closes
    // last, and SQLite removes the WAL there instead.
    void this.checkpointer.close();
    this.reader?.close();
    this.writer.close();
    if (empty) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(this.path + suffix, { force: true });
  }
}

const openFiles = new Map<string, DatabaseFile>();
/** By file path: who is told that pulled writes held open were rolled back (kept while the file closes and opens). */
const rollBackListeners = new Map<string, Set<(error: unknown) => void>>();

/** The open file of a database, opening it (encrypted with `key`, null: plain) if needed. Pair with `release()`. */
export function acquireDatabaseFile(directory: string, databaseName: string, key: DatabaseKey): DatabaseFile {
  const filePath = databaseFilePath(directory, databaseName);
  let file = openFiles.get(filePath);
  if (!file) {
    file = new DatabaseFile(filePath, databaseName, key);
    openFiles.set(filePath, file);
  }
  file.retain();
  return file;
}

/** The database's file if this process has it open, without opening it. */
export function openDatabaseFileOf(directory: string, databaseName: string): DatabaseFile | undefined {
  return openFiles.get(databaseFilePath(directory, databaseName));
}

/**
 * Calls `listener`, synchronously inside the failed write or commit, whenever the pulled writes held open for
 * the database (replica-batch.ts) are rolled back, with the error that did it. Returns the unsubscribe.
 */
export function onPulledWritesRolledBack(
  directory: string,
  databaseName: string,
  listener: (error: unknown) => void,
): () => void {
  const filePath = databaseFilePath(directory, databaseName);
  let listeners = rollBackListeners.get(filePath);
  if (!listeners) rollBackListeners.set(filePath, (listeners = new Set()));
  const set = listeners;
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && rollBackListeners.get(filePath) === set) rollBackListeners.delete(filePath);
  };
}
