import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { entities, type EntityType } from '../../../shared/entities';
import { tellNamesakesApart } from '../../../shared/readable';
import { searchQueryProblem } from '../../../shared/search-query';
import { toShownError } from '../api/errors';
import { useTRPC } from '../api/client';
import { useUi } from '../state/ui-store';
import { HitText, hitAsRow } from './Highlighted';
import { NamesakeDetail } from './NamesakeDetail';
import { TypeSelect } from './TypeSelect';

/**
 * Full-text search across every type (or one, chosen beside the box), from the
 * header; Enter opens the entry. Says so when nothing matches.
 */
export function GlobalSearch() {
  const trpc = useTRPC();
  const openEditor = useUi((s) => s.openEditor);
  const openLibrary = useUi((s) => s.openLibrary);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [type, setType] = useState<EntityType | ''>('');
  const deferred = useDeferredValue(query.trim());
  const tooLong = searchQueryProblem(deferred);
  const hits = useQuery({
    ...trpc.entities.search.queryOptions({ query: deferred, limit: 12, ...(type ? { types: [type] } : {}) }),
    enabled: deferred.length > 0 && !tooLong,
    placeholderData: keepPreviousData,
  });
  // A query the search cannot take, or a failed search, is said in words instead of an empty dropdown.
  const problem = tooLong ?? (deferred && hits.error ? toShownError(hits.error).message : null);
  const options = useMemo(() => (deferred && !problem ? (hits.data ?? []) : []), [deferred, problem, hits.data]);
  const namesakes = useMemo(() => tellNamesakesApart(options, hitAsRow), [options]);
  // Only once the answer is for what is typed now, not the previous query's kept results.
  const nothing = !problem && deferred !== '' && hits.isSuccess && !hits.isPlaceholderData && options.length === 0;
  const open = (index: number) => {
    const hit = options[index];
    if (!hit) return;
    openLibrary(hit.type);
    openEditor({ type: hit.type, id: hit.id });
    setQuery('');
  };
  return (
    <div style={{ position: 'relative', width: 360, display: 'flex', gap: 4 }}>
      <input
        type="search"
        role="combobox"
        aria-label="Search everything"
        aria-expanded={options.length > 0}
        aria-controls="global-search-list"
        aria-activedescendant={options[active] ? `global-hit-${active}` : undefined}
        placeholder="Search all types…"
        value={query}
        style={{ flex: 1, minWidth: 0 }}
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
      <TypeSelect
        aria-label="Search in"
        anyLabel="All types"
        value={type}
        onChange={(next) => {
          setType(next);
          setActive(0);
        }}
      />
      {problem ? (
        <p role="alert" className="picker-options error" style={{ ...DROPDOWN, margin: 0, padding: '4px 8px' }}>
          {problem}
        </p>
      ) : null}
      {nothing ? (
        <p role="status" className="picker-options muted" style={{ ...DROPDOWN, margin: 0, padding: '4px 8px' }}>
          No matches for “{deferred}”{type ? ` among ${entities[type].pluralLabel.toLowerCase()}` : ''}.
        </p>
      ) : null}
      {options.length > 0 ? (
        <ul id="global-search-list" role="listbox" aria-label="Matches" className="picker-options" style={DROPDOWN}>
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
              <HitText hit={hit} wrap={[' (', ')']} />
              <NamesakeDetail detail={namesakes.get(hit.id)} />{' '}
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

/** Below the box, over the page. */
const DROPDOWN = { position: 'absolute', top: '100%', left: 0, right: 0, zIndex: 10 } as const;
