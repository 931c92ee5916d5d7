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
 */
export function useGridKeys(options: {
  rowCount: number;
  colCount: number;
  onOpen: (row: number) => void;
  onToggle: (row: number) => void;
  onHeader: (col: number) => void;
  /** Brings a row into view (virtualized lists render only what is visible). */
  reveal: (row: number) => void;
}) {
  const [active, setActive] = useState<GridCell>({ row: 0, col: 1 });
  const lastRow = Math.max(options.rowCount - 1, -1);
  const clamp = (cell: GridCell): GridCell => ({
    row: Math.min(Math.max(cell.row, -1), lastRow),
    col: Math.min(Math.max(cell.col, 0), options.colCount - 1),
  });
  // The list may shrink under the active cell (filters, deletes): keep it inside.
  const current = clamp(active);

  const move = (cell: GridCell) => {
    const next = clamp(cell);
    setActive(next);
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
