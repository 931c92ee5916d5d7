import { AsyncLocalStorage } from 'node:async_hooks';
import type { CollectionTable } from './collection-table';
import type { ChangeBulk, DocData } from './stored-document';
import type { DatabaseFile } from './database-file';
import { forgetRolledBackWrites } from './rxdb-rollback';
import type { SqliteDatabase } from './sqlite-file';
import { statement } from './statements';

/**
 * An open SQLite transaction spanning every write to one database file made
 * inside `transaction(fn)`. Its change events wait here until COMMIT.
 */
export class Transaction {
  finished = false;
  readonly done: Promise<void>;
  readonly pendingEvents: { table: CollectionTable; bulk: ChangeBulk }[] = [];
  readonly createdTables = new Set<CollectionTable>();
  /** Ids written per collection, so a rollback can clear RxDB's caches of them. */
  readonly touched = new Map<string, Set<string>>();
  /** The latest version written of each document, per collection: what a read inside the transaction sees. */
  readonly written = new Map<string, Map<string, DocData>>();
  private resolveDone!: () => void;

  constructor(readonly file: DatabaseFile) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  touch(collectionName: string, ids: string[]): void {
    let set = this.touched.get(collectionName);
    if (!set) this.touched.set(collectionName, (set = new Set()));
    for (const id of ids) set.add(id);
  }

  /** Remembers `docs` as written (stored, not yet committed), so reads in the transaction see them. */
  wrote(collectionName: string, primaryPath: string, docs: DocData[]): void {
    let byId = this.written.get(collectionName);
    if (!byId) this.written.set(collectionName, (byId = new Map()));
    for (const doc of docs) byId.set(doc[primaryPath] as string, doc);
  }

  finish(): void {
    this.finished = true;
    this.resolveDone();
  }
}

/**
 * NOTE: the open transactions of the current async call chain. RxDB calls the
 * storage from its collections without any way to pass a handle along, so the
 * transaction travels with the async context instead (writes made inside fn,
 * however deeply awaited, find it here).
 */
const context = new AsyncLocalStorage<Map<DatabaseFile, Transaction>>();

/** The transaction of `file` that the current async context writes into, if any. */
export function currentTransaction(file: DatabaseFile): Transaction | undefined {
  const transaction = context.getStore()?.get(file);
  return transaction && !transaction.finished ? transaction : undefined;
}

/**
 * The documents of `collectionName` that the open transaction of the current async context wrote to
 * database `databaseName`, by id (uncommitted: other contexts must not see them); undefined outside a
 * transaction or before its first write to that collection.
 */
export function writtenInCurrentTransaction(
  databaseName: string,
  collectionName: string,
): ReadonlyMap<string, DocData> | undefined {
  const store = context.getStore();
  if (!store) return undefined;
  for (const [file, transaction] of store) {
    if (file.databaseName === databaseName && !transaction.finished) return transaction.written.get(collectionName);
  }
  return undefined;
}

/**
 * Runs fn with all writes to `file` in one SQLite transaction. Writes from
 * outside wait until it ends; events are emitted after COMMIT; on a throw
 * everything rolls back and the error is rethrown. Nested calls join.
 */
export async function runTransaction<T>(file: DatabaseFile, fn: () => Promise<T>): Promise<T> {
  if (currentTransaction(file)) return fn();
  while (file.activeTransaction) await file.activeTransaction.done;

  const transaction = new Transaction(file);
  const db = file.writer;
  // NOTE: a transaction is what the service layer commits a user's change with (entity and audit), so
  // its COMMIT is flushed to disk (power-loss safe); other writes rely on WAL's crash safety alone.
  // The level cannot change inside a transaction, hence here. NOTE: never a cached prepared statement:
  // SQLite sets the level while compiling the PRAGMA, and one prepared before another level was set left
  // the level unchanged when run (3.53); `exec` compiles it each time, without pragma()'s result rows.
  // A save may also copy the WAL back at its COMMIT (SQLite's automatic checkpoint, inside the COMMIT), so
  // the WAL starts over instead of growing by every save (SAVE_CHECKPOINT_PAGES).
  const pragmas = transactionPragmas(db, mayCopyWal(file));
  db.exec(pragmas.begin);
  try {
    statement(db, 'BEGIN IMMEDIATE').run();
  } catch (error) {
    db.exec(pragmas.end);
    throw error;
  }
  file.activeTransaction = transaction;
  const store = new Map(context.getStore() ?? []);
  store.set(file, transaction);
  try {
    const result = await context.run(store, fn);
    statement(db, 'COMMIT').run();
    end(file, transaction, pragmas.end);
    for (const { table, bulk } of transaction.pendingEvents) table.changes$.next(bulk);
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    end(file, transaction, pragmas.end);
    for (const table of file.tables.values()) table.invalidate();
    // Tables created inside the transaction were rolled back with it; recreate them.
    for (const table of transaction.createdTables) table.ensureSchema();
    forgetRolledBackWrites(file.databaseName, transaction.touched);
    throw error;
  }
}

/**
 * The WAL size (pages) at which a transaction of the app's own (a save) copies the WAL back into the file,
 * SQLite's default, instead of the write connection's 160 MB (sqlite-file.ts, set for pulled batches). The
 * next save then starts the WAL over and overwrites frames already on disk; appended to a growing WAL, each
 * save's fsync must also journal the file's new size (ext4), which made it dearer (docs/decisions.md, "Local
 * save: the WAL started over"). About 50 video saves; the copy is a few hundred distinct pages.
 */
const SAVE_CHECKPOINT_PAGES = 1_000;
/** Rows pulled since the last checkpoint that a save's copy may still take along (a teammate's trickle of edits). */
const PULLED_ROWS_COPIED_BY_SAVES = 1_000;
/** The write connection's own automatic checkpoint level, restored after each transaction. */
const connectionCheckpointPages = new WeakMap<SqliteDatabase, number>();

/**
 * Whether a transaction beginning now may copy the WAL back at its COMMIT on the main thread: not while the
 * checkpoint thread copies, and not after pulled writes left more than a trickle behind, which the thread
 * is then asked to copy, as after a batch (docs/decisions.md, "Checkpoints off the main thread").
 */
function mayCopyWal(file: DatabaseFile): boolean {
  if (file.checkpointer.busy) return false;
  if (file.replicaBatch.rowsSinceCheckpoint <= PULLED_ROWS_COPIED_BY_SAVES) return true;
  file.replicaBatch.checkpointNow();
  return false;
}

/** The PRAGMAs a transaction of the app's own begins with, and those that restore the connection after it. */
function transactionPragmas(db: SqliteDatabase, copyWal: boolean): { begin: string; end: string } {
  if (!copyWal) return { begin: 'PRAGMA synchronous = FULL', end: 'PRAGMA synchronous = NORMAL' };
  let pages = connectionCheckpointPages.get(db);
  if (pages === undefined) {
    pages = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    connectionCheckpointPages.set(db, pages);
  }
  return {
    begin: `PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = ${SAVE_CHECKPOINT_PAGES}`,
    end: `PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = ${pages}`,
  };
}

function end(file: DatabaseFile, transaction: Transaction, pragmas: string): void {
  file.writer.exec(pragmas);
  file.activeTransaction = undefined;
  transaction.finish();
}
