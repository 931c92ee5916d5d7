import { openPostgresStore } from './postgres-store';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './types';

export type * from './types';
export { unstorableText } from './storable-text';
export { restoreSqlite } from './restore';
export { lockDataDir, type DataDirLock } from './data-dir-lock';
export { OWNER_ONLY_FILE } from './owner-only';
export { writeBackup, type BackupTarget } from './backup-file';

export interface StoreOptions {
  /** Folder for the SQLite database (used when no `databaseUrl` is given). */
  dataDir: string;
  /** `postgres://…`: use PostgreSQL instead of SQLite. */
  databaseUrl?: string | undefined;
}

/** Opens the configured adapter and brings its tables up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgresStore(options.databaseUrl);
  return openSqliteStore(options.dataDir);
}
