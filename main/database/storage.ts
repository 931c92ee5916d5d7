import type { RxStorage } from 'rxdb';
import { getRxStorageSqlite, type DatabaseKey } from '../storage';

/**
 * The storage the core runs on, plus the one thing the services need beyond
 * RxDB's contract: running several writes to one database as one commit.
 */
export interface CoreStorage {
  kind: 'sqlite' | 'memory';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  storage: RxStorage<any, any>;
  /** Runs `fn`; every RxDB write to `databaseName` made inside it commits together or not at all. */
  transaction<T>(databaseName: string, fn: () => Promise<T>): Promise<T>;
  /** Makes the pulled writes held open durable now (the replication is in sync). */
  commitPulledWrites(databaseName: string): void;
  /** Calls `listener` when pulled writes held open are rolled back (see RxStorageSqlite); returns the unsubscribe. */
  onPulledWritesRolledBack(databaseName: string, listener: (error: unknown) => void): () => void;
}

/** The project's SQLite storage: one file per database in the profile's folder, encrypted with `key` if given. */
export function createCoreStorage(directory: string, key: DatabaseKey = null): CoreStorage {
  const storage = getRxStorageSqlite({ directory, key });
  return {
    kind: 'sqlite',
    storage,
    transaction: (databaseName, fn) => storage.transaction(databaseName, fn),
    commitPulledWrites: (databaseName) => storage.commitPulledWrites(databaseName),
    onPulledWritesRolledBack: (databaseName, listener) => storage.onPulledWritesRolledBack(databaseName, listener),
  };
}
