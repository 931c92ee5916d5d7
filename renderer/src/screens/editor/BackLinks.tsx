import { useQuery } from '@tanstack/react-query';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { toShownError } from '../../api/errors';
import { EntryLink } from '../../components/EntryLink';
import { ErrorText } from '../../components/ErrorText';

/** "Appears in N videos" under an entry, with those entries as links that open them. */
export function BackLinks(props: { type: EntityType; id: string }) {
  const trpc = useTRPC();
  const links = useQuery(trpc.links.backLinks.queryOptions({ type: props.type, id: props.id }));
  // An entry deleted permanently has no back-links left; its editor says what happened.
  if (links.error) return toShownError(links.error).code === 'NOT_FOUND' ? null : <ErrorText error={links.error} />;
  if (!links.data || links.data.groups.length === 0) return null;
  return (
    <section className="back-links" aria-label="Back-links">
      <h3>{links.data.summary}</h3>
      {links.data.groups.map((group) => {
        const label = entities[group.type].pluralLabel;
        const more = group.count + group.inTrash - group.items.length;
        if (group.items.length === 0) return null;
        return (
          <ul key={group.type} aria-label={`${label} that link here`}>
            {group.items.map((item) => (
              <li key={item.id}>
                <EntryLink type={item.type} id={item.id}>
                  {item.title || '(untitled)'}
                </EntryLink>
                {item.inTrash ? <span className="muted"> (in trash)</span> : null}
              </li>
            ))}
            {more > 0 ? <li className="muted">and {more} more</li> : null}
          </ul>
        );
      })}
    </section>
  );
}
