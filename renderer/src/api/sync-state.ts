/**
 * Sync status and the open conflict count, for the badge and the navigation.
 * NOTE: until the core carries the `sync` and `conflicts` routers this is the honest
 * local-only state: not signed in to a server, nothing can conflict.
 */
export type SyncBadgeState = 'signed-out' | 'offline' | 'connecting' | 'syncing' | 'synced' | 'waiting' | 'error';

export interface SyncView {
  state: SyncBadgeState;
  label: string;
  waiting: number;
  serverUrl: string | null;
  lastSyncedAt: string | null;
  lastError: string | null;
}

export function useSyncView(): SyncView {
  return { state: 'signed-out', label: 'Local only', waiting: 0, serverUrl: null, lastSyncedAt: null, lastError: null };
}

export function useConflictCount(): number {
  return 0;
}
