import type { Actor } from '../../shared/entities/envelope';
import { SyncEngine, type SyncDatabase } from './engine';
import type { ActingSession } from './role-watch';
import type { SyncTiming } from './run';
import type { CredentialStore } from './state-files';

export { SyncEngine } from './engine';
export { recordConflict } from './conflict-handler';
export type { ActingSession } from './role-watch';
export type { WaitingEntry } from './waiting';
export { DEFAULT_TIMING, type SyncTiming } from './run';
export { normalizeServerUrl } from './http';
export { SYNC_PHASES, type SyncPhase, type SyncStatus } from './status';
export { SessionGoneError, type ServerUser } from './auth';
export { OfflineError, ServerError } from './http';
export { fileCredentialStore, parsePendingSignOuts, type CredentialStore, type PendingSignOut } from './state-files';

/** What the sync room needs from the core. */
export interface SyncHost {
  database: SyncDatabase;
  dataDir: string;
  session(): ActingSession;
  setSession(session: ActingSession): void;
}

export interface SyncOptions {
  deviceName?: string;
  credentials?: CredentialStore;
  timing?: Partial<SyncTiming>;
  now?: () => Date;
}

/**
 * Opens the replication client of a core. The actor acting when it opens is
 * the local profile, whose work the first signed-in user takes over; a
 * device that was signed in before resumes syncing by itself.
 */
export function openSync(host: SyncHost, options: SyncOptions = {}): Promise<SyncEngine> {
  const localActor: Actor = host.session().actor;
  return SyncEngine.open({
    database: host.database,
    dataDir: host.dataDir,
    deviceName: options.deviceName ?? 'Curio device',
    localActor,
    setSession: (session) => host.setSession(session),
    credentials: options.credentials,
    timing: options.timing,
    now: options.now,
  });
}
