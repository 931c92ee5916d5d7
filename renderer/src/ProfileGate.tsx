import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './api/client';
import { ErrorText } from './components/ErrorText';
import { RecoveryScreen } from './screens/recovery/RecoveryScreen';
import { Shell } from './Shell';

/** The app, or the recovery screen when the profile failed its check at open. */
export function ProfileGate() {
  const trpc = useTRPC();
  const status = useQuery(trpc.recovery.status.queryOptions());
  if (status.error) return <ErrorText error={status.error} />;
  if (!status.data) return <p className="muted">Opening…</p>;
  return status.data.damaged ? <RecoveryScreen problems={status.data.report.problems} /> : <Shell />;
}
