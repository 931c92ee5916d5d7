import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { EntityType } from '../../../../shared/entities';
import { tellNamesakesApart } from '../../../../shared/readable';
import { searchQueryProblem } from '../../../../shared/search-query';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { HitText, hitAsRow } from '../../components/Highlighted';
import { NamesakeDetail } from '../../components/NamesakeDetail';
import { useUi } from '../../state/ui-store';

const SEARCH_LIMIT = 200;

/** Results as you type: exact matches first, then prefix, then contains (ranked by the core). */
export function SearchResults(props: { type: EntityType; query: string }) {
  const trpc = useTRPC();
  const openEditor = useUi((s) => s.openEditor);
  const tooLong = searchQueryProblem(props.query);
  const hits = useQuery({
    ...trpc.entities.search.queryOptions({ query: props.query, types: [props.type], limit: SEARCH_LIMIT }),
    enabled: !tooLong,
    placeholderData: keepPreviousData,
  });
  const namesakes = useMemo(() => tellNamesakesApart(hits.data ?? [], hitAsRow), [hits.data]);
  if (tooLong)
    return (
      <p role="alert" className="error">
        {tooLong}
      </p>
    );
  if (hits.error) return <ErrorText error={hits.error} />;
  if (!hits.data) return <p className="muted">Searching…</p>;
  return (
    <section aria-label="Search results">
      <p role="status" className="muted">
        {hits.data.length === 0
          ? `Nothing matches “${props.query}”.`
          : `${hits.data.length}${hits.data.length === SEARCH_LIMIT ? '+' : ''} results for “${props.query}”`}
      </p>
      <ul className="picker-options" style={{ maxHeight: 'none' }}>
        {hits.data.map((hit) => (
          <li key={hit.id}>
            <button
              type="button"
              className="nav-link"
              onClick={() => openEditor({ type: hit.type, id: hit.id })}
              data-testid="search-hit"
            >
              <HitText hit={hit} aliasPrefix="also known as " />
              <NamesakeDetail detail={namesakes.get(hit.id)} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
