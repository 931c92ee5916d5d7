import type { Actor } from '../../shared/entities/envelope';
import type { Role } from '../../shared/protocol';
import type { CurioDatabase } from '../database';
import type { DatabaseKey } from '../storage';
import { createWriteLock, type WriteLock } from './write-lock';

/** The acting user: who writes, and what they may do. */
export interface Session {
  actor: Actor;
  role: Role;
}

/**
 * What every service works with. The session can change while the core runs
 * (signing in to a server), so services read it at call time.
 */
export interface ServiceContext {
  database: CurioDatabase;
  /** The profile's data folder; exports go to its `exports/` folder unless a path is given. */
  dataDir: string;
  deviceId: string;
  session(): Session;
  now(): Date;
  /** Serializes check-then-write sequences (unique names, stale revisions) within this core. */
  lock: WriteLock;
  /** The key the profile's files are encrypted with; snapshots are sealed with it too (null: plain). */
  databaseKey: DatabaseKey;
}

export function createServiceContext(options: {
  database: CurioDatabase;
  dataDir: string;
  session: () => Session;
  now?: () => Date;
  databaseKey?: DatabaseKey;
}): ServiceContext {
  return {
    database: options.database,
    dataDir: options.dataDir,
    deviceId: options.database.deviceId,
    session: options.session,
    now: options.now ?? (() => new Date()),
    lock: createWriteLock(),
    databaseKey: options.databaseKey ?? null,
  };
}
