import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../../api/client';
import type { SyncStatus } from '../../api/sync-state';
import { ErrorText } from '../../components/ErrorText';

/** Who is signed in where, what is waiting, the last sync and the last problem; sync now and sign out. */
export function SyncStatusPanel({ status }: { status: SyncStatus }) {
  const trpc = useTRPC();
  const signOut = useMutation(trpc.sync.signOut.mutationOptions());
  const syncNow = useMutation(trpc.sync.syncNow.mutationOptions());
  return (
    <section aria-label="Sync details" className="card">
      <dl>
        <dt>Server</dt>
        <dd>{status.serverUrl}</dd>
        <dt>Signed in as</dt>
        <dd>{status.user ? `${status.user.name} (${status.user.username}, ${status.user.role})` : '—'}</dd>
        <dt>Changes waiting to be sent</dt>
        <dd>{status.pending}</dd>
        <dt>Last successful sync</dt>
        <dd>{status.lastSyncAt ? new Date(status.lastSyncAt).toLocaleString() : 'not yet'}</dd>
        {status.lastError ? (
          <>
            <dt>Last problem</dt>
            <dd className="error">{status.lastError}</dd>
          </>
        ) : null}
      </dl>
      <div className="toolbar">
        <button type="button" className="btn" onClick={() => syncNow.mutate()} disabled={syncNow.isPending}>
          Sync now
        </button>
        <button type="button" className="btn" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </button>
      </div>
      <ErrorText error={syncNow.error ?? signOut.error} />
    </section>
  );
}
