import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { whoDid } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { TypedConfirmation } from '../../components/TypedConfirmation';
import { ReferencedBy } from '../trash/ReferencedBy';

const CONFIRM_WORD = 'DELETE';

type Entry = { rev?: unknown; updatedBy?: { id?: string; name?: string } | null } | null;

/**
 * The question before a delete conflict's "Delete permanently after all": the entry the edit kept is
 * removed everywhere, with every link to it, so it says what links to it and asks for the typed word,
 * as the Trash's permanent delete does. It names the version asked about (`asked`), follows the entry
 * (`now`, live): edited again or gone meanwhile, it says so and deletes nothing.
 */
export function DeleteAfterAllDialog(props: {
  conflictId: string;
  type: EntityType;
  id: string;
  title: string;
  /** The entry's version when the question was asked. */
  asked: string;
  /** The entry as it is now (null: gone here). */
  now: Entry;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const me = useQuery(trpc.session.me.queryOptions()).data?.actor.id ?? null;
  const report = useQuery(trpc.trash.references.queryOptions({ type: props.type, id: props.id }));
  const remove = useMutation(
    trpc.conflicts.resolve.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries();
        props.onClose();
      },
    }),
  );
  const label = entities[props.type].label.toLowerCase();
  const changed = changedMeanwhile(label, props.asked, props.now, me);
  return (
    <Dialog title={`Delete this ${label} permanently after all?`} open onClose={props.onClose}>
      <p>
        This cannot be undone. “{props.title || '(untitled)'}” and the edit that was kept are removed everywhere,
        including from every reference to it.
      </p>
      {changed ? (
        <p role="alert" className="notice">
          {changed}
        </p>
      ) : null}
      <ReferencedBy report={report.data} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (typed === CONFIRM_WORD && !changed)
            remove.mutate({ id: props.conflictId, deleteEntry: true, rev: props.asked });
        }}
      >
        <TypedConfirmation word={CONFIRM_WORD} value={typed} onChange={setTyped} autoFocus />
        <ErrorText error={remove.error ?? report.error} />
        <div className="toolbar" style={{ marginTop: 12 }}>
          <button
            type="submit"
            className="btn danger"
            disabled={typed !== CONFIRM_WORD || remove.isPending || changed !== null}
          >
            Delete permanently
          </button>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Why the delete no longer stands: the entry changed (or went) since the question was asked; else null. */
function changedMeanwhile(label: string, asked: string, now: Entry, me: string | null): string | null {
  if (now === null) return `This ${label} is already gone here, so there is nothing to delete.`;
  if (now.rev === asked) return null;
  const who = whoDid(now.updatedBy, me, `changed this ${label}`);
  return `${who} while this question was open, so it will not be deleted from here. Look at it again in the comparison, then delete it if you still want to.`;
}
