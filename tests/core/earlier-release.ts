import Database from 'better-sqlite3';
import { expect } from 'vitest';

/**
 * Rewrites `collection`'s table in the catalog as a release before its order column `key` made it: no such
 * column, and in its place an SQL expression index over the stored JSON on `indexOn`,
 * named `indexName`, also listed to be made again, as an initial sync interrupted before making it leaves it;
 * the file at format `version`. The order column must be the table's last added, so every other column keeps
 * its place.
 */
export function rewriteAsExpressionIndexRelease(
  catalog: string,
  options: { collection: string; key: string; indexName: string; indexOn: string; version: number },
): void {
  const db = new Database(catalog);
  try {
    db.transaction(() => {
      const row = db
        .prepare('SELECT table_name, indexes FROM curio_collections WHERE collection = ?')
        .get(options.collection) as { table_name: string; indexes: string };
      const table = row.table_name;
      const keys = JSON.parse(row.indexes) as string[];
      expect(keys.indexOf(options.key)).toBe(keys.length - 1);
      db.exec(`DROP INDEX "${table}_ix${keys.length - 1}"`);
      db.exec(`ALTER TABLE "${table}" DROP COLUMN ix${keys.length - 1}`);
      keys.pop();
      db.prepare('UPDATE curio_collections SET indexes = ? WHERE collection = ?').run(
        JSON.stringify(keys),
        options.collection,
      );
      const name = `${table}__${options.indexName}`;
      const sql = `CREATE INDEX "${name}" ON "${table}" (${options.indexOn}) WHERE deleted = 0`;
      db.exec(sql);
      db.prepare('INSERT INTO curio_deferred_indexes (name, table_name, sql) VALUES (?, ?, ?)').run(name, table, sql);
      db.pragma(`user_version = ${options.version}`);
    })();
  } finally {
    db.close();
  }
}
