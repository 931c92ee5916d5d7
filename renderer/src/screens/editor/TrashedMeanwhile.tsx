import { useQuery } from '@tanstack/react-query';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { linksInTrashWords, namesakeWords } from '../../components/restore-words';
import { ELSEWHERE, type TrashedMeanwhile } from './use-edit-state';

/**
 * "Ada Admin moved this series to the trash on 12/2/2026, 10:05:03 AM": who and when, in the person's time.
 * The person's own move from elsewhere says "You moved … in another window or on another device on …".
 */
function movedWords(type: EntityType, trashed: TrashedMeanwhile, what = `this ${entities[type].label.toLowerCase()}`) {
  const when = new Date(trashed.at).toLocaleString();
  return trashed.byYou
    ? `You moved ${what} to the trash ${ELSEWHERE} on ${when}`
    : `${trashed.by} moved ${what} to the trash on ${when}`;
}

/** What the open editor says when its entry was moved to the trash after the editing began. */
export function trashedNotice(type: EntityType, trashed: TrashedMeanwhile, dirty: boolean): string {
  const moved = movedWords(type, trashed);
  return dirty
    ? `${moved}, after you started editing it. Your changes are not saved to it; they are kept here: restore it and save them, or discard them.`
    : `${moved}. Restore it to edit it again, or close it.`;
}

/** Why Save is disabled while the open entry sits in the trash unrestored. */
export function trashedSaveReason(type: EntityType): string {
  return `This ${entities[type].label.toLowerCase()} was moved to the trash: restore it to save your changes.`;
}

/** The label of the action that brings the entry back (and saves the typing, when there is any). */
export function restoreLabel(dirty: boolean): string {
  return dirty ? 'Restore and save' : 'Restore';
}

/**
 * The question before the editor restores an entry someone moved to the trash: restoring brings it
 * back for everyone, so the person confirms it, knowing who trashed it and when.
 */
export function RestoreQuestion(props: {
  type: EntityType;
  id: string;
  trashed: TrashedMeanwhile;
  dirty: boolean;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { label, pluralLabel } = entities[props.type];
  const trpc = useTRPC();
  // What will differ once it is back (a live namesake, links to entries still in the trash), as the Trash screen says.
  const preview = useQuery({
    ...trpc.trash.restorePreview.queryOptions({ items: [{ type: props.type, id: props.id }] }),
    staleTime: 0,
    gcTime: 0,
  });
  const entry = preview.data?.entries[0];
  const notes = entry ? [namesakeWords(entry), linksInTrashWords(entry)].filter((note) => note !== null) : [];
  return (
    <ConfirmDialog
      title={`Restore this ${label.toLowerCase()} from the trash?`}
      confirmLabel={restoreLabel(props.dirty)}
      busy={props.busy || !entry || entry.refusal !== null}
      error={props.error}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      <p>
        {movedWords(props.type, props.trashed, 'it')}. Restoring brings it back among the {pluralLabel.toLowerCase()}{' '}
        for everyone{props.dirty ? ', with your changes saved to it' : ''}.
      </p>
      {entry?.refusal ? (
        <p role="alert" className="field-error">
          Not restored: {entry.refusal}
        </p>
      ) : null}
      {notes.map((note) => (
        <p key={note}>{note}</p>
      ))}
    </ConfirmDialog>
  );
}
