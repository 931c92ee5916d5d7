import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { ErrorText } from '../../components/ErrorText';
import { parseAnswer, sessionsAnswer } from './team-data';

/** Active sessions on the server, each revocable. */
export function SessionsTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery({
    ...trpc.team.sessions.queryOptions(),
    select: (answer) => parseAnswer(sessionsAnswer, answer).sessions,
  });
  const revoke = useMutation(
    trpc.team.revokeSession.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
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
              <button type="button" className="btn" onClick={() => revoke.mutate({ id: session.id })}>
                Revoke session of {session.username ?? 'removed user'} on {session.device}
              </button>
            ),
          },
        ]}
      />
    </section>
  );
}
