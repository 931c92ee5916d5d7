import { useSyncView } from '../../api/sync-state';

/** Sync status, server address, sign in and out. */
export default function SyncScreen() {
  const sync = useSyncView();
  return (
    <>
      <h2>Sync</h2>
      <p role="status" className="notice">
        Status: {sync.label}.{' '}
        {sync.state === 'signed-out'
          ? 'Everything you do is saved on this device; sign in to a sync server to share it with your team.'
          : ''}
      </p>
      <p className="muted">
        Signing in to a server needs the sync client, which this build of the core does not include yet.
      </p>
    </>
  );
}
