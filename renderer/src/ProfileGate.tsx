import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './api/client';
import { ConnectionNotice } from './components/ConnectionNotice';
import { ErrorText } from './components/ErrorText';
import { RecoveryScreen } from './screens/recovery/RecoveryScreen';
import { Shell } from './Shell';

/**
 * The app, or the recovery screen when the profile failed its check at open.
 * NOTE: until the core answers, the page may lack its launch secret (browser
 * mode); the connection notice says so here, as the Shell does once open.
 */
export function ProfileGate() {
  const trpc = useTRPC();
  const status = useQuery(trpc.recovery.status.queryOptions());
  if (status.data && !status.data.damaged) return <Shell />;
  return (
    <>
      <ConnectionNotice />
      {status.error ? (
        <ErrorText error={status.error} />
      ) : status.data ? (
        <RecoveryScreen problems={status.data.report.problems} keyMissing={status.data.report.keyMissing === true} />
      ) : (
        <p className="muted">Opening…</p>
      )}
    </>
  );
}
