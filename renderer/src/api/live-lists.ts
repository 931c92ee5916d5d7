import type { InfiniteData, Query, QueryClient } from '@tanstack/react-query';
import type { Inputs, Outputs } from './types';

/*
 * How a changed entry pushed by the core (`entities.onChanges`) reaches the queries on screen
 * without reading them again (issue 16). Pure functions over the query cache; the subscriptions
 * that call them are in live.ts.
 */

type ListInput = Inputs['entities']['list'];
type ListPage = Outputs['entities']['list'];
type Entry = ListPage['items'][number];
/** What `entities.onChanges` pushes: one entry as written, null once deleted permanently. */
export interface EntryChange {
  type: ListInput['type'];
  id: string;
  document: Entry | null;
}

/** The tRPC procedure path a query key belongs to (tRPC keys start with it: [['entities', 'list'], ...]). */
function pathOf(query: Query): string {
  const [path] = query.queryKey as [unknown];
  return Array.isArray(path) ? path.join('.') : '';
}

/** The queries `entities.onChanges` keeps current by itself: open entries and list pages. */
export function followsChanges(query: Query): boolean {
  const path = pathOf(query);
  return path === 'entities.get' || path === 'entities.list';
}

/**
 * Refreshes every query on screen except those `entities.onChanges` patches in place (a save here,
 * or an audit entry from anywhere: history, audit, search, linked names, ... read what changed).
 */
export function refreshAllButEntries(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (query) => !followsChanges(query) });
}

/**
 * Puts one changed entry into the list pages that hold it, in place (only its row re-renders), and
 * has a list fetched again where the change may add, remove or move rows: the entry is not in it
 * (created, or now matching), it was deleted, or a field the list sorts or filters by changed.
 */
export function patchLists(queryClient: QueryClient, change: EntryChange): void {
  const lists = queryClient
    .getQueryCache()
    .findAll({ predicate: (query) => pathOf(query) === 'entities.list' && inputOf(query)?.type === change.type });
  for (const query of lists) {
    const data = query.state.data as InfiniteData<ListPage> | undefined;
    const before = data?.pages.flatMap((page) => page.items).find((item) => item.id === change.id);
    const input = inputOf(query)!;
    const after = change.document;
    // Patched first: setQueryData would clear an invalidation made before it.
    if (data && before) {
      queryClient.setQueryData<InfiniteData<ListPage>>(query.queryKey, {
        ...data,
        pages: data.pages.map((page) =>
          page.items.some((item) => item.id === change.id)
            ? {
                ...page,
                items: after
                  ? page.items.map((item) => (item.id === change.id ? after : item))
                  : page.items.filter((item) => item.id !== change.id),
              }
            : page,
        ),
      });
    }
    if (!data || !before || !after || reorders(input, before, after)) {
      void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
  }
}

function inputOf(query: Query): ListInput | undefined {
  return (query.queryKey[1] as { input?: ListInput } | undefined)?.input;
}

/** True when the change may move the entry within the list or out of it. */
function reorders(input: ListInput, before: Entry, after: Entry): boolean {
  const record = (entry: Entry) => entry as unknown as Record<string, unknown>;
  const changed = (field: string) => JSON.stringify(record(before)[field]) !== JSON.stringify(record(after)[field]);
  // Without a sort the core picks the order: any change may move the row.
  if (!input.sort) return true;
  return ['deletedAt', input.sort.field, ...Object.keys(input.filters ?? {})].some(changed);
}
