import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { ErrorText } from '../../components/ErrorText';
import { useMoveToTrash } from '../trash/MoveToTrash';
import { ExportList } from './ExportList';

/** Select all loaded rows, move the selection to the trash (and undo that right away), export the selection or the list. */
export function BulkActions(props: {
  type: EntityType;
  selected: string[];
  loaded: string[];
  onSelect: (ids: Set<string>) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [lastTrashed, setLastTrashed] = useState<string[]>([]);
  const refresh = () => queryClient.invalidateQueries();
  const trash = useMoveToTrash((items) => {
    setLastTrashed(items.map((item) => item.id));
    props.onSelect(new Set());
  });
  const restore = useMutation(
    trpc.trash.restore.mutationOptions({
      onSuccess: () => {
        setLastTrashed([]);
        void refresh();
      },
    }),
  );
  const label = entities[props.type].pluralLabel.toLowerCase();
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
          Moved {lastTrashed.length} {label} to the trash.{' '}
          <button
            type="button"
            className="btn"
            onClick={() => restore.mutate({ items: lastTrashed.map((id) => ({ type: props.type, id })) })}
          >
            Undo (restore)
          </button>
        </span>
      ) : null}
      <ErrorText error={trash.error ?? restore.error} />
      {trash.confirmation}
    </div>
  );
}
