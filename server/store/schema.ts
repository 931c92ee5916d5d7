import { REPLICATED_COLLECTIONS } from '../../shared/protocol';
import { upgradedRow } from './document-versions';
import type { PulledPage, StoredRow } from './types';

/**
 * Tables shared by both adapters. Column types are the common subset:
 * TEXT, INTEGER/BIGINT, ISO timestamps as text, booleans as 0/1. Columns added after a table first
 * shipped are not here but in ADDED_COLUMNS, which the stores add to old and new databases alike.
 */
export function schemaStatements(dialect: 'sqlite' | 'postgres'): string[] {
  const big = dialect === 'postgres' ? 'BIGINT' : 'INTEGER';
  return [
    `CREATE TABLE IF NOT EXISTS documents (
      collection TEXT NOT NULL,
      id TEXT NOT NULL,
      seq ${big} NOT NULL,
      deleted INTEGER NOT NULL,
      doc TEXT NOT NULL,
      PRIMARY KEY (collection, id)
    )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS documents_by_seq ON documents (collection, seq)`,
    // The background migration of stored documents (SCHEMA-6): per collection, the version it migrates to,
    // the last id it finished (the checkpoint a restarted server resumes from), and whether it is done.
    `CREATE TABLE IF NOT EXISTS schema_migrations (
      collection TEXT PRIMARY KEY,
      version INTEGER NOT NULL,
      after_id TEXT NOT NULL,
      done INTEGER NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS counters (collection TEXT PRIMARY KEY, value ${big} NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      device TEXT NOT NULL,
      ip TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_used_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      revoked_at TEXT,
      revoked_reason TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id)`,
    `CREATE TABLE IF NOT EXISTS refresh_tokens (
      hash TEXT PRIMARY KEY,
      session_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      used_at TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS refresh_tokens_by_session ON refresh_tokens (session_id)`,
    `CREATE TABLE IF NOT EXISTS server_audit (
      id TEXT PRIMARY KEY,
      at TEXT NOT NULL,
      action TEXT NOT NULL,
      actor_id TEXT,
      actor_name TEXT,
      subject_id TEXT,
      subject_name TEXT,
      ip TEXT,
      detail TEXT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS server_audit_by_at ON server_audit (at)`,
    `CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    // Retention (RETAIN-3): each collection's sequence as seen at a time, and the highest compacted tombstone.
    `CREATE TABLE IF NOT EXISTS sequence_marks (collection TEXT NOT NULL, at TEXT NOT NULL, seq ${big} NOT NULL,
      PRIMARY KEY (collection, at))`,
    `CREATE TABLE IF NOT EXISTS tombstone_horizons (collection TEXT PRIMARY KEY, seq ${big} NOT NULL)`,
    // Sign-in failures per (user name as typed, client address): the backoff of AUTH-7, shared by all processes.
    `CREATE TABLE IF NOT EXISTS login_throttle (
      username TEXT NOT NULL,
      address TEXT NOT NULL,
      failures INTEGER NOT NULL,
      last_failure_at TEXT NOT NULL,
      blocked_until TEXT,
      PRIMARY KEY (username, address)
    )`,
    // Fixed-window request counts (LIMIT-1). NOTE: unlogged on PostgreSQL: a count lost in a crash costs
    // nothing, and skipping the write-ahead log keeps the per-request upsert cheap.
    `CREATE ${dialect === 'postgres' ? 'UNLOGGED ' : ''}TABLE IF NOT EXISTS rate_windows (
      key TEXT PRIMARY KEY,
      window_start ${big} NOT NULL,
      expires_at ${big} NOT NULL,
      hits INTEGER NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS rate_windows_by_expiry ON rate_windows (expires_at)`,
    // Every display name an account has had, and erased accounts: actor checks of pushes (ACTOR-4, ACTOR-5).
    `CREATE TABLE IF NOT EXISTS user_names (user_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (user_id, name))`,
    `CREATE TABLE IF NOT EXISTS erased_users (id TEXT PRIMARY KEY, erased_at TEXT NOT NULL)`,
    // One-time setup codes (ADMIN-6, AUTH-9): only a SHA-256 of the code is kept; used and withdrawn ones stay
    // so a second use gets a clear answer.
    `CREATE TABLE IF NOT EXISTS setup_codes (
      hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      used_at TEXT,
      revoked_at TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS setup_codes_by_user ON setup_codes (user_id)`,
    // The latest sign-in per account (ADMIN-1): kept apart from sessions, which retention deletes.
    `CREATE TABLE IF NOT EXISTS last_sign_ins (user_id TEXT PRIMARY KEY, at TEXT NOT NULL, device TEXT NOT NULL,
      ip TEXT NOT NULL)`,
  ];
}

/** A column added to a table after servers had already created it. */
export interface AddedColumn {
  table: string;
  column: string;
  definition: string;
}

/**
 * Columns newer than their tables, added when a store opens a database made before them. SQLite has no
 * ADD COLUMN IF NOT EXISTS, so its store checks the columns first (`addColumnStatement`).
 */
export const ADDED_COLUMNS: readonly AddedColumn[] = [
  // SCHEMA-1: servers from before schema versions stored every document at version 0.
  { table: 'documents', column: 'schema_version', definition: 'INTEGER NOT NULL DEFAULT 0' },
  // AUTH-3: the hash of the token a refresh gave for this one, so a lost answer may be asked again. Tokens
  // rotated before the column have no known successor: presenting them again stays a reuse.
  { table: 'refresh_tokens', column: 'rotated_to', definition: 'TEXT' },
];

export function addColumnStatement({ table, column, definition }: AddedColumn, dialect: 'sqlite' | 'postgres'): string {
  const ifNotExists = dialect === 'postgres' ? ' IF NOT EXISTS' : '';
  return `ALTER TABLE ${table} ADD COLUMN${ifNotExists} ${column} ${definition}`;
}

/** One counter row per collection: the row is also the collection's writer lock on PostgreSQL. */
export function counterSeedStatement(): { sql: string; params: string[] } {
  const values = REPLICATED_COLLECTIONS.map(() => '(?, 0)').join(', ');
  return {
    sql: `INSERT INTO counters (collection, value) VALUES ${values} ON CONFLICT (collection) DO NOTHING`,
    params: [...REPLICATED_COLLECTIONS],
  };
}

/**
 * A pull page capped by bytes (PULL-6) on PostgreSQL (SQLite reads row by row:
 * pageWithinBytes), in one statement. Parameters: collection, after, limit,
 * byte cap. `sized` takes the next `limit` rows' sizes only, `last` is the
 * last sequence within the cap (always at least the first row), and only rows
 * up to it are read with their documents, so nothing past the cap is sent.
 * Each row also carries how many rows `sized` found, which says whether the
 * cap cut the page.
 * NOTE: the documents are read apart from the running sum on purpose: carried
 * through the window they were copied once more per page.
 */
export const CAPPED_PAGE_SQL = `WITH sized AS (
    SELECT seq, octet_length(doc) AS size FROM documents WHERE collection = ? AND seq > ? ORDER BY seq LIMIT ?
  ), summed AS (
    SELECT seq, SUM(size) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING) AS upto, ROW_NUMBER() OVER (ORDER BY seq) AS n
    FROM sized
  ), last AS (
    SELECT MAX(seq) AS seq FROM summed WHERE upto <= ? OR n = 1
  )
  SELECT d.id, d.seq AS sequence, d.doc AS json, d.schema_version AS version, (SELECT COUNT(*) FROM sized) AS fetched
  FROM documents d, last
  WHERE d.collection = ? AND d.seq > ? AND d.seq <= last.seq ORDER BY d.seq`;

/** The rows of CAPPED_PAGE_SQL as a page, and whether more documents follow it. */
export function cappedPage(
  collection: string,
  rows: (StoredRow & { version: number; fetched: number | string })[],
): PulledPage {
  const fetched = rows.length > 0 ? Number(rows[0]!.fetched) : 0;
  return {
    rows: rows.map((row) => upgradedRow(collection, row)),
    cut: rows.length < fetched,
  };
}

/**
 * The rows of an ordered scan up to the byte cap (PULL-6), always at least one;
 * stops reading at the first row that does not fit, which the page leaves out.
 */
export function pageWithinBytes(rows: IterableIterator<StoredRow>, maxBytes: number): PulledPage {
  const page: StoredRow[] = [];
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so bytes are counted only once the page may reach the cap.
  let bound = 0;
  let bytes: number | null = null;
  for (const row of rows) {
    if (bytes === null) {
      bound += row.json.length * 3;
      if (bound > maxBytes) bytes = [...page, row].reduce((sum, { json }) => sum + Buffer.byteLength(json), 0);
    } else {
      bytes += Buffer.byteLength(row.json);
    }
    if (page.length > 0 && bytes !== null && bytes > maxBytes) {
      rows.return?.();
      return { rows: page, cut: true };
    }
    page.push(row);
  }
  return { rows: page, cut: false };
}

/** Keeps the last write per id, so one batch never writes a row twice. */
export function lastWritePerId<W extends { id: string }>(writes: W[]): W[] {
  const byId = new Map<string, W>();
  for (const write of writes) {
    byId.delete(write.id);
    byId.set(write.id, write);
  }
  return [...byId.values()];
}
