import { filter, firstValueFrom, map, race, timer } from 'rxjs';
import type { SyncEngine } from '../sync';

/** How long a rebuild waits for the server before carrying local changes over anyway. */
export const INITIAL_SYNC_WAIT_MS = 120_000;

/**
 * Resolves true once a fresh store is in sync with the server, false when
 * that takes longer than `waitMs` (offline): the carried-over changes are
 * then written anyway and merge with the server's versions as they arrive.
 */
export function waitForInitialSync(sync: SyncEngine, waitMs = INITIAL_SYNC_WAIT_MS): Promise<boolean> {
  return firstValueFrom(
    race(
      sync.status$.pipe(
        filter((status) => status.phase === 'in-sync' && status.pending === 0),
        map(() => true),
      ),
      timer(waitMs).pipe(map(() => false)),
    ),
  );
}
