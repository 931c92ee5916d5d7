import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { formFieldsOf } from '../../forms/form-fields';
import { describeValue } from '../../forms/field-diff';
import { useUi } from '../../state/ui-store';
import { BulkActions } from './BulkActions';
import type { Filters } from './LibraryFilters';

export interface Sort {
  field: string;
  direction: 'asc' | 'desc';
}

const PAGE_SIZE = 100;
const ROW_HEIGHT = 36;

/** The list of one type, virtualized (only visible rows exist in the page) and paged by cursor. */
export function LibraryTable(props: { type: EntityType; sort: Sort; onSort: (sort: Sort) => void; filters: Filters }) {
  const trpc = useTRPC();
  const descriptor = entities[props.type];
  const { editor, openEditor } = useUi();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const columns = descriptor.listColumns as readonly { field: string; label: string }[];
  const filters = useMemo(() => typedFilters(props.type, props.filters), [props.type, props.filters]);
  const list = useInfiniteQuery(
    trpc.entities.list.infiniteQueryOptions(
      { type: props.type, sort: props.sort, filters, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions each render by design; this component is not memoized.
  const virtualizer = useVirtualizer({
    count: rows.length + (list.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 1 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [lastIndex, rows.length, list]);

  const template = `32px repeat(${columns.length}, minmax(0, 1fr))`;
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const sortBy = (field: string) =>
    props.onSort({ field, direction: props.sort.field === field && props.sort.direction === 'asc' ? 'desc' : 'asc' });

  return (
    <>
      <BulkActions type={props.type} selected={[...selected]} loaded={rows.map((r) => r.id)} onSelect={setSelected} />
      {list.error ? <ErrorText error={list.error} /> : null}
      <div className="table" role="table" aria-label={descriptor.pluralLabel} aria-rowcount={rows.length}>
        <div className="table-head" role="row" style={{ gridTemplateColumns: template }}>
          <span role="columnheader">
            <span className="visually-hidden">Selected</span>
          </span>
          {columns.map((column) => (
            <span
              role="columnheader"
              key={column.field}
              aria-sort={
                props.sort.field === column.field
                  ? props.sort.direction === 'asc'
                    ? 'ascending'
                    : 'descending'
                  : 'none'
              }
            >
              <button type="button" onClick={() => sortBy(column.field)}>
                {column.label} {props.sort.field === column.field ? (props.sort.direction === 'asc' ? '▲' : '▼') : ''}
              </button>
            </span>
          ))}
        </div>
        <div className="table-body" ref={scrollRef} data-testid="library-rows">
          {list.isPending ? <p className="muted">Loading…</p> : null}
          {!list.isPending && rows.length === 0 ? (
            <p className="notice">No {descriptor.pluralLabel.toLowerCase()} here yet.</p>
          ) : null}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows[item.index] as Record<string, unknown> | undefined;
              if (!row) {
                return (
                  <div
                    key="loading"
                    className="table-row muted"
                    style={{ position: 'absolute', top: item.start, left: 0, right: 0 }}
                  >
                    Loading more…
                  </div>
                );
              }
              const id = String(row.id);
              const title = String(row[descriptor.titleField] ?? '');
              return (
                <div
                  key={id}
                  role="row"
                  tabIndex={0}
                  className="table-row"
                  aria-selected={editor?.id === id}
                  style={{ position: 'absolute', top: item.start, left: 0, right: 0, gridTemplateColumns: template }}
                  onClick={() => openEditor({ type: props.type, id })}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') openEditor({ type: props.type, id });
                    if (event.key === ' ' && event.target === event.currentTarget) {
                      event.preventDefault();
                      toggle(id);
                    }
                  }}
                >
                  <span role="cell" onClick={(event) => event.stopPropagation()}>
                    <input
                      type="checkbox"
                      aria-label={`Select ${title}`}
                      checked={selected.has(id)}
                      onChange={() => toggle(id)}
                    />
                  </span>
                  {columns.map((column) => (
                    <span role="cell" key={column.field}>
                      {describeValue(row[column.field])}
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </>
  );
}

/** Filter boxes hold text; number fields are compared as numbers. */
function typedFilters(type: EntityType, filters: Filters): Record<string, string | number | string[]> {
  const integerFields = new Set(
    formFieldsOf(type)
      .filter((f) => f.control.kind === 'integer')
      .map((f) => f.name),
  );
  const result: Record<string, string | number | string[]> = {};
  for (const [field, value] of Object.entries(filters)) {
    result[field] =
      integerFields.has(field) && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  }
  return result;
}
