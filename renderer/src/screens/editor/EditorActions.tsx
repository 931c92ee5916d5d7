import { entities } from '../../../../shared/entities';
import { CopyLinkButton } from '../../components/CopyLinkButton';
import { ErrorText } from '../../components/ErrorText';
import { useUi, type EditorTarget } from '../../state/ui-store';
import { useMoveToTrash } from '../trash/MoveToTrash';
import { restoreLabel } from './TrashedMeanwhile';

/**
 * Save, close, history, trash and discard-draft buttons under the form. An entry deleted
 * permanently (`gone`) has nothing left but its typing: Save makes a new entry of it. One moved to
 * the trash while open (`trashed`) is not saved into: Save is disabled with the reason, and Restore
 * (and save) asks first.
 * NOTE: a viewer (`readOnly`) keeps the reading actions (close, history, copy link) and can
 * discard a draft kept on this device (typed before a demotion); only the writing ones are disabled.
 */
export function EditorActions(props: {
  target: EditorTarget;
  saved: Record<string, unknown> | null;
  gone: boolean;
  /** Why the person may not write (a viewer), or null. Save and Move to trash are then disabled with it as their title. */
  readOnly: string | null;
  /** The entry was moved to the trash after the editing began: why Save waits, and whether there is typing to save. */
  trashed: { saveReason: string; dirty: boolean } | null;
  onRestore: () => void;
  busy: boolean;
  hasDraft: boolean;
  onDiscard: () => void;
  onClose: () => void;
}) {
  const openHistory = useUi((s) => s.openHistory);
  const { target } = props;
  const trash = useMoveToTrash(() => props.onClose());
  const inTrash = Boolean(props.saved?.deletedAt);
  const saveLabel = props.gone ? `Save as a new ${entities[target.type].label.toLowerCase()}` : 'Save';
  const saveBlocked = props.readOnly ?? props.trashed?.saveReason ?? null;
  return (
    <div className="toolbar">
      <button
        type="submit"
        className="btn primary"
        disabled={props.busy || saveBlocked !== null}
        title={saveBlocked ?? undefined}
      >
        {props.busy ? 'Saving…' : saveLabel} <span className="shortcut">(Ctrl+S)</span>
      </button>
      <button type="button" className="btn" onClick={props.onClose}>
        Close <span className="muted">(Esc)</span>
      </button>
      {target.id !== null && !props.gone ? (
        <>
          <button type="button" className="btn" onClick={() => openHistory({ type: target.type, id: target.id! })}>
            History
          </button>
          <CopyLinkButton target={{ type: target.type, id: target.id }} />
          {props.trashed ? (
            <button
              type="button"
              className="btn"
              disabled={props.busy || props.readOnly !== null}
              title={props.readOnly ?? undefined}
              onClick={props.onRestore}
            >
              {restoreLabel(props.trashed.dirty)}…
            </button>
          ) : !inTrash ? (
            <button
              type="button"
              className="btn"
              disabled={trash.pending || props.readOnly !== null}
              title={props.readOnly ?? undefined}
              onClick={() => trash.request([{ type: target.type, id: target.id! }])}
            >
              Move to trash
            </button>
          ) : (
            <span className="notice">This entry is in the trash.</span>
          )}
        </>
      ) : null}
      {props.hasDraft ? (
        <button type="button" className="btn" onClick={props.onDiscard}>
          Discard changes
        </button>
      ) : null}
      <ErrorText error={trash.error} />
      {trash.confirmation}
    </div>
  );
}
