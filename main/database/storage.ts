import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';

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
}

/**
 * NOTE: a pass-through until the SQLite storage lands in main/storage: the
 * memory storage has no transactions, so an entity write and its audit entry
 * are two writes here. Only the SQLite storage gives the crash guarantee.
 */
export function createCoreStorage(_directory: string): CoreStorage {
  return {
    kind: 'memory',
    storage: getRxStorageMemory(),
    transaction: (_databaseName, fn) => fn(),
  };
}
