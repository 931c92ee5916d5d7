import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../../api/client';
import { downloadExport, exportedFileHref } from '../../api/exported-file';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText } from '../../components/ErrorText';
import { TypedConfirmation } from '../../components/TypedConfirmation';
import { describeConsequence, whoIs, type TeamUser } from './user-change';

/**
 * Erasure (GDPR): the server replaces the person's name with a pseudonym in every replicated document and
 * in its audit, ends their sessions and removes the account. Permanent, so the admin first gets the offer
 * to download the person's data (the server's export) and then types the user name.
 */
export function EraseUserDialog(props: { user: TeamUser; onClose: () => void }) {
  const { user } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const preview = useMutation(trpc.team.removeUser.mutationOptions());
  const exported = useMutation(
    trpc.team.exportUser.mutationOptions({ onSuccess: (file) => downloadExport(file.filePath) }),
  );
  const erase = useMutation(
    trpc.team.removeUser.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
        props.onClose();
      },
    }),
  );
  const { mutate: askServer } = preview;
  useEffect(() => askServer({ id: user.id, confirm: '', dryRun: true }), [askServer, user.id]);
  const file = exported.data;
  const href = file ? exportedFileHref(file.filePath) : null;
  return (
    <ConfirmDialog
      title={`Erase ${user.username}?`}
      confirmLabel={`Erase ${user.username}`}
      // The server's dry run answers first: an erasure it refuses (the last enabled admin) is not offered.
      busy={erase.isPending || !preview.data || typed !== user.username}
      error={preview.error ?? erase.error}
      onConfirm={() => erase.mutate({ id: user.id, confirm: typed })}
      onCancel={props.onClose}
    >
      <p>
        {whoIs(user)} will be removed from the server. Their name becomes{' '}
        {preview.data ? `“${preview.data.pseudonym}”` : 'a pseudonym'} in every synced entry’s history and in the server
        audit, on every device after its next sync.{' '}
        {preview.data ? describeConsequence(whoIs(user), preview.data.consequence) : ''} This cannot be undone.
      </p>
      <div className="toolbar">
        <button
          type="button"
          className="btn"
          disabled={exported.isPending}
          onClick={() => exported.mutate({ id: user.id })}
        >
          Download the data of {user.username} first
        </button>
        {file ? (
          <span role="status">
            Exported {file.bytes.toLocaleString()} bytes.{' '}
            {href ? <a href={href}>Download again</a> : <>Saved to {file.filePath}</>}
          </span>
        ) : null}
      </div>
      <ErrorText error={exported.error} />
      <TypedConfirmation word={user.username} value={typed} onChange={setTyped} />
    </ConfirmDialog>
  );
}
