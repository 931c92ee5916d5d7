import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, useTRPCClient } from '../../api/client';
import { usePermission } from '../../api/permissions';
import type { Outputs } from '../../api/types';
import { useStreamedExport } from '../../api/use-streamed-export';
import { ErrorText } from '../../components/ErrorText';
import { ExportStatus } from '../../components/ExportStatus';
import { RestoreDialog } from './RestoreDialog';

type Pending = { content: string; fileName: string; preview: Outputs['backup']['previewRestore'] };

/** The whole catalog plus the audit to one file, and back: a picked file is previewed, never restored blind. */
export function BackupPanel() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const restoring = usePermission('restoreBackup');
  const exporting = useStreamedExport();
  const { progress, start } = exporting;
  const preview = useMutation(trpc.backup.previewRestore.mutationOptions());
  const [pending, setPending] = useState<Pending | null>(null);
  const backup = () => start((handlers) => client.backup.export.subscribe(undefined, handlers));
  const isAdmin = restoring.allowed;
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
            disabled={!isAdmin || preview.isPending}
            onChange={async (event) => {
              const picked = event.target.files?.[0];
              event.target.value = '';
              if (!picked) return;
              const content = await picked.text();
              preview.mutate(
                { content },
                { onSuccess: (next) => setPending({ content, fileName: picked.name, preview: next }) },
              );
            }}
          />
        </label>
        {restoring.reason ? <span className="muted">{restoring.reason}</span> : null}
      </div>
      {preview.isPending ? <p className="muted">Comparing the backup with this profile…</p> : null}
      <ExportStatus label="Backing up" state={exporting} />
      <ErrorText error={preview.error} />
      <RestoreDialog
        pending={pending}
        onClose={() => setPending(null)}
        onPreviewChanged={(next) => setPending((current) => current && { ...current, preview: next })}
      />
    </section>
  );
}
