import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { entities } from '../../../shared/entities';
import { useTRPC } from '../api/client';
import { useUi } from '../state/ui-store';
import { HitText } from './Highlighted';

/** Search across every type by titles and aliases, from the header; Enter opens the entry. */
export function GlobalSearch() {
  const trpc = useTRPC();
  const openEditor = useUi((s) => s.openEditor);
  const openLibrary = useUi((s) => s.openLibrary);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const deferred = useDeferredValue(query.trim());
  const hits = useQuery({
    ...trpc.entities.search.queryOptions({ query: deferred, limit: 12 }),
    enabled: deferred.length > 0,
    placeholderData: keepPreviousData,
  });
  const options = deferred ? (hits.data ?? []) : [];
  const open = (index: number) => {
    const hit = options[index];
    if (!hit) return;
    openLibrary(hit.type);
    openEditor({ type: hit.type, id: hit.id });
    setQuery('');
  };
  return (
    <div style={{ position: 'relative', width: 320 }}>
      <input
        type="search"
        role="combobox"
        aria-label="Search everything"
        aria-expanded={options.length > 0}
        aria-controls="global-search-list"
        aria-activedescendant={options[active] ? `global-hit-${active}` : undefined}
        placeholder="Search all types…"
        value={query}
        style={{ width: '100%' }}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') setActive((a) => Math.min(a + 1, options.length - 1));
          else if (event.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (event.key === 'Enter') open(active);
          else if (event.key === 'Escape' && query) setQuery('');
          else return;
          event.preventDefault();
          event.stopPropagation();
        }}
      />
      {options.length > 0 ? (
        <ul
          id="global-search-list"
          role="listbox"
          aria-label="Matches"
          className="picker-options"
          style={{ position: 'absolute', left: 0, right: 0, zIndex: 10 }}
        >
          {options.map((hit, i) => (
            <li
              key={hit.id}
              id={`global-hit-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(event) => {
                event.preventDefault();
                open(i);
              }}
            >
              <HitText hit={hit} wrap={[' (', ')']} />{' '}
              <span className="muted">
                · {entities[hit.type].label}
                {hit.inTrash ? ' (in the trash)' : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
