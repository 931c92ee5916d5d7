import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC, useTRPCClient } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { ExportButtons } from '../../components/ExportButtons';
import { ErrorText } from '../../components/ErrorText';
import { ACTION_WORDS, readableEntryChanges } from '../../../../shared/readable';
import { auditFilterOf, dateRangeProblem } from './audit-filter';
import { AuditFilters, type AuditFilterValues } from './AuditFilters';

/** The audit trail, newest first, with filters, endless scroll and export. */
export default function AuditScreen() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [values, setValues] = useState<AuditFilterValues>({
    actorId: '',
    action: '',
    entityType: '',
    entityId: '',
    from: '',
    to: '',
  });
  const filter = useMemo(() => auditFilterOf(values), [values]);
  // A range that can match nothing is explained, not asked for: an empty list would not say why.
  const rangeProblem = dateRangeProblem(values);
  const list = useInfiniteQuery(
    trpc.audit.query.infiniteQueryOptions(
      { ...filter, limit: 100 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, enabled: rangeProblem === null },
    ),
  );
  const entries = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element) return;
    const observer = new IntersectionObserver(([seen]) => {
      if (seen?.isIntersecting && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [list]);

  return (
    <>
      <h2>Audit</h2>
      <AuditFilters values={values} onChange={setValues} />
      {rangeProblem ? (
        <p role="alert" className="error">
          {rangeProblem}
        </p>
      ) : (
        <ExportButtons
          label="Export"
          subscribe={(format, handlers) => client.audit.export.subscribe({ ...filter, format }, handlers)}
        />
      )}
      <ErrorText error={list.error} />
      {rangeProblem ? null : (
        <DataTable
          label="Audit entries"
          rows={list.isPending ? undefined : entries}
          rowKey={(entry) => entry.id}
          empty="No audit entries match these filters."
          columns={[
            {
              header: 'When',
              cell: (entry) => <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>,
            },
            { header: 'Who', cell: (entry) => entry.actor.name },
            { header: 'Action', cell: (entry) => ACTION_WORDS[entry.action] },
            {
              header: 'Entry',
              cell: (entry) => (
                <>
                  {entities[entry.entityType as EntityType]?.label}: {entry.entityTitle}
                </>
              ),
            },
            {
              header: 'Changes',
              cell: (entry) =>
                readableEntryChanges(entry)
                  .map((d) => `${d.label}: ${d.from} → ${d.to}`)
                  .join('; '),
            },
          ]}
        />
      )}
      <div ref={sentinel} aria-hidden="true" style={{ height: 1 }} />
      {list.isFetchingNextPage ? <p className="muted">Loading more…</p> : null}
    </>
  );
}
