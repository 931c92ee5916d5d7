import type { ReplicatedCollection, Role } from '../../shared/protocol';
import type { IgnoredNotification } from './change-feed';

export type { IgnoredNotification } from './change-feed';

/**
 * One statement at a time over SQLite or PostgreSQL. Statements use `?`
 * placeholders; the PostgreSQL adapter numbers them. Booleans are stored as
 * integers and timestamps as ISO text in both, so the repositories that sit on
 * top are written once.
 */
export interface SqlDb {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
}

/** A replicated document as stored: its JSON text exactly as pushed, and its server sequence. */
export interface StoredRow {
  id: string;
  sequence: number;
  json: string;
}

/** One pull page: rows in sequence order, and whether the byte cap cut it short (more follow). */
export interface PulledPage {
  rows: StoredRow[];
  cut: boolean;
}

/** A document to write: its id, JSON text and tombstone flag. */
export interface DocumentWrite {
  id: string;
  json: string;
  deleted: boolean;
}

/**
 * Decides, given the current stored JSON of the requested ids, what to write.
 * Runs while the collection's writer lock is held, so what it saw is still
 * true when the writes commit. It must be synchronous and must not throw.
 */
export type CommitDecision<T> = (current: Map<string, string>) => { writes: DocumentWrite[]; result: T };

/** What one committed write batch produced, in sequence order. */
export interface CommitOutcome<T> {
  result: T;
  written: StoredRow[];
}

/** A batch of committed changes of one collection, as the stream sends it. */
export interface ChangeBatch {
  collection: ReplicatedCollection;
  rows: StoredRow[];
}

export interface UserRow {
  id: string;
  username: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface SessionRow {
  id: string;
  user_id: string;
  device: string;
  ip: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export interface RefreshTokenRow {
  hash: string;
  session_id: string;
  created_at: string;
  used_at: string | null;
  /** The hash of the token the refresh that used this one gave; null before it was used, or when withdrawn. */
  rotated_to: string | null;
}

export interface SetupCodeRow {
  hash: string;
  user_id: string;
  kind: 'invitation' | 'reset';
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export interface ServerAuditRow {
  id: string;
  at: string;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  subject_id: string | null;
  subject_name: string | null;
  ip: string | null;
  detail: string;
}

/**
 * The server's storage. Users, sessions and the server audit go through `sql`
 * (written once for both dialects); replicated documents go through `commit`
 * and `pull`, which each adapter implements with its own writer lock so that
 * sequence order equals commit order.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly sql: SqlDb;
  /** Serializes writers of one collection, hands the current state to `decide`, and commits its writes. */
  commit<T>(collection: ReplicatedCollection, ids: string[], decide: CommitDecision<T>): Promise<CommitOutcome<T>>;
  /** Documents with a sequence above `after`, ascending, at most `limit`. */
  pull(collection: ReplicatedCollection, after: number, limit: number): Promise<StoredRow[]>;
  /** As `pull`, stopping before the documents' JSON exceeds `maxBytes` (but always at least one). */
  pullPage(collection: ReplicatedCollection, after: number, limit: number, maxBytes: number): Promise<PulledPage>;
  /** Receives batches committed by any server process sharing this database (this one included). */
  onChange(listener: (batch: ChangeBatch) => void): () => void;
  /** Fires when changes of other processes may have been missed; streams should end so clients resync. */
  onReset(listener: () => void): () => void;
  /** Fires for each `NOTIFY` that was not a valid change hint (PostgreSQL; STREAM-7). */
  onIgnoredNotification(listener: (reason: IgnoredNotification) => void): () => void;
  /**
   * Runs `fn` unless another process holding `lock` runs it (PostgreSQL: a
   * session advisory lock held for the duration; SQLite has one process).
   * Null when another process holds it.
   */
  exclusively<T>(lock: number, fn: () => Promise<T>): Promise<T | null>;
  /** A server-wide secret (token signing key), created once. */
  secret(name: string): Promise<Buffer>;
  ping(): Promise<void>;
  /** Writes a consistent copy of the database to `destination` (SQLite) or explains how (PostgreSQL). */
  backup(destination: string): Promise<void>;
  close(): Promise<void>;
}
