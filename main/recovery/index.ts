import { AppError } from '../../shared/errors';
import type { Actor } from '../../shared/entities/envelope';
import type { CoreContext } from '../api/context';
import { loadDeviceIdentity } from '../database/identity';
import type { ServiceContext, Session } from '../services';
import { listSnapshots } from '../services/snapshots';
import { StorageFileError, type DatabaseEncryption, type DatabaseKey } from '../storage';
import type { IntegrityDepth, IntegrityReport } from '../storage/integrity';
import { syncStateFile } from '../sync/state-files';
import { carryOver, localOnlyChanges } from './carry-over';
import { checkProfile, moveAside, profileDatabaseFiles } from './profile-files';
import { exportReadable, type ReadableExport } from './readable-export';
import { waitForInitialSync } from './initial-sync';

export { checkProfile, encryptProfile, profileDatabaseFiles } from './profile-files';
export { checkInBackground, lastCheckFile, type ProfileCheck, type ProfileCheckStatus } from './background-check';
export type { ReadableExport } from './readable-export';

/** Closes what is open, runs `prepare` (files moved aside), opens the profile again; returns the new contexts. */
export type ReopenHealthy = (
  prepare: () => Promise<void>,
) => Promise<{ context: CoreContext; serviceContext: ServiceContext }>;

export interface RebuildResult {
  /** Where the damaged file now is: kept, never deleted. */
  keptAt: string | null;
  /** Local changes read from the old file that the server never had, now written again. */
  carriedOver: number;
  /** Fields changed both in the old file and on the server since: the server's value kept, a conflict recorded. */
  conflicts: number;
  /** Rows of the old file that could not be read (their changes, if any, are lost). */
  unreadable: number;
  /** False when the server could not be reached in time: the store fills as soon as it can. */
  synced: boolean;
}

/** The recovery state of a damaged profile and what can be done about it (see `recovery-router.ts`). */
export interface Recovery {
  report: IntegrityReport;
  exportReadable(): Promise<ReadableExport>;
  /** Moves the damaged files aside and restores a snapshot into a fresh store (admin, as any restore). */
  restoreSnapshot(snapshotId: string): Promise<{ keptAt: string | null; restored: number }>;
  /** Moves the damaged files aside, fills a fresh store from the server, then carries local-only changes over. */
  rebuildFromServer(): Promise<RebuildResult>;
}

/**
 * Whether the profile can be opened: the check of its files at `depth` (see `IntegrityDepth`), then the
 * opening itself (a damaged page the check missed fails it with CORRUPT). `report` says what was checked.
 */
export async function profileDamage<T>(
  dataDir: string,
  key: DatabaseKey,
  depth: IntegrityDepth,
  open: () => Promise<T>,
): Promise<{ opened: T; report: IntegrityReport } | { report: IntegrityReport }> {
  const report = await checkProfile(dataDir, depth, key);
  if (!report.ok) return { report };
  try {
    return { opened: await open(), report };
  } catch (error) {
    if (!(error instanceof StorageFileError) || !['CORRUPT', 'KEY_MISSING'].includes(error.problem)) throw error;
    const keyMissing = error.problem === 'KEY_MISSING';
    return { report: { ...report, ok: false, ...(keyMissing ? { keyMissing } : {}), problems: [error.message] } };
  }
}

/** Why every call but `recovery.*` is refused: the file is damaged, or its key is missing. */
const unavailable = (report: IntegrityReport) => (): never => {
  throw new AppError(
    'BAD_FILE',
    report.keyMissing
      ? "This profile's database is encrypted and its key is missing (the OS keyring is locked, was reset, or this is another computer), so Curio opened in recovery. Unlock the keyring and restart Curio, or restore a snapshot or rebuild from the server."
      : "This profile's database is damaged, so Curio opened in recovery. Export what can be read, restore a snapshot or rebuild from the server.",
  );
};

