import { whyNot } from '../../../../shared/permissions';
import { useSyncView } from '../../api/sync-state';
import { AddUserForm } from './AddUserForm';
import { ServerAuditList } from './ServerAuditList';
import { ServerPanel } from './ServerPanel';
import { SessionsTable } from './SessionsTable';
import { UsersTable } from './UsersTable';

/** Users, invitations, roles and sessions of the sync server, its audit and its state, for admins signed in to it. */
export default function TeamScreen() {
  const sync = useSyncView();
  const signedIn = sync.status?.user && sync.phase !== 'signed-out' && sync.phase !== 'paused';
  if (!signedIn) {
    return (
      <>
        <h2>Team</h2>
        <p role="status" className="notice">
          Not signed in to a sync server. Team members, roles and sessions live on the server; sign in as an admin on
          the Sync screen to manage them.
        </p>
      </>
    );
  }
  if (sync.status?.user?.role !== 'admin') {
    return (
      <>
        <h2>Team</h2>
        <p role="status" className="notice">
          {whyNot(sync.status?.user?.role ?? 'viewer', 'manageTeam')}
        </p>
      </>
    );
  }
  return (
    <>
      <h2>Team</h2>
      <UsersTable />
      <AddUserForm />
      <SessionsTable />
      <ServerAuditList />
      <ServerPanel />
    </>
  );
}
