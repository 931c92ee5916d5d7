import { useQueries } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { linkColumns } from './columns';

/**
 * Names of the entries that the shown link columns point at, looked up once
 * per loaded page. Returns, for a cell, its names joined (null for a column
 * that is not a link); an id not (yet) named shows as "…".
 */
export function useLinkTitles(type: EntityType, columns: string[], pages: readonly (readonly object[])[]) {
  const trpc = useTRPC();
  const links = linkColumns(type, columns);
  const titles = useQueries({
    queries: pages.map((items) => {
      const refs = links.map((link) => ({
        type: link.target,
        ids: [...new Set(items.flatMap((item) => idsOf((item as Record<string, unknown>)[link.field])))],
      }));
      return {
        ...trpc.links.titles.queryOptions({ refs }),
        enabled: refs.some((ref) => ref.ids.length > 0),
        staleTime: 30_000,
      };
    }),
    combine: joinTitles,
  });
  // Stable while the names and columns stay the same, so memoized rows do not render again for nothing.
  const linkedFields = links.map((link) => link.field).join('\n');
  return useCallback(
    (field: string, value: unknown): string | null => {
      if (!linkedFields.split('\n').includes(field)) return null;
      const ids = idsOf(value);
      if (ids.length === 0) return '—';
      return ids.map((id) => titles[id] ?? '…').join(', ');
    },
    [titles, linkedFields],
  );
}

/** Module-level, so useQueries keeps its result while the pages' names stay the same. */
function joinTitles(results: { data?: Record<string, string> }[]): Record<string, string> {
  return Object.assign({}, ...results.map((result) => result.data ?? {})) as Record<string, string>;
}

function idsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
