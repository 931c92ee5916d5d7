import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent, RefObject } from 'react';

/**
 * The rows of a long list that its scroll box shows (and a few around), with the height of those above and
 * below for spacers: 100,000 waiting changes would otherwise be 100,000 elements in the page, built again at
 * every change of the list. Rows are measured as they show (`measure` on each, with `data-index`), since
 * their text may wrap. `scrollBox` is the element that scrolls them; its End and Home keys go to the last
 * and the first row (`onKeyDown`), which the browser's own would miss while rows not yet shown are estimated.
 */
export function useWindowedRows(scrollBox: RefObject<HTMLElement | null>, count: number, estimatedRowHeight: number) {
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions each render by design; callers are not memoized.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollBox.current,
    estimateSize: () => estimatedRowHeight,
    overscan: 10,
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows[rows.length - 1];
  return {
    rows,
    /** Heights of the rows not in the page, above and below those shown. */
    before: rows[0]?.start ?? 0,
    after: last ? virtualizer.getTotalSize() - last.end : 0,
    measure: virtualizer.measureElement,
    onKeyDown(event: KeyboardEvent) {
      if (count === 0 || (event.key !== 'End' && event.key !== 'Home')) return;
      event.preventDefault();
      if (event.key === 'End') virtualizer.scrollToIndex(count - 1, { align: 'end' });
      else virtualizer.scrollToIndex(0, { align: 'start' });
    },
  };
}
