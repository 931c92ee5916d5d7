import { useSyncView } from '../../api/sync-state';
import { SignInForm } from './SignInForm';
import { SignOutsWaiting } from './SignOutsWaiting';
import { SyncStatusPanel } from './SyncStatusPanel';

/** Sync status, server address, sign in and out. */
export default function SyncScreen() {
  const sync = useSyncView();
  return (
    <>
      <h2>Sync</h2>
      <p role="status" className="notice">
        Status: {sync.label}.
      </p>
      {sync.status && sync.phase !== 'signed-out' ? <SyncStatusPanel status={sync.status} /> : null}
      {sync.status ? <SignOutsWaiting signOuts={sync.status.signOutsWaiting} /> : null}
      {sync.phase === 'signed-out' || sync.phase === 'paused' ? (
        <>
          <p>
            {sync.phase === 'paused'
              ? 'The server ended this session. Your work here is safe; sign in again to continue syncing.'
              : 'Everything you do is saved on this device. Sign in to your team’s sync server to share it.'}
          </p>
          <SignInForm serverUrl={sync.status?.serverUrl ?? ''} username={sync.status?.user?.username ?? ''} />
        </>
      ) : null}
    </>
  );
}
