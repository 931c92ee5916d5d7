import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryClient, TRPCProvider, trpcClient } from './api/client';
import { ProfileGate } from './ProfileGate';
import { useUi } from './state/ui-store';
import './styles.css';

/** Providers for data (TanStack Query over tRPC) and the theme; the shell does the rest. */
export function App() {
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ProfileGate />
      </TRPCProvider>
    </QueryClientProvider>
  );
}
