import type { EntityType } from '../../../shared/entities';
import { usePermission } from '../api/permissions';
import { EntryLink } from './EntryLink';
import { useRestoreFromTrash } from './RestoreFromTrash';

/**
 * One picked entry of a reference field; its title is a link that opens the entry. An entry in the trash keeps its link
 * (trash is a soft delete) and says so, with a restore right there (asked first, as every restore): the
 * linking entry still saves, but a person reading it should not mistake the
 * link for a live one. An entry deleted permanently (the audit's Entry filter can pick one) has nothing
 * left to open: its title is plain text and says so.
 * NOTE: the restore is offered only where the chip links (`offerRestore`, an editor's field): in a filter
 * the chip only narrows what is shown, and a one-click restore there would change data out of context.
 */
export function ReferenceChip(props: {
  type: EntityType;
  id: string;
  title: string;
  inTrash: boolean;
  gone?: boolean;
  /** Offer "Restore" on an entry in the trash: an editor's field, not a filter. */
  offerRestore?: boolean;
  fieldLabel: string;
  onRemove: () => void;
}) {
  const restoreRefusal = usePermission('restoreEntries').reason;
  const restore = useRestoreFromTrash();
  return (
    <span className={props.inTrash || props.gone ? 'chip in-trash' : 'chip'}>
      {props.gone ? (
        <>
          <span className="chip-link">{props.title}</span>
          <span className="chip-note">deleted permanently</span>
        </>
      ) : (
        <EntryLink type={props.type} id={props.id} className="chip-link">
          {props.title}
        </EntryLink>
      )}
      {props.inTrash ? (
        <>
          <span className="chip-note">in trash</span>
          {props.offerRestore === false ? null : (
            <button
              type="button"
              className="chip-action"
              disabled={restore.pending || restoreRefusal !== null}
              title={restoreRefusal ?? undefined}
              aria-label={`Restore ${props.title} from the trash`}
              onClick={() => restore.request([{ type: props.type, id: props.id }])}
            >
              Restore…
            </button>
          )}
        </>
      ) : null}
      <button type="button" aria-label={`Remove ${props.title} from ${props.fieldLabel}`} onClick={props.onRemove}>
        ×
      </button>
      {restore.confirmation}
    </span>
  );
}
