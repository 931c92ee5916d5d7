import type { InfiniteData, Query, QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from './client';
import type { Inputs, Outputs } from './types';

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
function followsChanges(query: Query): boolean {
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
    if (!data || !before || !change.document || reorders(input, before, change.document)) {
      void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
    if (!data || !before) continue;
    const after = change.document;
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

/**
 * Keeps every screen current when data changes, whoever changed it (this window,
 * another window, or a change pulled from the server). A changed entry is pushed by
 * the core and written straight into the open editor's query and the list pages on
 * screen (no refetch round trip, issue 16); the audit entry every write appends
 * refreshes the rest (history, audit, search, linked names).
 * NOTE: each subscription's first event is the current state; refreshing once then
 * is cheap and keeps this free of "first event" bookkeeping.
 */
export function useLiveUpdates(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const countsKey = trpc.entities.counts.queryKey();
  useSubscription(
    trpc.entities.onCounts.subscriptionOptions(undefined, {
      onData: (counts) => queryClient.setQueryData(countsKey, counts),
    }),
  );
  useSubscription(
    trpc.entities.onChanges.subscriptionOptions(undefined, {
      // Changes made while the subscription was down are not replayed: read the entries again.
      onStarted: () => void queryClient.invalidateQueries({ predicate: followsChanges }),
      onData: (change) => {
        const { type, id, document } = change as EntryChange;
        const key = trpc.entities.get.queryKey({ type, id });
        if (document && queryClient.getQueryData(key) !== undefined) queryClient.setQueryData(key, document as never);
        patchLists(queryClient, change as EntryChange);
      },
    }),
  );
  useSubscription(
    trpc.audit.onQuery.subscriptionOptions(
      { limit: 1 },
      // Every write through the services appends an audit entry, so this fires on every change.
      { onData: () => void refreshAllButEntries(queryClient) },
    ),
  );
}
