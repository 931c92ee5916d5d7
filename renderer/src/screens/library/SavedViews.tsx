import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import type { ListState } from '../../state/list-store';
import { DeleteViewQuestion } from './DeleteViewQuestion';
import type { ShownView } from './view-words';

/**
 * Named views of this type's list (filters, trash state, sort, columns),
 * saved in the profile: pick one to apply it, save the current list under a
 * name (a taken name is replaced, and the form says so), delete one after a
 * question that shows what it holds and follows it live.
 */
export function SavedViews(props: { type: EntityType; state: ListState; onApply: (state: ListState) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const views = useQuery(trpc.views.list.queryOptions({ type: props.type }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.views.list.queryKey() });
  const [naming, setNaming] = useState<string | null>(null);
  /** The view as the delete question showed it when opened; null while no question is open. */
  const [deleting, setDeleting] = useState<ShownView | null>(null);
  const save = useMutation(
    trpc.views.save.mutationOptions({
      onSuccess: (view) => {
        setNaming(null);
        props.onApply({ ...props.state, view: view.name });
        void refresh();
      },
      // A view of that name saved meanwhile: the list shows it, and the form now says saving replaces it.
      onError: () => void refresh(),
    }),
  );
  const remove = useMutation(
    trpc.views.remove.mutationOptions({
      onSuccess: () => {
        setDeleting(null);
        props.onApply({ ...props.state, view: null });
        void refresh();
      },
      // Replaced since it was shown (CONFLICT, nothing deleted): the question shows what it holds now.
      onError: () => void refresh(),
    }),
  );
  const current = props.state.view;
  // The view this list was applied from, deleted in another window: the list stays, the name is gone.
  const stored = current === null ? undefined : views.data?.find((v) => v.name === current);
  const gone = current !== null && views.data !== undefined && !stored;
  const taken = naming !== null && views.data?.some((v) => v.name.toLowerCase() === naming.trim().toLowerCase());
  const plural = entities[props.type].pluralLabel.toLowerCase();

  return (
    <div className="toolbar" role="group" aria-label="Saved views">
      <label>
        Saved view
        <select
          aria-label="Saved view"
          value={current ?? ''}
          onChange={(event) => {
            const view = views.data?.find((v) => v.name === event.target.value);
            if (view)
              props.onApply({
                filters: view.filters,
                trash: view.trash,
                sort: view.sort,
                columns: view.columns,
                view: view.name,
              });
          }}
        >
          <option value="">{current ? '—' : 'None'}</option>
          {views.data?.map((view) => (
            <option key={view.name} value={view.name}>
              {view.name}
            </option>
          ))}
        </select>
      </label>
      {naming === null ? (
        <button type="button" className="btn" onClick={() => setNaming(current ?? '')}>
          Save view…
        </button>
      ) : (
        <form
          className="toolbar"
          aria-label="Save view"
          onSubmit={(event) => {
            event.preventDefault();
            const { filters, trash, sort, columns } = props.state;
            // Replaces only a view the form named as replaced; one saved meanwhile elsewhere is refused.
            save.mutate({ type: props.type, name: naming, filters, trash, sort, columns, replaces: Boolean(taken) });
          }}
        >
          <label>
            View name
            <input value={naming} onChange={(event) => setNaming(event.target.value)} maxLength={80} autoFocus />
          </label>
          <button type="submit" className="btn primary" disabled={save.isPending || naming.trim() === ''}>
            {taken ? 'Replace view' : 'Save'}
          </button>
          <button type="button" className="btn" onClick={() => setNaming(null)}>
            Cancel
          </button>
          {taken ? <span className="muted">A view of {plural} with this name exists; saving replaces it.</span> : null}
        </form>
      )}
      {stored ? (
        <button
          type="button"
          className="btn"
          onClick={() => {
            remove.reset();
            setDeleting(stored);
          }}
        >
          Delete view
        </button>
      ) : null}
      {gone ? (
        <span className="muted" role="status">
          The view “{current}” was deleted in another window. This list stays as it is; save it as a view to keep it.
        </span>
      ) : null}
      <ErrorText error={views.error ?? save.error} />
      {deleting && stored ? (
        <DeleteViewQuestion
          view={stored}
          asked={deleting}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={(rev) => remove.mutate({ type: props.type, name: stored.name, rev })}
          onCancel={() => setDeleting(null)}
        />
      ) : null}
    </div>
  );
}
