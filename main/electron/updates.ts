/** How often a running app looks for an update (and once at start). */
export const CHECK_EVERY_MS = 4 * 60 * 60_000;
/** While a restart waits, how often it looks again whether the save or sync is done. */
export const BUSY_RECHECK_MS = 1_000;
/**
 * A sync can run for long (a big first pull); past this a waiting restart goes ahead anyway: every change is
 * committed locally first, and the sync resumes from its checkpoint after the restart. Saves are always awaited.
 */
export const SYNC_WAIT_MAX_MS = 2 * 60_000;

/** electron-updater's events, as `main/index.ts` forwards them. */
export type FeedEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string };

/** electron-updater's autoUpdater behind the calls the controller makes. */
export interface UpdateFeed {
  /** Looks for an update; a found one downloads in the background (autoDownload). Events report the rest. */
  check(): Promise<unknown>;
  /** Quits (the app's clean shutdown runs) and installs the downloaded update, then starts it. */
  installAndRestart(): void;
  onEvent(listener: (event: FeedEvent) => void): void;
}

/** Work a restart must not cut short. */
export type BusyWork = 'save' | 'sync';

export interface UpdateHost {
  /** What is in progress right now. */
  busy(): BusyWork[];
  /** setInterval; returns its stop. */
  every(ms: number, run: () => void): () => void;
  now(): number;
}

export type UpdatePhase = 'idle' | 'checking' | 'downloading' | 'ready' | 'error';

export interface UpdateState {
  phase: UpdatePhase;
  /** The update's version (downloading, ready). */
  version: string | null;
  /** Download progress, 0 to 100. */
  percent: number | null;
  /** Asked to restart: waits for these to finish (empty once it goes ahead); null when not asked. */
  restartWaitsFor: BusyWork[] | null;
  /** The sync server answered 426: this version is too old for it, so the update is offered. */
  serverNeedsUpdate: boolean;
  error: string | null;
}

export const IDLE: UpdateState = {
  phase: 'idle',
  version: null,
  percent: null,
  restartWaitsFor: null,
  serverNeedsUpdate: false,
  error: null,
};

/**
 * The update state machine: idle → checking → downloading (progress) → ready, or back to idle when
 * there is none, or error. "Restart to update" installs only once no save (and no sync, for a while) runs.
 */
export function createUpdateController(feed: UpdateFeed, host: UpdateHost) {
  let state = IDLE;
  const listeners = new Set<(state: UpdateState) => void>();
  const set = (patch: Partial<UpdateState>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener(state);
  };
  const busyFetching = () => state.phase === 'checking' || state.phase === 'downloading' || state.phase === 'ready';

  feed.onEvent((event) => {
    switch (event.type) {
      case 'checking':
        if (!busyFetching()) set({ phase: 'checking', error: null });
        return;
      case 'not-available':
        if (state.phase === 'checking') set({ phase: 'idle', version: null, percent: null });
        return;
      case 'available':
        if (state.phase !== 'ready') set({ phase: 'downloading', version: event.version, percent: 0 });
        return;
      case 'progress':
        if (state.phase === 'downloading') set({ percent: Math.min(100, Math.round(event.percent)) });
        return;
      case 'downloaded':
        set({ phase: 'ready', version: event.version, percent: 100, error: null });
        return;
      case 'error':
        // A downloaded update stays installable whatever a later check says.
        if (state.phase !== 'ready') set({ phase: 'error', percent: null, error: event.message });
    }
  });

  async function check(): Promise<void> {
    if (busyFetching()) return;
    try {
      await feed.check();
    } catch (error) {
      if (state.phase !== 'ready')
        set({ phase: 'error', error: error instanceof Error ? error.message : String(error) });
    }
  }

  let stopChecks: (() => void) | null = null;
  let stopWaiting: (() => void) | null = null;
  let askedAt = 0;

  function tryRestart(): void {
    const waitedLong = host.now() - askedAt >= SYNC_WAIT_MAX_MS;
    const busy = host.busy().filter((work) => work === 'save' || !waitedLong);
    set({ restartWaitsFor: busy });
    if (busy.length > 0) {
      stopWaiting ??= host.every(BUSY_RECHECK_MS, tryRestart);
      return;
    }
    stopWaiting?.();
    stopWaiting = null;
    feed.installAndRestart();
  }

  return {
    state: () => state,
    subscribe(listener: (state: UpdateState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Checks now and every few hours. */
    start(): void {
      stopChecks ??= host.every(CHECK_EVERY_MS, () => void check());
      void check();
    },
    check,
    /** "Restart to update": at once when nothing is in progress, else as soon as it is done. */
    restart(): void {
      if (state.phase !== 'ready' || stopWaiting) return;
      askedAt = host.now();
      tryRestart();
    },
    /** The sync server refuses (426) or accepts this version again. Refused: look for the update now. */
    serverNeedsUpdate(needed: boolean): void {
      if (needed === state.serverNeedsUpdate) return;
      set({ serverNeedsUpdate: needed });
      if (needed) void check();
    },
    stop(): void {
      stopChecks?.();
      stopWaiting?.();
      stopChecks = stopWaiting = null;
    },
  };
}

export type UpdateController = ReturnType<typeof createUpdateController>;

/** What the renderer's update notice reads and does (the core's `updates` router). */
export type DesktopUpdates = Pick<UpdateController, 'state' | 'restart'>;
