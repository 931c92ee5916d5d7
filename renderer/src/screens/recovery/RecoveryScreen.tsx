import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText } from '../../components/ErrorText';
import { ExportResult } from '../../components/ExportResult';
import { SnapshotTable, takenAt as taken, type Snapshot } from '../settings/SnapshotTable';

type Action = { kind: 'snapshot'; snapshot: Snapshot } | { kind: 'rebuild' };

/**
 * Shown instead of the app when the profile's database failed its check at
 * open. Three ways out: export what can still be read, restore an automatic
 * snapshot, or rebuild from the sync server. The damaged file is kept aside.
 */
export function RecoveryScreen(props: { problems: string[]; keyMissing: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const snapshots = useQuery(trpc.recovery.snapshots.queryOptions());
  const exported = useMutation(trpc.recovery.exportReadable.mutationOptions());
  const done = { onSuccess: () => void queryClient.invalidateQueries() };
  const restore = useMutation(trpc.recovery.restoreSnapshot.mutationOptions(done));
  const rebuild = useMutation(trpc.recovery.rebuildFromServer.mutationOptions(done));
  const [asked, setAsked] = useState<Action | null>(null);
  const busy = restore.isPending || rebuild.isPending;
  return (
    <main className="screen" aria-label="recovery" style={{ maxWidth: 760, margin: '0 auto' }}>
      <h1>Curio</h1>
      <h2>This profile needs recovery</h2>
      {props.keyMissing ? (
        <p>
          This profile&apos;s database is encrypted and its key is missing: the OS keyring that holds it is locked, was
          reset, or this is another computer. The file is not damaged, and nothing has been changed or deleted. Unlock
          the keyring and restart Curio; otherwise the ways below keep the encrypted file aside.
        </p>
      ) : (
        <p>
          The check at start found damage in this profile&apos;s database, so Curio did not open it. Nothing has been
          changed or deleted. The damaged file is kept aside whichever way you choose.
        </p>
      )}
      <details>
        <summary>What the check found</summary>
        <ul>
          {props.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      </details>

      <section className="card" aria-labelledby="export-readable">
        <h3 id="export-readable">1. Export everything readable</h3>
        <p className="muted">A backup file of every entry that can still be read; rows that cannot are counted.</p>
        <button type="button" className="btn" disabled={exported.isPending} onClick={() => exported.mutate()}>
          {exported.isPending ? 'Reading…' : 'Export readable entries'}
        </button>
        {exported.data ? (
          <p>
            <ExportResult filePath={exported.data.filePath} rows={exported.data.rows} />{' '}
            {exported.data.skipped > 0
              ? `${exported.data.skipped.toLocaleString()} rows could not be read and were skipped.`
              : 'No row was skipped.'}
          </p>
        ) : null}
        <ErrorText error={exported.error} />
      </section>

      <section className="card" aria-labelledby="restore-snapshot">
        <h3 id="restore-snapshot">2. Restore an automatic snapshot</h3>
        <ErrorText error={snapshots.error} />
        <SnapshotTable
          snapshots={snapshots.data}
          disabled={busy}
          onRestore={(snapshot) => setAsked({ kind: 'snapshot', snapshot })}
        />
      </section>

      <section className="card" aria-labelledby="rebuild">
        <h3 id="rebuild">3. Rebuild from the server</h3>
        <p className="muted">
          A fresh copy of the team&apos;s catalog from the sync server; changes made here that never reached it are
          carried over where they can be read.
        </p>
        <button type="button" className="btn" disabled={busy} onClick={() => setAsked({ kind: 'rebuild' })}>
          Rebuild from the server…
        </button>
      </section>

      {asked ? (
        <ConfirmDialog
          title={asked.kind === 'rebuild' ? 'Rebuild from the server?' : 'Restore this snapshot?'}
          confirmLabel={busy ? 'Working…' : asked.kind === 'rebuild' ? 'Rebuild' : 'Restore snapshot'}
          busy={busy}
          error={restore.error ?? rebuild.error}
          onCancel={() => setAsked(null)}
          onConfirm={() =>
            asked.kind === 'rebuild' ? rebuild.mutate() : restore.mutate({ snapshotId: asked.snapshot.id })
          }
        >
          <p>
            {asked.kind === 'rebuild'
              ? 'The damaged file is moved aside (not deleted), a fresh store is filled from the server, then your unsent changes that can still be read are written again. This waits for the server.'
              : `The damaged file is moved aside (not deleted) and the catalog becomes the snapshot of ${taken(asked.snapshot)}. Changes made after it are only in the damaged file and the readable export.`}
          </p>
        </ConfirmDialog>
      ) : null}
    </main>
  );
}
