import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { AUDIT_ACTIONS } from '../../../../shared/audit';
import { ENTITY_TYPES, entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import type { Inputs } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';
import { readableChanges } from '../../forms/field-diff';
import { humanize } from '../../forms/form-fields';
import { AuditExport } from './AuditExport';
import { AuditFilters, type AuditFilterValues } from './AuditFilters';

export type AuditFilter = Omit<Inputs['audit']['query'], 'cursor' | 'limit'>;

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
  const filter = useMemo(() => toFilter(values), [values]);
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

function toFilter(values: AuditFilterValues): AuditFilter {
  const filter: Record<string, string> = {};
  if (values.actorId) filter.actorId = values.actorId;
  if ((AUDIT_ACTIONS as readonly string[]).includes(values.action)) filter.action = values.action;
  if ((ENTITY_TYPES as string[]).includes(values.entityType)) filter.entityType = values.entityType;
  if (filter.entityType && values.entityId) filter.entityId = values.entityId;
  // Dates are days in the user's time zone; the range includes the whole "to" day.
  if (values.from) filter.from = new Date(`${values.from}T00:00:00`).toISOString();
  if (values.to) filter.to = new Date(`${values.to}T23:59:59.999`).toISOString();
  return filter as AuditFilter;
}