/** A core context for a damaged profile: only `recovery` works; everything else says why not. */
export async function openRecovery(
  options: {
    dataDir: string;
    actor: { id: string; name: string; role?: Session['role'] };
    now?: () => Date;
    encryption: DatabaseEncryption;
  },
  report: IntegrityReport,
  reopen: ReopenHealthy,
): Promise<{ context: CoreContext; savesInProgress(): number; close(): Promise<void> }> {
  const { dataDir, encryption } = options;
  const { key } = encryption;
  const damaged = unavailable(report);
  const now = options.now ?? (() => new Date());
  const { deviceId } = await loadDeviceIdentity(dataDir);
  const files = await profileDatabaseFiles(dataDir);
  let session: Session = {
    actor: { id: options.actor.id, name: options.actor.name },
    role: options.actor.role ?? 'admin',
  };
  const closing = new AbortController();
  let busy = false;
  /** One recovery action at a time: each replaces the files under the next one. */
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (busy) throw new AppError('CONFLICT', 'A recovery action is already running. Wait for it to finish.');
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  };
  /** Both database files and the list of waiting changes go aside; the settings file only if it is damaged too. */
  const setAside = async (): Promise<string | null> => {
    const at = now();
    const keptAt = await moveAside(files.catalog, at);
    await moveAside(`${dataDir}/sync-pending.json`, at);
    if (report.problems.some((problem) => problem.startsWith('Settings file:'))) await moveAside(files.local, at);
    return keptAt;
  };
  const recovery: Recovery = {
    report,
    exportReadable: () => exclusive(() => exportReadable({ dataDir, now }, files.catalog, key)),
    restoreSnapshot: (snapshotId) =>
      exclusive(async () => {
        const snapshots = await listSnapshots(dataDir);
        if (!snapshots.some((snapshot) => snapshot.id === snapshotId)) {
          throw new AppError('NOT_FOUND', `There is no snapshot "${snapshotId}". Pick one from the list.`);
        }
        // The role the profile will have once open: the server's, when it is signed in to one.
        const signedIn = (await syncStateFile(dataDir).load()).user;
        if ((signedIn?.role ?? session.role) !== 'admin') {
          throw new AppError('FORBIDDEN', 'Only an admin can restore a snapshot. Rebuild from the server instead.');
        }
        let keptAt: string | null = null;
        const healthy = await reopen(async () => {
          keptAt = await setAside();
        });
        const backup = healthy.context.services.backup;
        const preview = await backup.previewRestore({ snapshotId });
        const result = await backup.restore({ snapshotId }, { mode: 'exact', token: preview.token });
        return { keptAt, restored: result.entities.inserted + result.entities.updated };
      }),
    rebuildFromServer: () =>
      exclusive(async () => {
        const state = await syncStateFile(dataDir).load();
        if (!state.serverUrl || !state.user) {
          throw new AppError(
            'VALIDATION',
            'This profile is not connected to a sync server, so it cannot be rebuilt from one. Restore a snapshot or export what can be read.',
          );
        }
        const old = localOnlyChanges(files.catalog, key);
        let keptAt: string | null = null;
        const healthy = await reopen(async () => {
          keptAt = await setAside();
        });
        const synced = await waitForInitialSync(healthy.context.sync);
        const carried = await carryOver(healthy.serviceContext, old.changes);
        return {
          keptAt,
          carriedOver: carried.carried,
          conflicts: carried.conflicts,
          unreadable: old.unreadable,
          synced,
        };
      }),
  };
  const context: CoreContext = {
    get database() {
      return damaged();
    },
    get services() {
      return damaged();
    },
    get sync() {
      return damaged();
    },
    dataDir,
    deviceId,
    encryption,
    session: () => session,
    setSession: (next) => {
      session = next;
    },
    get actor(): Actor {
      return session.actor;
    },
    closed: closing.signal,
    recovery,
  };
  return {
    context,
    savesInProgress: () => 0,
    close: async () => closing.abort(),
  };
}
