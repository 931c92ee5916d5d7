import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../api/client';
import { DataTable } from '../../components/DataTable';
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
      <DataTable
        label="Server audit"
        rows={audit.data}
        rowKey={(entry) => entry.id}
        columns={[
          { header: 'When', cell: (entry) => new Date(entry.at).toLocaleString() },
          { header: 'Action', cell: (entry) => entry.action },
          { header: 'By', cell: (entry) => entry.actor?.name ?? '—' },
          { header: 'About', cell: (entry) => entry.subject?.name ?? '—' },
          { header: 'Address', cell: (entry) => entry.ip ?? '—' },
        ]}
      />
    </section>
  );
}
