import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './sqlite-file';

const cache = new WeakMap<SqliteDatabase, Map<string, Statement>>();

/** A prepared statement for this connection, prepared once per SQL text. */
export function statement(db: SqliteDatabase, sql: string): Statement {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let prepared = statements.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared;
}

/** Drops the prepared statements of one table (after DROP TABLE, or a schema change). */
export function forgetStatements(db: SqliteDatabase, tableName: string): void {
  const statements = cache.get(db);
  if (!statements) return;
  for (const sql of statements.keys()) if (sql.includes(`"${tableName}"`)) statements.delete(sql);
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
