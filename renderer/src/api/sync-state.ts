import { useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from './client';
import type { Outputs } from './types';

export type SyncStatus = Outputs['sync']['status'];
export type SyncPhase = SyncStatus['phase'];

/** The badge's words for each phase; pending changes are added where they matter. */
const PHASE_LABELS: Record<SyncPhase, string> = {
  'signed-out': 'Local only',
  connecting: 'Connecting…',
  offline: 'Offline',
  syncing: 'Syncing…',
  'in-sync': 'In sync',
  paused: 'Sign in again',
};

export interface SyncView {
  status: SyncStatus | undefined;
  phase: SyncPhase;
  label: string;
  waiting: number;
  /** Waiting changes cannot be sent (the label says why). */
  notSent: boolean;
}

/** The sync status now and as it changes (a live subscription keeps the query's data current). */
export function useSyncView(): SyncView {
  const trpc = useTRPC();
  const status = useQuery(trpc.sync.status.queryOptions());
  useSubscription(
    trpc.sync.onStatus.subscriptionOptions(undefined, {
      onData: () => void status.refetch(),
    }),
  );
  const data = status.data;
  const phase: SyncPhase = data?.phase ?? 'signed-out';
  const waiting = data?.pending ?? 0;
  const base = PHASE_LABELS[phase];
  // Changes that cannot be sent always say why ("2 not sent: your role is now viewer").
  const notSent = data?.notSentReason && waiting > 0 ? `${waiting} not sent: ${data.notSentReason}` : null;
  const label = notSent ?? (waiting > 0 && phase !== 'signed-out' ? `${base} · ${waiting} waiting` : base);
  return { status: data, phase, label, waiting, notSent: notSent !== null };
}

/** Open conflicts, for the navigation badge and the home screen. */
export function useConflictCount(): number {
  const trpc = useTRPC();
  const count = useQuery(trpc.conflicts.openCount.queryOptions());
  useSubscription(trpc.conflicts.onOpenCount.subscriptionOptions(undefined, { onData: () => void count.refetch() }));
  return count.data ?? 0;
}
