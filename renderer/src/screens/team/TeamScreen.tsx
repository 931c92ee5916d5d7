import { useSyncView } from '../../api/sync-state';

/** Users, roles and sessions of the sync server, for admins signed in to it. */
export default function TeamScreen() {
  const sync = useSyncView();
  return (
    <>
      <h2>Team</h2>
      <p role="status" className="notice">
        {sync.state === 'signed-out'
          ? 'Not signed in to a sync server. Team members, roles and sessions live on the server; sign in as an admin on the Sync screen to manage them.'
          : 'Loading the team…'}
      </p>
    </>
  );
}
