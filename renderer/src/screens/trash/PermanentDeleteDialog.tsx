import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { whoDid } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { RoleLostAlert } from '../../components/RoleLostAlert';
import { TypedConfirmation } from '../../components/TypedConfirmation';
import { ReferencedBy } from './ReferencedBy';

const CONFIRM_WORD = 'DELETE';

/**
 * Shows what references the entry, and deletes it only after the word DELETE is typed. It follows the
 * entry: restored meanwhile (here or by someone on another device), it says so and deletes nothing; the
 * delete names the version asked about (`rev`), so the core refuses one restored or changed since.
 */
export function PermanentDeleteDialog(props: {
  target: { type: EntityType; id: string; rev: string } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const target = props.target;
  // Who acts here: the person's own restore from another window or device reads "You restored …".
  const me = useQuery(trpc.session.me.queryOptions()).data?.actor.id ?? null;
  const [restoredBy, setRestoredBy] = useState<{ id: string; by: { id?: string; name?: string } | null } | null>(null);
  useSubscription(
    trpc.entities.onDocument.subscriptionOptions(target ? { type: target.type, id: target.id } : skipToken, {
      onData: (document) => {
        const live = document as {
          deletedAt?: string | null;
          updatedBy?: { id?: string; name?: string } | null;
        } | null;
        if (target && live && !live.deletedAt) setRestoredBy({ id: target.id, by: live.updatedBy ?? null });
      },
    }),
  );
  const restored =
    target && restoredBy?.id === target.id
      ? whoDid(restoredBy.by, me, `restored this ${entities[target.type].label.toLowerCase()} from the trash`)
      : null;
  const report = useQuery({
    ...trpc.trash.references.queryOptions(target ?? { type: 'video', id: '' }),
    enabled: target !== null,
  });
  const remove = useMutation(
    trpc.trash.deletePermanently.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries();
        close();
      },
    }),
  );
  const close = () => {
    setTyped('');
    setRestoredBy(null);
    remove.reset();
    props.onClose();
  };
  // The role follows the server live: an admin made an editor while this is open is told, not offered the delete.
  const deleting = usePermission('deletePermanently');
  const label = target ? entities[target.type].label.toLowerCase() : 'entry';
  return (
    <Dialog title={`Delete this ${label} permanently?`} open={target !== null} onClose={close}>
      <p>This cannot be undone. The entry is removed everywhere, including from every reference to it.</p>
      {restored ? (
        <p role="alert" className="notice">
          {restored} meanwhile, so it will not be deleted from here. It is back among the{' '}
          {target ? entities[target.type].pluralLabel.toLowerCase() : 'entries'}.
        </p>
      ) : null}
      <ReferencedBy report={report.data} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (target && !restored && deleting.allowed && typed === CONFIRM_WORD)
            remove.mutate({ items: [target], confirm: true });
        }}
      >
        <TypedConfirmation word={CONFIRM_WORD} value={typed} onChange={setTyped} autoFocus />
        <RoleLostAlert reason={deleting.reason} nothing="deleted" busy={remove.isPending} />
        <ErrorText error={remove.error ?? report.error} />
        <div className="toolbar" style={{ marginTop: 12 }}>
          <button
            type="submit"
            className="btn danger"
            disabled={typed !== CONFIRM_WORD || remove.isPending || restored !== null || !deleting.allowed}
          >
            Delete permanently
          </button>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
