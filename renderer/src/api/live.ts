import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from './client';

/**
 * Keeps every screen current when data changes, whoever changed it (this window,
 * another window, or a change pulled from the server): the core's live counts and
 * audit subscriptions fire on any write, and the queries on screen are refetched.
 * NOTE: each subscription's first event is the current state; refetching once then
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
  // A changed entry goes straight into an open editor's query (no refetch round trip, issue 16);
  // the audit event below still refreshes lists and everything else.
  useSubscription(
    trpc.entities.onChanges.subscriptionOptions(undefined, {
      onData: ({ type, id, document }) => {
        const key = trpc.entities.get.queryKey({ type, id });
        if (document && queryClient.getQueryData(key) !== undefined) queryClient.setQueryData(key, document as never);
      },
    }),
  );
  useSubscription(
    trpc.audit.onQuery.subscriptionOptions(
      { limit: 1 },
      // Every write through the services appends an audit entry, so this fires on every change.
      { onData: () => void queryClient.invalidateQueries() },
    ),
  );
}
