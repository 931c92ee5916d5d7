import { useState, type KeyboardEvent } from 'react';

/** The active cell; row -1 is the header row, column 0 the selection column. */
export interface GridCell {
  row: number;
  col: number;
}

const PAGE = 10;

/**
 * Keyboard of a data grid, as the WAI-ARIA grid pattern describes it: the grid
 * is one tab stop and arrow keys move the active cell (up from the first row
 * reaches the column headers); Home and End go to the row's first and last
 * cell, Ctrl+Home and Ctrl+End to the first and last row; Page Up and Page
 * Down move ten rows. Space selects the row (on a header: sorts), Enter opens
 * it (on a header: sorts). The active cell is shown through
 * aria-activedescendant, so rows may come and go as the list scrolls.
 * NOTE: the active row is held by its entry's key, not its position: a row that a
 * live change (another person's new entry, a rename that re-sorts) inserts or
 * removes above it must not make Enter open, or Space select, a different entry.
 * Only when the active entry leaves the list does its position decide.
 */
export function useGridKeys(options: {
  /** The key (entry id) of each loaded row, in order. */
  rowKeys: readonly string[];
  colCount: number;
  onOpen: (row: number) => void;
  onToggle: (row: number) => void;
  onHeader: (col: number) => void;
  /** Brings a row into view (virtualized lists render only what is visible). */
  reveal: (row: number) => void;
}) {
  const { rowKeys } = options;
  // `key` names the active row's entry (null on the header row or before the rows load).
  const [active, setActive] = useState<GridCell & { key: string | null }>({ row: 0, col: 1, key: null });
  const lastRow = Math.max(rowKeys.length - 1, -1);
  const clamp = (cell: GridCell): GridCell => ({
    row: Math.min(Math.max(cell.row, -1), lastRow),
    col: Math.min(Math.max(cell.col, 0), options.colCount - 1),
  });
  // The active entry where it is now; gone from the list (filters, deletes), the same position, kept inside.
  const moved = active.key === null ? -1 : rowKeys.indexOf(active.key);
  const current = clamp(moved >= 0 ? { row: moved, col: active.col } : active);

  // The first row is active before any key is pressed: hold it by its entry once the rows are there
  // (state adjusted while rendering, as React advises for state derived from props).
  const unbound = active.key === null && active.row >= 0 ? (rowKeys[active.row] ?? null) : null;
  if (unbound !== null) setActive({ ...active, key: unbound });

  const move = (cell: GridCell) => {
    const next = clamp(cell);
    setActive({ ...next, key: next.row >= 0 ? (rowKeys[next.row] ?? null) : null });
    if (next.row >= 0) options.reveal(next.row);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const { row, col } = current;
    const ctrl = event.ctrlKey || event.metaKey;
    const moves: Record<string, () => GridCell> = {
      ArrowDown: () => ({ row: row + 1, col }),
      ArrowUp: () => ({ row: row - 1, col }),
      ArrowRight: () => ({ row, col: col + 1 }),
      ArrowLeft: () => ({ row, col: col - 1 }),
      PageDown: () => ({ row: Math.max(row, 0) + PAGE, col }),
      PageUp: () => ({ row: Math.max(row - PAGE, 0), col }),
      Home: () => (ctrl ? { row: 0, col } : { row, col: 0 }),
      End: () => (ctrl ? { row: lastRow, col } : { row, col: options.colCount - 1 }),
    };
    const to = moves[event.key];
    if (to) {
      event.preventDefault();
      move(to());
      return;
    }
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    if (row === -1) options.onHeader(col);
    else if (row >= 0 && event.key === ' ') options.onToggle(row);
    else if (row >= 0) options.onOpen(row);
  };

  return { active: current, setActive: move, onKeyDown };
}
