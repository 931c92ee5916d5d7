import { quoteIdentifier, type SqliteInternals } from '../storage';

/** An index of our own on an entity table: its name and what it indexes (columns or expressions, in SQL). */
export interface TableIndex {
  name: string;
  on: string;
}

/** Per database file, the indexes of our own known to exist in this process. */
const created = new WeakMap<object, Set<string>>();

/**
 * Creates the indexes an entity table is missing (CREATE INDEX IF NOT EXISTS), each over the stored rows
 * (`deleted = 0`), once per file and process: later calls check a set. The core's open builds them
 * (`prepareIndexes`), so no call of a person waits for one; the check on use covers a table recreated since.
 */
export async function ensureTableIndexes(
  file: SqliteInternals['file'],
  tableName: string,
  indexes: TableIndex[],
): Promise<void> {
  const done = created.get(file) ?? new Set<string>();
  created.set(file, done);
  const missing = indexes.filter((index) => !done.has(index.name));
  if (missing.length === 0) return;
  await file.waitForWriteTurn();
  for (const index of missing) {
    file.writer.exec(
      `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(index.name)} ON ${quoteIdentifier(tableName)} (${index.on}) WHERE deleted = 0`,
    );
    done.add(index.name);
  }
}
