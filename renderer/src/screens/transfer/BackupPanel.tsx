import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, useTRPCClient } from '../../api/client';
import { downloadExport } from '../../api/exported-file';
import { ErrorText } from '../../components/ErrorText';
import { ExportResult } from '../../components/ExportResult';
import { Progress } from '../../components/Progress';

/** The whole catalog plus the audit to one file, and back. */
export function BackupPanel() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ filePath: string; rows: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const restore = useMutation(
    trpc.backup.restore.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const backup = () => {
    setResult(null);
    setError(null);
    setProgress({ done: 0, total: 0 });
    const subscription = client.backup.export.subscribe(undefined, {
      onData: (event) => {
        if (event.type === 'progress') return setProgress({ done: event.done, total: event.total });
        setProgress(null);
        setResult({ filePath: event.filePath, rows: event.rows });
        downloadExport(event.filePath);
        subscription.unsubscribe();
      },
      onError: (failure) => {
        setProgress(null);
        setError(failure);
      },
    });
  };
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
