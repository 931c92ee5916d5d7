import type { Role } from '../../shared/protocol';
import type { CoreContext } from '../core';
import {
  createAlertRules,
  type AlertRules,
  type AlertSettings,
  type Notice,
  type OpenConflict,
  type SyncFacts,
} from './desktop-alerts';

/** What the alerts read from the core, and when to read again. Each `on…` returns its unsubscribe. */
export interface AlertSource {
  settings(): AlertSettings;
  role(): Role;
  openConflicts(): Promise<{ items: OpenConflict[]; total: number }>;
  syncStatus(): SyncFacts;
  onConflicts(run: () => void): () => void;
  onSync(run: () => void): () => void;
  onSettings(run: () => void): () => void;
}

/** Electron's `Notification` and `app.setBadgeCount`, as `main/index.ts` provides them. */
export interface AlertOutput {
  notify(notice: Notice): void;
  setBadge(count: number): void;
}

export interface AlertClock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

const systemClock: AlertClock = {
  now: () => Date.now(),
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** The open conflicts read at most; a notice names one or counts them, so a page is plenty. */
const CONFLICT_PAGE = 500;

/** The core as the alerts see it: conflict records, the sync status, the role and the settings. */
export function alertSourceOf(core: Pick<CoreContext, 'services' | 'sync' | 'session'>): AlertSource {
  const watch = (changes: { subscribe(run: () => void): { unsubscribe(): void } }) => (run: () => void) => {
    const subscription = changes.subscribe(() => run());
    return () => subscription.unsubscribe();
  };
  return {
    settings: () => core.services.settings.current(),
    role: () => core.session().role,
    openConflicts: () => core.services.conflicts.list({ status: 'open', limit: CONFLICT_PAGE }),
    syncStatus: () => core.sync.status,
    onConflicts: watch(core.services.conflicts.changes$),
    onSync: watch(core.sync.status$),
    onSettings: watch(core.services.settings.changes$),
  };
}

/**
 * Runs the rules whenever their facts change: conflict records, the sync status (which also
 * carries role changes) and the settings; a timer looks again when a stuck sync reaches its limit.
 */
export function startDesktopAlerts(options: {
  source: AlertSource;
  output: AlertOutput;
  rules?: AlertRules;
  clock?: AlertClock;
  onError?: (error: unknown) => void;
}): { stop(): void } {
  const { source, output, clock = systemClock } = options;
  const rules = options.rules ?? createAlertRules();
  const onError = options.onError ?? ((error) => console.warn('Curio could not update its notifications:', error));
  let timer: unknown = null;
  let stopped = false;

  // Reads can overlap (a burst of changes): only the latest read's answer is shown.
  let reads = 0;
  const checkConflicts = async () => {
    const read = ++reads;
    const open = await source.openConflicts();
    if (stopped || read !== reads) return;
    const role = source.role();
    const settings = source.settings();
    const notice = rules.conflicts(open.items, role, settings);
    if (notice) output.notify(notice);
    output.setBadge(rules.badge(open.total, role, settings));
  };
  const conflictsChanged = () => void checkConflicts().catch(onError);

  const checkSync = () => {
    if (stopped) return;
    if (timer !== null) clock.clearTimer(timer);
    timer = null;
    const notice = rules.sync(source.syncStatus(), clock.now(), source.settings());
    if (notice) output.notify(notice);
    const next = rules.nextSyncCheck(clock.now());
    if (next !== null) timer = clock.setTimer(checkSync, next);
  };

  let role = source.role();
  const syncChanged = () => {
    checkSync();
    // A new role can make the badge appear or go (only admins resolve conflicts).
    if (source.role() !== role) {
      role = source.role();
      conflictsChanged();
    }
  };
  const settingsChanged = () => {
    checkSync();
    conflictsChanged();
  };

  const unsubscribe = [
    source.onConflicts(conflictsChanged),
    source.onSync(syncChanged),
    source.onSettings(settingsChanged),
  ];
  conflictsChanged();
  checkSync();
  return {
    stop() {
      stopped = true;
      if (timer !== null) clock.clearTimer(timer);
      for (const off of unsubscribe) off();
    },
  };
}
