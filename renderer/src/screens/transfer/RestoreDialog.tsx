import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
import type { Outputs } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { RadioChoice } from '../../components/RadioChoice';
import { RoleLostAlert } from '../../components/RoleLostAlert';
import { TypedConfirmation } from '../../components/TypedConfirmation';
import { counted } from '../../lib/words';
import { RestorePreviewList } from './RestorePreviewList';

const EXACT_WORD = 'REPLACE';

type Preview = Outputs['backup']['previewRestore'];

/**
 * The question after a backup file is picked: its preview, the default that
 * keeps newer versions, and "make it exactly the backup" behind a typed word.
 */
export function RestoreDialog(props: {
  pending: { content: string; fileName: string; preview: Preview } | null;
  onClose: () => void;
  onPreviewChanged: (preview: Preview) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'keep-newer' | 'exact'>('keep-newer');
  const [typed, setTyped] = useState('');
  const restore = useMutation(trpc.backup.restore.mutationOptions());
  const preview = useMutation(trpc.backup.previewRestore.mutationOptions());
  // The role follows the server live: an admin made an editor while this is open is told, not offered the restore.
  const restoring = usePermission('restoreBackup');
  const close = () => {
    setMode('keep-newer');
    setTyped('');
    restore.reset();
    props.onClose();
  };
  const pending = props.pending;
  const ready = mode === 'keep-newer' || typed === EXACT_WORD;
  const done = restore.data;
  return (
    <Dialog title="Restore this backup?" open={pending !== null} onClose={close}>
      {done ? (
        <>
          <p role="status">
            Restored: {done.entities.inserted} new, {done.entities.updated} updated, {done.entities.unchanged}{' '}
            unchanged, {done.entities.keptNewer} kept because newer here, {done.entities.trashed} moved to the trash;{' '}
            {counted(done.audit.inserted, 'audit entry', 'audit entries')} added. The state before is kept as a safety
            snapshot (Settings).
          </p>
          <button type="button" className="btn" onClick={close}>
            Close
          </button>
        </>
      ) : pending ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!ready || !restoring.allowed) return;
            restore.mutate(
              { content: pending.content, token: pending.preview.token, mode },
              {
                onSuccess: () => void queryClient.invalidateQueries(),
                // A stale preview is refused: show the current one to confirm again.
                onError: () =>
                  preview.mutate({ content: pending.content }, { onSuccess: (next) => props.onPreviewChanged(next) }),
              },
            );
          }}
        >
          <p>
            From <strong>{pending.fileName}</strong>. A safety snapshot of this profile is taken first.
          </p>
          <RestorePreviewList preview={pending.preview} mode={mode} />
          <fieldset>
            <legend>How to restore</legend>
            <RadioChoice name="restore-mode" checked={mode === 'keep-newer'} onSelect={() => setMode('keep-newer')}>
              Keep newer versions here (recommended)
            </RadioChoice>
            <RadioChoice name="restore-mode" checked={mode === 'exact'} onSelect={() => setMode('exact')}>
              Make it exactly the backup: replace newer versions, move entries not in the file to the trash
            </RadioChoice>
          </fieldset>
          {mode === 'exact' ? <TypedConfirmation word={EXACT_WORD} value={typed} onChange={setTyped} /> : null}
          <RoleLostAlert reason={restoring.reason} nothing="restored" busy={restore.isPending} />
          <ErrorText error={restore.error} />
          <div className="toolbar" style={{ marginTop: 12 }}>
            <button
              type="submit"
              className={mode === 'exact' ? 'btn danger' : 'btn primary'}
              disabled={!ready || restore.isPending || !restoring.allowed}
            >
              Restore
            </button>
            <button type="button" className="btn" onClick={close} disabled={restore.isPending}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
