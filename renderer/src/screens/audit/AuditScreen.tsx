import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { readableChanges } from '../../forms/field-diff';
import { humanize } from '../../forms/form-fields';
import { auditFilterOf } from './audit-filter';
import { AuditExport } from './AuditExport';
import { AuditFilters, type AuditFilterValues } from './AuditFilters';

/** The audit trail, newest first, with filters, endless scroll and export. */
export default function AuditScreen() {
  const trpc = useTRPC();
  const [values, setValues] = useState<AuditFilterValues>({
    actorId: '',
    action: '',
    entityType: '',
    entityId: '',
    from: '',
    to: '',
  });
  const filter = useMemo(() => auditFilterOf(values), [values]);
  const list = useInfiniteQuery(
    trpc.audit.query.infiniteQueryOptions(
      { ...filter, limit: 100 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
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
      <AuditExport filter={filter} />
      <ErrorText error={list.error} />
      <table className="plain" aria-label="Audit entries">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Entry</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>
                <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
              </td>
              <td>{entry.actor.name}</td>
              <td>{entry.action}</td>
              <td>
                {entities[entry.entityType as EntityType]?.label}: {entry.entityTitle}
              </td>
              <td>
                {readableChanges(entry.changes)
                  .map((d) => `${humanize(d.field)}: ${d.from} → ${d.to}`)
                  .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!list.isPending && entries.length === 0 ? <p className="notice">No audit entries match these filters.</p> : null}
      <div ref={sentinel} aria-hidden="true" style={{ height: 1 }} />
      {list.isFetchingNextPage ? <p className="muted">Loading more…</p> : null}
    </>
  );
}
