import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/client';
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
      <table className="plain" aria-label="Sessions">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Device</th>
            <th scope="col">Address</th>
            <th scope="col">Last used</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {sessions.data?.map((session) => (
            <tr key={session.id}>
              <td>{session.username ?? '(removed user)'}</td>
              <td>{session.device}</td>
              <td>{session.ip}</td>
              <td>{new Date(session.lastUsedAt).toLocaleString()}</td>
              <td>
                <button type="button" className="btn" onClick={() => revoke.mutate({ id: session.id })}>
                  Revoke session of {session.username ?? 'removed user'} on {session.device}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
