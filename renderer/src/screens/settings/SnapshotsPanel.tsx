import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { RoleLostAlert } from '../../components/RoleLostAlert';
import { RestorePreviewList } from '../transfer/RestorePreviewList';
import { SnapshotTable, takenAt as taken, type Snapshot } from './SnapshotTable';

/**
 * The automatic safety snapshots (kept: the last 10, one a day for a week,
 * and the last two before an update). Restoring one takes two clicks: pick it, confirm its preview. The
 * catalog becomes exactly the snapshot; a snapshot of the state before is
 * taken first, so this too can be undone.
 */
export function SnapshotsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const restoring = usePermission('restoreBackup');
  const snapshots = useQuery(trpc.backup.snapshots.queryOptions());
  const preview = useMutation(trpc.backup.previewRestore.mutationOptions());
  const restore = useMutation(trpc.backup.restore.mutationOptions());
  const [picked, setPicked] = useState<Snapshot | null>(null);
  const isAdmin = restoring.allowed;
  const pick = (snapshot: Snapshot) => {
    restore.reset();
    setPicked(snapshot);
    preview.mutate({ snapshotId: snapshot.id });
  };
  const close = () => {
    setPicked(null);
    preview.reset();
  };
  return (
    <section aria-labelledby="snapshots-heading" className="card">
      <h3 id="snapshots-heading">Safety snapshots</h3>
      <p className="muted">
        Taken automatically every day, before a restore, an import, a purge or an update of the data format. Kept: the
        last 10, one a day for a week, and the last two taken before an update.
      </p>
      {restoring.reason ? <p className="muted">{restoring.reason}</p> : null}
      <ErrorText error={snapshots.error} />
      <SnapshotTable snapshots={snapshots.data} disabled={!isAdmin} onRestore={pick} />
      <Dialog title="Restore this snapshot?" open={picked !== null} onClose={close}>
        {restore.data ? (
          <>
            <p role="status">
              The catalog is back to the snapshot of {picked ? taken(picked) : ''}. The state just before is a new
              snapshot in the list.
            </p>
            <button type="button" className="btn" onClick={close}>
              Close
            </button>
          </>
        ) : (
          <>
            <p>
              The catalog becomes exactly as it was {picked ? `on ${taken(picked)}` : ''}: newer versions are replaced
              and entries created since go to the trash. A snapshot of the current state is taken first.
            </p>
            {preview.data ? <RestorePreviewList preview={preview.data} mode="exact" /> : null}
            {preview.isPending ? <p className="muted">Comparing the snapshot with this profile…</p> : null}
            {/* The role follows the server live: an admin made an editor while this is open is told, not offered the restore. */}
            <RoleLostAlert reason={restoring.reason} nothing="restored" busy={restore.isPending} />
            <ErrorText error={preview.error ?? restore.error} />
            <div className="toolbar" style={{ marginTop: 12 }}>
              <button
                type="button"
                className="btn danger"
                disabled={!preview.data || restore.isPending || !isAdmin}
                onClick={() =>
                  isAdmin &&
                  picked &&
                  preview.data &&
                  restore.mutate(
                    { snapshotId: picked.id, token: preview.data.token, mode: 'exact' },
                    {
                      onSuccess: () => void queryClient.invalidateQueries(),
                      onError: () => preview.mutate({ snapshotId: picked.id }),
                    },
                  )
                }
              >
                Restore snapshot
              </button>
              <button type="button" className="btn" onClick={close} disabled={restore.isPending}>
                Cancel
              </button>
            </div>
          </>
        )}
      </Dialog>
    </section>
  );
}
