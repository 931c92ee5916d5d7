import { useDeferredValue, useState } from 'react';
import { entities } from '../../../../shared/entities';
import { usePermission } from '../../api/permissions';
import { useUi } from '../../state/ui-store';
import { LibraryFilters, type Filters } from './LibraryFilters';
import { LibraryTable, type Sort } from './LibraryTable';
import { SearchBox } from './SearchBox';
import { SearchResults } from './SearchResults';

/** One entity type's library: search as you type, filters, a sortable virtualized list. */
export function LibraryScreen() {
  const type = useUi((s) => s.libraryType);
  return <Library key={type} type={type} />;
}

function Library({ type }: { type: keyof typeof entities }) {
  const descriptor = entities[type];
  const openEditor = useUi((s) => s.openEditor);
  const create = usePermission('createEntries');
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query.trim());
  const [sort, setSort] = useState<Sort>({ field: descriptor.listColumns[0]!.field, direction: 'asc' });
  const [filters, setFilters] = useState<Filters>({});

  return (
    <>
      <div className="toolbar">
        <h2 style={{ marginRight: 'auto' }}>{descriptor.pluralLabel}</h2>
        <button
          type="button"
          className="btn primary"
          disabled={!create.allowed}
          title={create.reason ?? undefined}
          onClick={() => openEditor({ type, id: null })}
        >
          New {descriptor.label.toLowerCase()} <span className="muted">(Ctrl+N)</span>
        </button>
      </div>
      <div className="toolbar">
        <SearchBox label={`Search ${descriptor.pluralLabel.toLowerCase()}`} value={query} onChange={setQuery} />
        <LibraryFilters type={type} filters={filters} onChange={setFilters} />
      </div>
      {deferredQuery ? (
        <SearchResults type={type} query={deferredQuery} />
      ) : (
        <LibraryTable type={type} sort={sort} onSort={setSort} filters={filters} />
      )}
    </>
  );
}
