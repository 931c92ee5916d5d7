import {
  ensureRxStorageInstanceParamsAreCorrect,
  RXDB_VERSION,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstanceCreationParams,
} from 'rxdb';
import type { SqliteInstanceOptions } from './collection-table';
import type { DocData } from './stored-document';
export type { SqliteInstanceOptions };
import { acquireDatabaseFile, onPulledWritesRolledBack, openDatabaseFileOf } from './database-file';
import type { DatabaseKey } from './encryption';
import { attachmentsUnsupported, SqliteStorageInstance } from './storage-instance';
import { installRollbackPlugin } from './rxdb-rollback';
import { runTransaction, writtenInCurrentTransaction } from './transaction';

export { StorageFileError, STORAGE_FILE_PROBLEMS, type StorageFileProblem } from './errors';
export { databaseFilePath, CURIO_APPLICATION_ID, FILE_EXTENSION } from './sqlite-file';
export {
  DATABASE_CIPHER,
  DATABASE_KEY_BYTES,
  encryptDatabaseFile,
  isPlainDatabaseFile,
  openConnection,
  type DatabaseEncryption,
  type DatabaseKey,
} from './encryption';
export {
  ELECTRON_BINDING_FOLDER,
  electronBindingFile,
  SQLITE_PACKAGE,
  sqliteBindingFor,
  type ElectronBindingTarget,
  type SqliteInstall,
  type SqliteRuntime,
} from './native-binding';
export type { SqliteInternals } from './storage-instance';
export { quoteIdentifier } from './statements';
export { forgetDeferredIndex } from './deferred-indexes';
export { idleWork, type IdleWork } from './idle-work';
/** Reading a Curio file without RxDB: recovery of a damaged file, and snapshots that are database copies. */
export { liveDocumentCounts, liveDocuments, ownFields, salvageDatabaseFile, type SalvagedCollection } from './salvage';
/** For reads in index order outside RxDB's query engine (lists by duration, services/list-sql.ts). */
export { indexStringMonad } from './index-string';

export interface SqliteStorageOptions {
  /** The folder holding one SQLite file per RxDB database. Must exist and be writable. */
  directory: string;
  /** The key every file is encrypted with (see encryption.ts); null or absent: plain SQLite files. */
  key?: DatabaseKey;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface RxStorageSqlite extends RxStorage<any, any> {
  /**
   * Runs fn. Every bulkWrite to any collection (storage instance) of database
   * `databaseName` made inside fn (tracked with node:async_hooks
   * AsyncLocalStorage, so writes through RxDB collections count) commits in ONE
   * SQLite transaction; writes to that database from outside fn wait until it
   * ends, reads from outside see only committed data. Change-stream events of
   * those writes are emitted only after COMMIT. If fn throws (or rejects),
   * everything rolls back, no events are emitted and the error is rethrown.
   * A nested call for the same database joins the outer transaction.
   * Reads inside fn see fn's own writes, through RxDB's document and query
   * caches too (rxdb-rollback.ts), so a document can be written twice.
   * Its COMMIT is flushed to disk (synchronous=FULL), so it also survives a
   * power loss; plain writes survive a killed process (WAL, NORMAL).
   *
   * NOTE: the method is a plain own property, so storage wrappers built with
   * Object.assign (RxDB's validate wrappers, `wrappedValidateZodStorage`) keep
   * it; typed callers may also keep a reference to this unwrapped storage.
   * After a rollback, an RxDocument the caller still holds has the rolled-back
   * revision; the next write of it gets a 409 conflict (which incremental
   * writes resolve by themselves), so re-read before retrying.
   */
  transaction<T>(databaseName: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Commits the pulled writes held open for `databaseName` (replica-batch.ts), and after a catch-up copies
   * the WAL back into the file: the replication calls it when it is in sync, so the user's next save does
   * neither.
   */
  commitPulledWrites(databaseName: string): void;
  /**
   * Calls `listener` whenever the pulled writes held open for `databaseName` are rolled back (a failed
   * write or COMMIT inside the batch, e.g. a full disk), synchronously, with the error. Whoever wrote them
   * (RxDB's replication) believes them stored and must read its checkpoint from the file again. Returns
   * the unsubscribe.
   */
  onPulledWritesRolledBack(databaseName: string, listener: (error: unknown) => void): () => void;
}

/**
 * The project's RxStorage for the main process: one SQLite file (WAL;
 * synchronous=NORMAL, FULL for transactions) per RxDB database in `options.directory`, one table per
 * collection. See docs/decisions.md ("Local store").
 */
export function getRxStorageSqlite(options: SqliteStorageOptions): RxStorageSqlite {
  const directory = options.directory;
  const key = options.key ?? null;
  installRollbackPlugin(writtenInCurrentTransaction);
  return {
    name: 'curio-sqlite',
    rxdbVersion: RXDB_VERSION,
    async createStorageInstance<RxDocType>(params: RxStorageInstanceCreationParams<RxDocType, object>) {
      ensureRxStorageInstanceParamsAreCorrect(params);
      if (params.schema.attachments) throw new Error(attachmentsUnsupported(params.collectionName));
      const file = acquireDatabaseFile(directory, params.databaseName, key);
      try {
        await file.waitForWriteTurn();
        const options = (params.options ?? {}) as SqliteInstanceOptions;
        const table = file.table(params.collectionName, params.schema as RxJsonSchema<DocData>, options);
        return new SqliteStorageInstance(
          params.databaseName,
          params.collectionName,
          params.schema as never,
          params.options,
          file,
          table,
        ) as never;
      } catch (error) {
        file.release();
        throw error;
      }
    },
    commitPulledWrites(databaseName: string): void {
      openDatabaseFileOf(directory, databaseName)?.replicaBatch.settle();
    },
    onPulledWritesRolledBack(databaseName: string, listener: (error: unknown) => void): () => void {
      return onPulledWritesRolledBack(directory, databaseName, listener);
    },
    async transaction<T>(databaseName: string, fn: () => Promise<T>): Promise<T> {
      const file = acquireDatabaseFile(directory, databaseName, key);
      try {
        return await runTransaction(file, fn);
      } finally {
        file.release();
      }
    },
  };
}
