import { REPLICATED_COLLECTIONS } from '../../shared/protocol';

/**
 * Tables shared by both adapters. Column types are the common subset:
 * TEXT, INTEGER/BIGINT, ISO timestamps as text, booleans as 0/1.
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
    `CREATE TABLE IF NOT EXISTS counters (collection TEXT PRIMARY KEY, value ${big} NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,
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
  ];
}

/** One counter row per collection: the row is also the collection's writer lock on PostgreSQL. */
export function counterSeedStatement(): { sql: string; params: string[] } {
  const values = REPLICATED_COLLECTIONS.map(() => '(?, 0)').join(', ');
  return {
    sql: `INSERT INTO counters (collection, value) VALUES ${values} ON CONFLICT (collection) DO NOTHING`,
    params: [...REPLICATED_COLLECTIONS],
  };
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
