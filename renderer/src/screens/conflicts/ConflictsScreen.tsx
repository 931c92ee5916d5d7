import { useSyncView } from '../../api/sync-state';

/** Open conflicts from sync. Without a sync server nothing can conflict, and the screen says so. */
export default function ConflictsScreen() {
  const sync = useSyncView();
  return (
    <>
      <h2>Conflicts</h2>
      <p className="notice" role="status">
        {sync.state === 'signed-out'
          ? 'No open conflicts. Conflicts appear here when edits made offline on two devices meet on the sync server; this profile is not signed in to a server.'
          : 'No open conflicts.'}
      </p>
    </>
  );
}
