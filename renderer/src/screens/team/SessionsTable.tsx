import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText } from '../../components/ErrorText';

interface RevokedSession {
  id: string;
  username: string | null;
  device: string;
}

/** Active sessions on the server, each revocable after a question that says what it does. */
export function SessionsTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery({ ...trpc.team.sessions.queryOptions(), select: (answer) => answer.sessions });
  const [asking, setAsking] = useState<RevokedSession | null>(null);
  const revoke = useMutation(
    trpc.team.revokeSession.mutationOptions({
      onSuccess: () => {
        setAsking(null);
        void queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
      },
    }),
  );
  return (
    <section aria-labelledby="sessions-heading">
      <h3 id="sessions-heading">Sessions</h3>
      <ErrorText error={sessions.error ?? revoke.error} />
      <DataTable
        label="Sessions"
        rows={sessions.data}
        rowKey={(session) => session.id}
        columns={[
          { header: 'User', cell: (session) => session.username ?? '(removed user)' },
          { header: 'Device', cell: (session) => session.device },
          { header: 'Address', cell: (session) => session.ip },
          { header: 'Last used', cell: (session) => new Date(session.lastUsedAt).toLocaleString() },
          {
            header: 'Actions',
            cell: (session) => (
              <button type="button" className="btn" onClick={() => setAsking(session)}>
                Revoke session of {session.username ?? 'removed user'} on {session.device}
              </button>
            ),
          },
        ]}
      />
      {asking ? (
        <ConfirmRevoke
          session={asking}
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate({ id: asking.id })}
          onCancel={() => setAsking(null)}
        />
      ) : null}
    </section>
  );
}

function ConfirmRevoke(props: { session: RevokedSession; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const who = props.session.username ?? 'the removed user';
  return (
    <ConfirmDialog
      title={`Sign ${who} out on ${props.session.device}?`}
      confirmLabel="Sign out"
      busy={props.busy}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      <p>
        {who} will be signed out on {props.session.device} and must sign in again there to sync. Changes waiting on that
        device stay there and are sent after the next sign-in.
      </p>
    </ConfirmDialog>
  );
}
