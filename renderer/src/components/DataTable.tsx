import type { HTMLAttributes, ReactNode } from 'react';

/** One column of a {@link DataTable}: its header and how a row fills its cell. */
export interface Column<Row> {
  /** The header text; also the column's key, so unique within a table. */
  header: string;
  /** Keep the header for screen readers only (e.g. a selection checkbox column). */
  headerHidden?: boolean;
  cell: (row: Row) => ReactNode;
  className?: string;
}

/**
 * A plain, non-virtualized table described by its columns. `rows` undefined
 * means "not loaded yet": the headers show without a notice. With `empty`,
 * a loaded but empty list shows that notice instead of the table.
 * NOTE: the library list is virtualized (a grid of divs) and keeps its own
 * markup; this serves the short lists of the other screens.
 */
export function DataTable<Row>(props: {
  /** The table's accessible name. */
  label: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[] | undefined;
  rowKey: (row: Row, index: number) => string | number;
  rowProps?: (row: Row) => HTMLAttributes<HTMLTableRowElement>;
  empty?: ReactNode;
}) {
  const { columns, rows = [] } = props;
  if (props.rows && rows.length === 0 && props.empty) return <p className="notice">{props.empty}</p>;
  return (
    <table className="plain" aria-label={props.label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column.header} className={column.className}>
              {column.headerHidden ? <span className="visually-hidden">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={props.rowKey(row, index)} {...props.rowProps?.(row)}>
            {columns.map((column) => (
              <td key={column.header} className={column.className}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
