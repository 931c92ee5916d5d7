import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, createWSClient, wsLink, type TRPCLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from './app-router';
import { browserModeSocketUrl, browserModeToken, reloadOnNewTokenInAddress } from './connection';
import { hasIpcBridge, ipcLink } from './ipc-link';

/** True while the browser-mode WebSocket is not open; the shell shows it in words. */
export type TransportState = 'ipc' | 'connecting' | 'open' | 'closed';

let transportListener: ((state: TransportState) => void) | null = null;
let transportState: TransportState = 'connecting';

export function onTransportState(listener: (state: TransportState) => void): () => void {
  transportListener = listener;
  listener(transportState);
  return () => {
    transportListener = null;
  };
}

function setTransportState(state: TransportState): void {
  transportState = state;
  transportListener?.(state);
}

/** IPC inside the Electron window (the preload is present), the WebSocket of browser mode otherwise. */
function terminatingLink(): TRPCLink<AppRouter> {
  if (hasIpcBridge()) {
    setTransportState('ipc');
    return ipcLink<AppRouter>();
  }
  const token = browserModeToken();
  reloadOnNewTokenInAddress();
  const client = createWSClient({
    url: browserModeSocketUrl(token),
    retryDelayMs: (attempt) => Math.min(500 * 2 ** attempt, 5000),
    onOpen: () => {
      // Back after the host restarted: subscriptions resume by themselves, but answers that
      // failed while it was gone are refetched.
      if (transportState === 'closed') void queryClient.invalidateQueries();
      setTransportState('open');
    },
    onClose: () => setTransportState('closed'),
  });
  return wsLink<AppRouter>({ client });
}

export const trpcClient = createTRPCClient<AppRouter>({ links: [terminatingLink()] });

export const queryClient = new QueryClient({
  defaultOptions: {
    // Local data: no refetch storms; live subscriptions invalidate what changed.
    queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false },
  },
});

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
