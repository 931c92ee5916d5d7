import fs from 'node:fs';
import { openConnection, type DatabaseKey } from './encryption';
import { StorageFileError } from './errors';
import { CURIO_APPLICATION_ID, FORMAT_VERSION, type SqliteDatabase } from './sqlite-file';
import { quoteIdentifier } from './statements';

/**
 * `open`: before every open, cheap whatever the size: the store's invariants and the first and last row of
 * every table, plus SQLite's quick_check when the file is small (then the report says `quick`);
 * `quick`: SQLite's quick_check, O(pages), run off the main thread after a big profile opened;
 * `full`: from Settings (integrity_check, every row).
 */
export type IntegrityDepth = 'open' | 'quick' | 'full';

/**
 * Up to this size the check at open runs quick_check too: its cost grows with the file (355 ms CPU plain,
 * 1.28 s encrypted at 205 MB), so about 15 ms plain and 50 ms encrypted here. A bigger file gets it in the background.
 */
export const QUICK_CHECK_AT_OPEN_MAX_BYTES = 8 * 1024 * 1024;

export interface IntegrityReport {
  ok: boolean;
  /** True when the file is encrypted and the key at hand does not open it: not damage, the key is missing. */
  keyMissing?: boolean;
  depth: IntegrityDepth;
  /** What is wrong, one sentence each, at most 20; empty when ok. */
  problems: string[];
  checkedAt: string;
}

const MAX_PROBLEMS = 20;

/**
 * Checks a Curio database file with a read-only connection, so a damaged
 * file is never written to: SQLite's own check (quick_check or
 * integrity_check), then the store's invariants: the marker, a known format,
 * the collection registry readable, every registered table present and, in
 * the full check, every row a JSON document.
 * A missing file is fine (a new profile). An encrypted file is read with `key`; one that `key` does
 * not open is reported with `keyMissing`.
 */
export function checkDatabaseFile(
  filePath: string,
  depth: IntegrityDepth,
  key: DatabaseKey,
  now = new Date(),
): IntegrityReport {
  const small = depth === 'open' && fs.existsSync(filePath) && sizeWithLog(filePath) <= QUICK_CHECK_AT_OPEN_MAX_BYTES;
  const checked: IntegrityDepth = small ? 'quick' : depth;
  const report = (problems: string[], keyMissing = false): IntegrityReport => ({
    ok: problems.length === 0,
    ...(keyMissing ? { keyMissing } : {}),
    depth: checked,
    problems: problems.slice(0, MAX_PROBLEMS),
    checkedAt: now.toISOString(),
  });
  if (!fs.existsSync(filePath) || fs.statSync(filePath).size === 0) return report([]);
  let db: SqliteDatabase | undefined;
  try {
    db = openConnection(filePath, key, { readonly: true, fileMustExist: true });
    return report(problemsOf(db, checked));
  } catch (error) {
    if (error instanceof StorageFileError && error.problem === 'KEY_MISSING') return report([error.message], true);
    return report([`The file cannot be read as a database: ${(error as Error).message}`]);
  } finally {
    db?.close();
  }
}

function problemsOf(db: SqliteDatabase, depth: IntegrityDepth): string[] {
  const problems: string[] = [];
  const attempt = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  };
  if (depth !== 'open')
    attempt('SQLite check', () => {
      const rows = db.pragma(depth === 'quick' ? `quick_check(${MAX_PROBLEMS})` : `integrity_check(${MAX_PROBLEMS})`, {
        simple: false,
      }) as Record<string, string>[];
      for (const row of rows) {
        const message = Object.values(row)[0];
        if (message !== 'ok') problems.push(`SQLite: ${message}`);
      }
    });
  attempt('Marker', () => {
    if (db.pragma('application_id', { simple: true }) !== CURIO_APPLICATION_ID) problems.push('Not a Curio database.');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > FORMAT_VERSION) problems.push(`Written by a newer Curio (format ${version}).`);
  });
  attempt('Collection registry', () => {
    for (const { collection, table_name: table } of registeredTables(db)) {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
      if (!exists) {
        problems.push(`The table of "${collection}" (${table}) is missing.`);
        continue;
      }
      if (depth === 'open') attempt(`Ends of "${collection}"`, () => readEnds(db, table));
      if (depth === 'full') attempt(`Rows of "${collection}"`, () => checkRows(db, collection, table, problems));
    }
  });
  return problems;
}

export function registeredTables(db: SqliteDatabase): { collection: string; version: number; table_name: string }[] {
  return db.prepare('SELECT collection, version, table_name FROM curio_collections').all() as {
    collection: string;
    version: number;
    table_name: string;
  }[];
}

/** The file with its write-ahead log: what quick_check reads. */
function sizeWithLog(filePath: string): number {
  const wal = `${filePath}-wal`;
  return fs.statSync(filePath).size + (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
}

/**
 * Reads the first and last row of a table, a few pages whatever its size: a damaged root or edge of its
 * tree fails here with SQLITE_CORRUPT. Damage deeper in is the background quick_check's to find.
 */
function readEnds(db: SqliteDatabase, table: string): void {
  for (const order of ['ASC', 'DESC'])
    db.prepare(`SELECT * FROM ${quoteIdentifier(table)} ORDER BY rowid ${order} LIMIT 1`).get();
}

function checkRows(db: SqliteDatabase, collection: string, table: string, problems: string[]): void {
  for (const row of db.prepare(`SELECT id, data FROM ${quoteIdentifier(table)}`).iterate() as Iterable<{
    id: string;
    data: string;
  }>) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.data);
    } catch {
      problems.push(`"${collection}" row ${row.id} is not JSON.`);
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null)
      problems.push(`"${collection}" row ${row.id} is not a document.`);
    if (problems.length >= MAX_PROBLEMS) return;
  }
}
