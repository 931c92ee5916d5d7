import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { useTRPC, useTRPCClient } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { ErrorText } from '../../components/ErrorText';
import { ExportButtons } from '../../components/ExportButtons';
import { pageRange } from '../../lib/words';
import { NO_FILTER, SERVER_AUDIT_ACTIONS, toServerFilter, type ServerAuditForm } from './server-audit-filter';

const PER_PAGE = 100;

/**
 * The server's own audit (sign-ins, user changes, setup codes, revocations, purges), filtered by actor,
 * action and days, paged through all of it on the server, and exported as CSV or JSON with progress.
 */
export function ServerAuditList() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [form, setForm] = useState<ServerAuditForm>(NO_FILTER);
  // Cursors of the pages before this one; the last is this page's (null: the newest entries).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const filter = toServerFilter(useDeferredValue(form));
  const cursor = cursors[cursors.length - 1] ?? null;
  const audit = useQuery({
    ...trpc.team.serverAudit.queryOptions({ ...filter, cursor, limit: PER_PAGE }),
    placeholderData: keepPreviousData,
  });
  const change = (patch: Partial<ServerAuditForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setCursors([null]);
  };
  const page = audit.data;
  const first = (cursors.length - 1) * PER_PAGE;
  return (
    <section aria-labelledby="server-audit-heading">
      <h3 id="server-audit-heading">Server audit</h3>
      <div className="toolbar" role="search" aria-label="Filter the server audit">
        <label>
          Actor
          <input value={form.actor} onChange={(e) => change({ actor: e.target.value })} placeholder="User name" />
        </label>
        <label>
          Action
          <select value={form.action} onChange={(e) => change({ action: e.target.value as ServerAuditForm['action'] })}>
            <option value="">Any action</option>
            {SERVER_AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={form.from} onChange={(e) => change({ from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={form.to} onChange={(e) => change({ to: e.target.value })} />
        </label>
      </div>
      <ExportButtons
        label="Export the server audit"
        subscribe={(format, handlers) => client.team.exportServerAudit.subscribe({ ...filter, format }, handlers)}
      />
      <ErrorText error={audit.error} />
      <DataTable
        label="Server audit"
        rows={page?.entries}
        rowKey={(entry) => entry.id}
        empty="No server audit entries match these filters."
        columns={[
          { header: 'When', cell: (entry) => new Date(entry.at).toLocaleString() },
          { header: 'Action', cell: (entry) => entry.action },
          { header: 'By', cell: (entry) => entry.actor?.name ?? '—' },
          { header: 'About', cell: (entry) => entry.subject?.name ?? '—' },
          { header: 'Address', cell: (entry) => entry.ip ?? '—' },
        ]}
      />
      {page ? (
        <div className="toolbar" role="group" aria-label="Pages of the server audit">
          <span role="status">{pageRange('Entries', first, page.entries.length, page.total, 'No entries.')}</span>
          <button
            type="button"
            className="btn"
            disabled={cursors.length === 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Newer entries
          </button>
          <button
            type="button"
            className="btn"
            disabled={!page.nextCursor}
            onClick={() => setCursors((c) => [...c, page.nextCursor])}
          >
            Older entries
          </button>
        </div>
      ) : null}
    </section>
  );
}
