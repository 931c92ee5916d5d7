import type { Actor } from '../../shared/entities/envelope';
import type { CurioDatabase } from '../database';
import type { ProfileCheck, Recovery } from '../recovery';
import type { DatabaseEncryption } from '../storage';
import type { Services, Session } from '../services';
import type { SyncEngine } from '../sync';
import type { DesktopUpdates } from '../electron/updates';

/**
 * The core as the API (and the sync engine) sees it. It is also the tRPC
 * context: every call reads the current session at call time.
 */
export interface CoreContext {
  database: CurioDatabase;
  services: Services;
  dataDir: string;
  deviceId: string;
  /** The key of the profile's files and snapshots, or why there is none (Settings says which). */
  encryption: DatabaseEncryption;
  /** The acting user now. Without a server the local user is admin of their own data. */
  session(): Session;
  /** Switches the acting user, e.g. after signing in to a sync server. */
  setSession(session: Session): void;
  /** Shorthand for `session().actor`. */
  readonly actor: Actor;
  /** The replication client: sign-in, status, and the server's admin endpoints. */
  sync: SyncEngine;
  /** Aborted when the core closes: live subscriptions end with it. */
  closed: AbortSignal;
  /** Set when the profile is damaged: the core runs in recovery and only `recovery.*` works. */
  recovery?: Recovery | null;
  /** The check of the profile's files after it opened, and the way to recovery when it finds damage. */
  integrity?: ProfileCheck;
  /** The desktop app's updates (main/index.ts adds them to the window's calls); absent in browser mode. */
  updates?: DesktopUpdates;
}
