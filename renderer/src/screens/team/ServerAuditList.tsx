import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { parseAnswer, serverAuditAnswer } from './team-data';

/** The server's own audit: logins (successful and failed), user changes, revocations. */
export function ServerAuditList() {
  const trpc = useTRPC();
  const audit = useQuery({
    ...trpc.team.serverAudit.queryOptions({ limit: 100 }),
    select: (answer) => parseAnswer(serverAuditAnswer, answer).entries,
  });
  return (
    <section aria-labelledby="server-audit-heading">
      <h3 id="server-audit-heading">Server audit</h3>
      <ErrorText error={audit.error} />
      <table className="plain" aria-label="Server audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">By</th>
            <th scope="col">About</th>
            <th scope="col">Address</th>
          </tr>
        </thead>
        <tbody>
          {audit.data?.map((entry) => (
            <tr key={entry.id}>
              <td>{new Date(entry.at).toLocaleString()}</td>
              <td>{entry.action}</td>
              <td>{entry.actor?.name ?? '—'}</td>
              <td>{entry.subject?.name ?? '—'}</td>
              <td>{entry.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
