import { useQuery } from '@tanstack/react-query';
import { entities, type EntityType } from '../../../../shared/entities';
import { ACTION_WORDS } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { useUi } from '../../state/ui-store';

const RECENT = 12;

/** The latest audit entries, newest first; each opens its entry. */
export function RecentActivity() {
  const trpc = useTRPC();
  const openEditor = useUi((s) => s.openEditor);
  const recent = useQuery(trpc.audit.query.queryOptions({ limit: RECENT }));
  return (
    <section aria-labelledby="recent-heading">
      <h3 id="recent-heading">Recent activity</h3>
      {recent.data?.items.length === 0 ? <p className="muted">Nothing has been edited yet.</p> : null}
      <ul>
        {recent.data?.items.map((entry) => (
          <li key={entry.id}>
            <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time> · {entry.actor.name} ·{' '}
            {ACTION_WORDS[entry.action]} {entities[entry.entityType as EntityType]?.label.toLowerCase()}{' '}
            <button
              type="button"
              className="btn"
              onClick={() => openEditor({ type: entry.entityType as EntityType, id: entry.entityId })}
            >
              {entry.entityTitle || '(untitled)'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
