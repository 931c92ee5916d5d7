import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '../../api/client';
import { useStreamedExport } from '../../api/use-streamed-export';
import { ErrorText } from '../../components/ErrorText';
import { ExportResult } from '../../components/ExportResult';
import { Progress } from '../../components/Progress';

/** The whole catalog plus the audit to one file, and back. */
export function BackupPanel() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { progress, result, error, start } = useStreamedExport();
  const restore = useMutation(
    trpc.backup.restore.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const backup = () => start((handlers) => client.backup.export.subscribe(undefined, handlers));
  return (
    <section aria-labelledby="backup-heading" className="card">
      <h3 id="backup-heading">Backup and restore</h3>
      <div className="toolbar">
        <button type="button" className="btn" onClick={backup} disabled={progress !== null}>
          Back up everything
        </button>
        <label>
          Restore from a backup file
          <input
            type="file"
            accept=".json,application/json"
            onChange={async (event) => {
              const picked = event.target.files?.[0];
              if (picked) restore.mutate({ content: await picked.text() });
              event.target.value = '';
            }}
          />
        </label>
      </div>
      {progress ? <Progress label="Backing up" done={progress.done} total={progress.total || null} /> : null}
      {result ? <ExportResult {...result} /> : null}
      {restore.data ? (
        <p role="status">
          Restored: {restore.data.entities.inserted} new, {restore.data.entities.updated} updated,{' '}
          {restore.data.entities.unchanged} unchanged entries; {restore.data.audit.inserted} audit entries.
        </p>
      ) : null}
      <ErrorText error={error ?? restore.error} />
    </section>
  );
}
