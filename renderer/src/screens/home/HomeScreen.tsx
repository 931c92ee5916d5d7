import { useQuery } from '@tanstack/react-query';
import { ENTITY_TYPES, entities } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { useConflictCount, useSyncView } from '../../api/sync-state';
import { useUi } from '../../state/ui-store';
import { EditsChart } from './EditsChart';
import { RecentActivity } from './RecentActivity';

/** The overview: what is in the catalog, what needs attention, and who has been editing. */
export function HomeScreen() {
  const trpc = useTRPC();
  const { go, openLibrary } = useUi();
  const counts = useQuery(trpc.entities.counts.queryOptions());
  const conflicts = useConflictCount();
  const sync = useSyncView();
  const trash = counts.data ? ENTITY_TYPES.reduce((sum, type) => sum + counts.data[type].trash, 0) : null;
  const card = (label: string, value: number | null, onClick: () => void) => (
    <button
      type="button"
      className="card"
      onClick={onClick}
      key={label}
      style={{ textAlign: 'left', cursor: 'pointer' }}
    >
      <div className="muted">{label}</div>
      <div className="big">{value === null ? '…' : value.toLocaleString()}</div>
    </button>
  );
  return (
    <>
      <h2>Home</h2>
      <section aria-label="Catalog counts" className="cards">
        {ENTITY_TYPES.map((type) =>
          card(entities[type].pluralLabel, counts.data?.[type].live ?? null, () => openLibrary(type)),
        )}
      </section>
      <section aria-label="Needs attention" className="cards">
        {card('In the trash', trash, () => go('trash'))}
        {card('Open conflicts', conflicts, () => go('conflicts'))}
        {card('Changes waiting to sync', sync.waiting, () => go('sync'))}
      </section>
      <EditsChart />
      <RecentActivity />
    </>
  );
}
