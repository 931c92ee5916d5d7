import { useSyncView } from '../../api/sync-state';
import { ChangePasswordForm } from './ChangePasswordForm';
import { OwnSessions } from './OwnSessions';

/** The signed-in person's own account on the sync server, whatever their role: password and devices. */
export default function AccountScreen() {
  const sync = useSyncView();
  const user = sync.status?.user;
  if (!user || sync.phase === 'signed-out' || sync.phase === 'paused') {
    return (
      <>
        <h2>Account</h2>
        <p role="status" className="notice">
          Not signed in to a sync server. Your account (password and devices) lives on the server; sign in on the Sync
          screen to manage it.
        </p>
      </>
    );
  }
  return (
    <>
      <h2>Account</h2>
      <p>
        Signed in as {user.name} ({user.username}, {user.role}) to {sync.status?.serverUrl}.
      </p>
      <ChangePasswordForm username={user.username} name={user.name} />
      <OwnSessions />
    </>
  );
}
