import type { Outputs } from '../../api/types';
import { DataTable } from '../../components/DataTable';

export type Snapshot = Outputs['backup']['snapshots'][number];

const REASONS: Record<Snapshot['reason'], string> = {
  'before-restore': 'Before a restore',
  'before-import': 'Before an import',
  'before-purge': 'Before a purge',
  scheduled: 'Daily',
  'before-migration': 'Before an update of the data format',
};

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** When a snapshot was taken, in the reader's locale. */
export const takenAt = (snapshot: Snapshot) => new Date(snapshot.takenAt).toLocaleString();

/** The automatic snapshots with a Restore… button each (Settings, and the recovery screen). */
export function SnapshotTable(props: {
  snapshots: Snapshot[] | undefined;
  disabled: boolean;
  onRestore: (snapshot: Snapshot) => void;
}) {
  return (
    <DataTable
      label="Safety snapshots"
      rows={props.snapshots}
      rowKey={(snapshot) => snapshot.id}
      empty="No snapshots yet."
      columns={[
        { header: 'Taken', cell: takenAt },
        { header: 'Why', cell: (snapshot) => REASONS[snapshot.reason] },
        { header: 'Entries', cell: (snapshot) => snapshot.entries ?? '—' },
        { header: 'Size', cell: (snapshot) => size(snapshot.sizeBytes) },
        {
          header: 'Actions',
          cell: (snapshot) => (
            <button
              type="button"
              className="btn"
              disabled={props.disabled}
              aria-label={`Restore the snapshot of ${takenAt(snapshot)}`}
              onClick={() => props.onRestore(snapshot)}
            >
              Restore…
            </button>
          ),
        },
      ]}
    />
  );
}
