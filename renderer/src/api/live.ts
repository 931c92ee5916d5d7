import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useUi } from '../state/ui-store';
import { useTRPC } from './client';
import { followsChanges, patchLists, refreshAllButEntries, type EntryChange } from './live-lists';

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
  // Settings are local and write no audit entry; another window's save arrives here. The theme chosen in
  // another window applies here too ('system' is the default nobody chose: this window keeps its own).
  const settingsKey = trpc.settings.get.queryKey();
  useSubscription(
    trpc.settings.onChange.subscriptionOptions(undefined, {
      onData: (settings) => {
        queryClient.setQueryData(settingsKey, settings);
        if (settings.theme !== 'system' && settings.theme !== useUi.getState().theme) {
          useUi.getState().setTheme(settings.theme);
        }
      },
    }),
  );
  // Saved views, like settings, write no audit entry: one saved or deleted in another window arrives here.
  useSubscription(
    trpc.views.onChange.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries({ queryKey: trpc.views.list.queryKey() }),
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
