import { useDeferredValue, useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { usePermission } from '../../api/permissions';
import { isFiltered, useListState, useLists } from '../../state/list-store';
import { useUi } from '../../state/ui-store';
import { ColumnChooser } from './ColumnChooser';
import { LibraryFilters } from './LibraryFilters';
import { LibraryTable } from './LibraryTable';
import { SavedViews } from './SavedViews';
import { SearchBox } from './SearchBox';
import { SearchResults } from './SearchResults';

/** One entity type's library: search as you type, filters, saved views, a sortable virtualized grid. */
export function LibraryScreen() {
  const type = useUi((s) => s.libraryType);
  return <Library key={type} type={type} />;
}

function Library({ type }: { type: EntityType }) {
  const descriptor = entities[type];
  const openEditor = useUi((s) => s.openEditor);
  const create = usePermission('createEntries');
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query.trim());
  const state = useListState(type);
  const update = useLists((s) => s.update);
  const clear = useLists((s) => s.clearFilters);
  // Filter boxes keep half-typed text of their own; a reset (clear, a view applied) starts them afresh.
  const [resets, setResets] = useState(0);
  const reset = () => setResets((n) => n + 1);
  const clearFilters = () => {
    clear(type);
    reset();
  };

  return (
    <>
      <div className="toolbar">
        <h2 style={{ marginRight: 'auto' }}>{descriptor.pluralLabel}</h2>
        <SavedViews
          type={type}
          state={state}
          onApply={(next) => {
            update(type, next);
            reset();
          }}
        />
        <ColumnChooser type={type} columns={state.columns} onChange={(columns) => update(type, { columns })} />
        {/* A role that cannot create has no New button (the role banner says why), as Ctrl+N opens no form. */}
        {create.allowed ? (
          <button type="button" className="btn primary" onClick={() => openEditor({ type, id: null })}>
            New {descriptor.label.toLowerCase()} <span className="shortcut">(Ctrl+N)</span>
          </button>
        ) : null}
      </div>
      <div className="toolbar">
        <SearchBox label={`Search ${descriptor.pluralLabel.toLowerCase()}`} value={query} onChange={setQuery} />
        <LibraryFilters
          key={resets}
          type={type}
          state={state}
          onFilters={(filters) => update(type, { filters })}
          onTrash={(trash) => update(type, { trash })}
        />
        <button type="button" className="btn" disabled={!isFiltered(state)} onClick={clearFilters}>
          Clear filters
        </button>
      </div>
      {deferredQuery ? (
        <SearchResults type={type} query={deferredQuery} />
      ) : (
        <LibraryTable
          type={type}
          state={state}
          onSort={(sort) => update(type, { sort })}
          onClearFilters={clearFilters}
        />
      )}
    </>
  );
}
