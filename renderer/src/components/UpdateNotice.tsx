import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/client';
import { updateNotice } from '../lib/update-notice';
import { ErrorText } from './ErrorText';

/** The update is looked for in the background; the notice reads where it stands this often. */
const READ_EVERY_MS = 15_000;

/** "Restart to update", and "too old for the server" with the way out (desktop app only). */
export function UpdateNotice() {
  const trpc = useTRPC();
  const update = useQuery({ ...trpc.updates.state.queryOptions(), refetchInterval: READ_EVERY_MS });
  const restart = useMutation(trpc.updates.restart.mutationOptions({ onSettled: () => void update.refetch() }));
  const notice = updateNotice(update.data ?? null);
  if (!notice) return null;
  return (
    <div role="status" aria-label="Update" className="notice">
      {notice.text}{' '}
      {notice.restart ? (
        <button type="button" className="btn" disabled={restart.isPending} onClick={() => restart.mutate()}>
          Restart to update
        </button>
      ) : null}
      <ErrorText error={restart.error} />
    </div>
  );
}
