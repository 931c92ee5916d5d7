import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../api/client';
import { ErrorText } from './ErrorText';

/** While the database check runs in the background (a big profile, after it opened), its result is read this often. */
const READ_WHILE_RUNNING_MS = 2_000;

/** The background database check found damage: say so at once, with the way to the recovery tools. */
export function IntegrityNotice() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const lastCheck = useQuery({
    ...trpc.recovery.lastCheck.queryOptions(),
    refetchInterval: (query) => (query.state.data?.running ? READ_WHILE_RUNNING_MS : false),
  });
  // The core is in recovery now: every query reads again, and the profile gate shows the recovery screen.
  const open = useMutation(
    trpc.recovery.openRecoveryTools.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const report = lastCheck.data?.report;
  if (!report || report.ok) return null;
  return (
    <div role="alert" aria-label="Database damage" className="notice">
      The database check found damage: open the recovery tools.{' '}
      <button type="button" className="btn" disabled={open.isPending} onClick={() => open.mutate()}>
        Open the recovery tools
      </button>
      <ErrorText error={open.error} />
    </div>
  );
}
