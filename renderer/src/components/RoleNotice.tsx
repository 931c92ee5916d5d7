import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '../api/client';
import { useRole } from '../api/permissions';
import { useSyncView } from '../api/sync-state';
import { NotSent } from './NotSent';

/**
 * Above every screen: a viewer is told why the forms are read-only, and
 * changes that can no longer be sent (a demoted user's) are listed with the
 * reason and the three choices: keep them waiting, export them, discard them.
 */
export function RoleNotice() {
  const role = useRole();
  const sync = useSyncView();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const serverRole = sync.status?.user?.role;
  useEffect(() => {
    // Screens that read the session (`session.me`) follow a role the server changed, too.
    void queryClient.invalidateQueries({ queryKey: trpc.session.me.queryKey() });
  }, [serverRole, queryClient, trpc]);
  const reason = sync.status?.notSentReason ?? null;
  const notSent = reason && sync.waiting > 0 ? sync.waiting : 0;
  return (
    <>
      {role === 'viewer' ? (
        <p role="status" aria-label="Your role" className="notice">
          You are signed in as a viewer
          {reason === 'your role is now viewer' ? ' (an admin changed your role)' : ''}: you can read, search and
          export; creating, editing and importing need an editor. Ask an admin if you need to edit.
        </p>
      ) : null}
      {notSent > 0 && reason ? <NotSent count={notSent} reason={reason} /> : null}
    </>
  );
}
