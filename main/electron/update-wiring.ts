import type { EventEmitter } from 'node:events';
import type { Core, CoreContext } from '../core';
import type { SyncStatus } from '../sync';
import type { BusyWork, DesktopUpdates, FeedEvent, UpdateFeed, UpdateHost } from './updates';

/** The part of electron-updater's `autoUpdater` the app uses. */
export interface AutoUpdater extends Pick<EventEmitter, 'on'> {
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

/** electron-updater's events as the state machine's. */
export function updateFeedOf(updater: AutoUpdater): UpdateFeed {
  return {
    check: () => updater.checkForUpdates(),
    // Not silent (Windows shows its installer's progress), and start the new version afterwards.
    installAndRestart: () => updater.quitAndInstall(false, true),
    onEvent(listener: (event: FeedEvent) => void) {
      updater.on('checking-for-update', () => listener({ type: 'checking' }));
      updater.on('update-available', (info: { version: string }) =>
        listener({ type: 'available', version: info.version }),
      );
      updater.on('update-not-available', () => listener({ type: 'not-available' }));
      updater.on('download-progress', (info: { percent: number }) =>
        listener({ type: 'progress', percent: info.percent }),
      );
      updater.on('update-downloaded', (info: { version: string }) =>
        listener({ type: 'downloaded', version: info.version }),
      );
      updater.on('error', (error: Error) => listener({ type: 'error', message: error.message }));
    },
  };
}

/** Sync phases in which changes are moving (a restart waits for them a while). */
const SYNC_BUSY: ReadonlySet<SyncStatus['phase']> = new Set(['connecting', 'syncing']);

/** Saves and syncs in progress in the core, on the system clock. */
export function updateHostOf(core: Pick<Core, 'savesInProgress' | 'context'>): UpdateHost {
  return {
    busy() {
      const work: BusyWork[] = [];
      if (core.savesInProgress() > 0) work.push('save');
      if (SYNC_BUSY.has(core.context.sync.status.phase)) work.push('sync');
      return work;
    },
    every(ms, run) {
      const timer = setInterval(run, ms);
      return () => clearInterval(timer);
    },
    now: () => Date.now(),
  };
}

/**
 * Whether the sync server refused this version (it answered 426 and the sync paused). The engine says so
 * in its status words (main/sync/status.ts, pausedReasonOf); tests/electron/update-offers.test.ts holds
 * this to them.
 */
export function serverRefusesVersion(status: Pick<SyncStatus, 'phase' | 'notSentReason' | 'lastError'>): boolean {
  if (status.phase !== 'paused') return false;
  return /too old for the server/i.test(`${status.notSentReason ?? ''}\n${status.lastError ?? ''}`);
}

/**
 * The core's context for the window's calls, with the updates added: the core itself knows nothing of
 * Electron. The core's own getters (actor, the context after a recovery) still answer through it.
 */
export function withUpdates(context: CoreContext, updates: DesktopUpdates): CoreContext {
  return Object.create(context, { updates: { value: updates, enumerable: true } }) as CoreContext;
}
