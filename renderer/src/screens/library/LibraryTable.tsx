import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { tellNamesakesApart, withNamesakeDetail } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { NamesakeDetail } from '../../components/NamesakeDetail';
import { describeValue } from '../../forms/field-diff';
import { isFiltered, type ListSort, type ListState } from '../../state/list-store';
import { useUi } from '../../state/ui-store';
import { BulkActions } from './BulkActions';
import { isSortable, labelOfColumn } from './columns';
import { useLinkTitles } from './use-link-titles';
import { useGridKeys } from './use-grid-keys';

const PAGE_SIZE = 100;
const ROW_HEIGHT = 36;

/**
 * The list of one type as a WAI-ARIA data grid: virtualized (only visible rows
 * exist in the page), paged by cursor, the columns the user chose, linked
 * entries by name. Keyboard: see use-grid-keys.ts.
 */
export function LibraryTable(props: {
  type: EntityType;
  state: ListState;
  onSort: (sort: ListSort) => void;
  onClearFilters: () => void;
}) {
  const trpc = useTRPC();
  const gridId = useId();
  const descriptor = entities[props.type];
  const { editor, openEditor } = useUi();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const { columns, trash, filters } = props.state;
  const sort = props.state.sort ?? { field: descriptor.listColumns[0]!.field as string, direction: 'asc' };
  const list = useInfiniteQuery(
    trpc.entities.list.infiniteQueryOptions(
      { type: props.type, view: trash, sort, filters, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const pages = useMemo(() => list.data?.pages.map((page) => page.items) ?? [], [list.data]);
  const rows = useMemo(() => pages.flat() as Record<string, unknown>[], [pages]);
  const linkTitle = useLinkTitles(props.type, columns, pages);
  // Loaded rows that share a name (a sync kept two "Rex") each say what tells them apart.
  const namesakes = useMemo(
    () =>
      tellNamesakesApart(
        rows,
        (row) => ({
          type: props.type,
          id: String(row.id),
          title: String(row[descriptor.titleField] ?? ''),
          document: row,
        }),
        { shown: columns },
      ),
    [rows, columns, props.type, descriptor.titleField],
  );
  const counts = useQuery(trpc.entities.counts.queryOptions());
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions each render by design; this component is not memoized.
  const virtualizer = useVirtualizer({
    count: rows.length + (list.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    // The sticky header row sits above the rows inside the same scroll box.
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 1 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [lastIndex, rows.length, list]);

  const toggle = useCallback(
    (id: string) =>
      setSelected((s) => {
        const next = new Set(s);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const sortBy = (field: string) =>
    props.onSort({ field, direction: sort.field === field && sort.direction === 'asc' ? 'desc' : 'asc' });
  const open = (row: number) => openEditor({ type: props.type, id: String(rows[row]!.id) });
  const rowKeys = useMemo(() => rows.map((row) => String(row.id)), [rows]);
  // NOTE: the selection is what the list shows. An entry that leaves the list (a teammate moved it to the
  // trash, a sync or a filter took it out) leaves the selection too, so the count, "Move selected to trash"
  // and its undo, and "Export… the selected" never reach an entry no longer on screen.
  const listPending = list.isPending;
  useEffect(() => {
    if (listPending) return;
    setSelected((current) => {
      const shown = new Set(rowKeys);
      const kept = [...current].filter((id) => shown.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [rowKeys, listPending]);
  const shownSelection = useMemo(() => rowKeys.filter((id) => selected.has(id)), [rowKeys, selected]);
  const keys = useGridKeys({
    rowKeys,
    colCount: columns.length + 1,
    onOpen: open,
    onToggle: (row) => toggle(String(rows[row]!.id)),
    onHeader: (col) => {
      const field = columns[col - 1];
      if (field && isSortable(props.type, field)) sortBy(field);
    },
    reveal: (row) => virtualizer.scrollToIndex(row, { align: 'auto' }),
  });
  const cellId = (row: number, col: number) => cellIdOf(gridId, row, col);
  // One function for every row's click, so a row re-renders only when its own props change.
  const onRowClick = useLatest((row: number) => {
    keys.setActive({ row, col: keys.active.col });
    open(row);
  });
  const activeShown = keys.active.row < 0 || items.some((item) => item.index === keys.active.row);
  const isActive = (row: number, col: number) => keys.active.row === row && keys.active.col === col;
  const template = `32px repeat(${columns.length}, minmax(0, 1fr))`;
  const plural = descriptor.pluralLabel.toLowerCase();
  const total = counts.data?.[props.type];
  const hidden = total ? total.live + (trash === 'live' ? 0 : total.trash) : undefined;

  return (
    <>
      <BulkActions type={props.type} selected={shownSelection} loaded={rowKeys} onSelect={setSelected} />
      {list.error ? <ErrorText error={list.error} /> : null}
      {list.isPending ? <p className="muted">Loading…</p> : null}
      {!list.isPending && rows.length === 0 && isFiltered(props.state) ? (
        <p className="notice" role="status">
          No {plural} match these filters{hidden ? `: they hide all ${hidden} ${plural}` : ''}.{' '}
          <button type="button" className="btn" onClick={props.onClearFilters}>
            Clear filters
          </button>
        </p>
      ) : null}
      {!list.isPending && rows.length === 0 && !isFiltered(props.state) ? (
        <p className="notice">No {plural} here yet.</p>
      ) : null}
      <div
        className="table grid"
        role="grid"
        aria-label={descriptor.pluralLabel}
        aria-rowcount={list.hasNextPage ? -1 : rows.length + 1}
        aria-colcount={columns.length + 1}
        aria-multiselectable="true"
        tabIndex={0}
        aria-activedescendant={activeShown ? cellId(keys.active.row, keys.active.col) : undefined}
        onKeyDown={keys.onKeyDown}
        ref={scrollRef}
        data-testid="library-rows"
      >
        <div role="rowgroup" className="table-head-group">
          <div className="table-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
            <span role="columnheader" id={cellId(-1, 0)} className={isActive(-1, 0) ? 'active' : undefined}>
              <span className="visually-hidden">Selected</span>
            </span>
            {columns.map((field, index) => {
              const label = labelOfColumn(props.type, field);
              const sorted = sort.field === field;
              return (
                <span
                  role="columnheader"
                  key={field}
                  id={cellId(-1, index + 1)}
                  className={isActive(-1, index + 1) ? 'active' : undefined}
                  aria-sort={sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {isSortable(props.type, field) ? (
                    <button type="button" tabIndex={-1} onClick={() => sortBy(field)}>
                      {label} {sorted ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                    </button>
                  ) : (
                    label
                  )}
                </span>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            const style = { position: 'absolute', top: item.start - ROW_HEIGHT, left: 0, right: 0 } as const;
            if (!row) {
              return (
                <div key="loading" role="row" className="table-row muted" style={style}>
                  <span role="gridcell">Loading more…</span>
                </div>
              );
            }
            return (
              <LibraryRow
                key={String(row.id)}
                row={row}
                index={item.index}
                top={item.start - ROW_HEIGHT}
                template={template}
                columns={columns}
                titleField={descriptor.titleField}
                gridId={gridId}
                selected={selected.has(String(row.id))}
                current={editor?.id === String(row.id)}
                activeCol={keys.active.row === item.index ? keys.active.col : null}
                linkTitle={linkTitle}
                namesake={namesakes.get(String(row.id))}
                onClick={onRowClick}
                onToggle={toggle}
              />
            );
          })}
        </div>
      </div>
    </>
  );
}

function cellIdOf(gridId: string, row: number, col: number): string {
  return `${gridId}-${row < 0 ? 'h' : `r${row}`}-c${col}`;
}

/** A stable function that always calls the latest `fn` (for handlers handed to memoized rows). */
function useLatest<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}

/**
 * One row of the grid. Memoized: a changed entry patched into its list page (issue 16) gives
 * only that row a new `row` object, so only that row renders again.
 */
const LibraryRow = memo(function LibraryRow(props: {
  row: Record<string, unknown>;
  index: number;
  top: number;
  template: string;
  columns: string[];
  titleField: string;
  gridId: string;
  selected: boolean;
  current: boolean;
  /** The active column when this row holds the grid's active cell. */
  activeCol: number | null;
  linkTitle: (field: string, value: unknown) => string | null;
  /** What tells this row from a loaded row of the same name, if there is one. */
  namesake: string | undefined;
  onClick: (index: number) => void;
  onToggle: (id: string) => void;
}) {
  const { row, index, columns } = props;
  const id = String(row.id);
  const title = String(row[props.titleField] ?? '');
  const activeClass = (col: number) => (props.activeCol === col ? 'active' : undefined);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={props.selected}
      aria-current={props.current ? 'true' : undefined}
      className={props.activeCol !== null ? 'table-row active-row' : 'table-row'}
      style={{ position: 'absolute', top: props.top, left: 0, right: 0, gridTemplateColumns: props.template }}
      onClick={() => props.onClick(index)}
    >
      <span
        role="gridcell"
        id={cellIdOf(props.gridId, index, 0)}
        className={activeClass(0)}
        onClick={(event) => event.stopPropagation()}
      >
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={`Select ${withNamesakeDetail(title, props.namesake)}`}
          checked={props.selected}
          onChange={() => props.onToggle(id)}
        />
      </span>
      {columns.map((field, col) => (
        <span role="gridcell" key={field} id={cellIdOf(props.gridId, index, col + 1)} className={activeClass(col + 1)}>
          {props.linkTitle(field, row[field]) ?? describeValue(row[field])}
          {field === props.titleField ? <NamesakeDetail detail={props.namesake} /> : null}
          {field === props.titleField && row.deletedAt ? <span className="muted"> (in trash)</span> : null}
        </span>
      ))}
    </div>
  );
});
