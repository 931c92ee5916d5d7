import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { counted, oneOrMany } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import type { SyncStatus } from '../../api/sync-state';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText } from '../../components/ErrorText';

/** Who is signed in where, what is waiting, the last sync and the last problem; sync now and sign out. */
export function SyncStatusPanel({ status }: { status: SyncStatus }) {
  const trpc = useTRPC();
  const [asking, setAsking] = useState(false);
  const signOut = useMutation(trpc.sync.signOut.mutationOptions({ onSuccess: () => setAsking(false) }));
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
        <button type="button" className="btn" onClick={() => setAsking(true)} disabled={signOut.isPending}>
          Sign out
        </button>
      </div>
      <ErrorText error={syncNow.error} />
      {asking ? (
        <ConfirmDialog
          title={
            status.pending > 0
              ? `Sign out with ${counted(status.pending, 'change')} not sent?`
              : 'Sign out of the sync server?'
          }
          confirmLabel="Sign out"
          busy={signOut.isPending}
          error={signOut.error}
          onConfirm={() => signOut.mutate()}
          onCancel={() => {
            signOut.reset();
            setAsking(false);
          }}
        >
          <SignOutWords status={status} />
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** What becomes of the changes not yet sent, agreeing with their count. */
function pendingWords(count: number, who: string): string {
  const one = (singular: string, plural: string) => oneOrMany(count, singular, plural);
  return (
    `${counted(count, 'change')} made here ${one('has', 'have')} not reached the server yet. ` +
    `${one('It stays', 'They stay')} on this device and ${one('is', 'are')} sent when ${who} signs in here again; ` +
    `if someone else signs in here instead, the server refuses ${one('it', 'them')} and ${one('it appears', 'they appear')} under Conflicts.`
  );
}

/**
 * What signing out does, said before it happens. Offline, the sign-out is kept and sent when the server is
 * reached again (CLIENT-19). NOTE: changes made here stay here after a sign-out and go
 * out at the next sign-in of the same user (docs/decisions.md, "Sync client: sign-in and identity"); someone
 * else's sign-in gets them refused into Conflicts, so the person is told while they can still wait.
 */
function SignOutWords({ status }: { status: SyncStatus }) {
  const who = status.user?.username ?? 'you';
  return (
    <>
      <p>This device stops syncing until you sign in again. Your work here stays on this device.</p>
      {status.pending > 0 ? (
        <p className="notice">
          {pendingWords(status.pending, who)} To send {oneOrMany(status.pending, 'it', 'them')} first, cancel and wait
          until the badge says In sync.
        </p>
      ) : null}
      {status.phase === 'offline' ? (
        <p>
          The server cannot be reached now, so this device keeps the sign-out and sends it as soon as the server can be
          reached again, even after the app is closed and reopened. Until then the server still lists this device as
          signed in; to end that session at once, sign it out from Account ▸ Sessions on another device.
        </p>
      ) : null}
    </>
  );
}
