import { useState } from 'react';
import type { EntityType } from '../../../../shared/entities';
import { countedEntries } from '../../../../shared/readable';
import { usePermission } from '../../api/permissions';
import { ErrorText } from '../../components/ErrorText';
import { useRestoreFromTrash } from '../../components/RestoreFromTrash';
import { useMoveToTrash } from '../trash/MoveToTrash';
import { ExportList } from './ExportList';

/** Select all loaded rows, move the selection to the trash (and undo that right away), export the selection or the list. */
export function BulkActions(props: {
  type: EntityType;
  selected: string[];
  loaded: string[];
  onSelect: (ids: Set<string>) => void;
}) {
  const [lastTrashed, setLastTrashed] = useState<string[]>([]);
  const trash = useMoveToTrash((items) => {
    setLastTrashed(items.map((item) => item.id));
    props.onSelect(new Set());
  });
  // The undo asks too: meanwhile a live entry may have taken a name, or someone may have changed one in the trash.
  const restore = useRestoreFromTrash(() => setLastTrashed([]));
  const mayTrash = usePermission('trashEntries');
  const allSelected = props.loaded.length > 0 && props.selected.length === props.loaded.length;
  return (
    <div className="toolbar" role="group" aria-label="Selection">
      <label style={{ flexDirection: 'row', alignItems: 'center' }}>
        <input
          type="checkbox"
          checked={allSelected}
          onChange={() => props.onSelect(new Set(allSelected ? [] : props.loaded))}
        />
        Select all loaded
      </label>
      <span className="muted" role="status">
        {props.selected.length > 0 ? `${props.selected.length} selected` : ''}
      </span>
      <button
        type="button"
        className="btn"
        disabled={props.selected.length === 0 || trash.pending || !mayTrash.allowed}
        title={mayTrash.reason ?? undefined}
        onClick={() => trash.request(props.selected.map((id) => ({ type: props.type, id })))}
      >
        Move selected to trash
      </button>
      <ExportList type={props.type} selected={props.selected} />
      {lastTrashed.length > 0 ? (
        <span className="notice" role="status">
          Moved {countedEntries(props.type, lastTrashed.length)} to the trash.{' '}
          <button
            type="button"
            className="btn"
            disabled={restore.pending}
            onClick={() => restore.request(lastTrashed.map((id) => ({ type: props.type, id })))}
          >
            Undo (restore)…
          </button>
        </span>
      ) : null}
      <ErrorText error={trash.error} />
      {trash.confirmation}
      {restore.confirmation}
    </div>
  );
}
