import { useQuery } from '@tanstack/react-query';
import { ENTITY_TYPES, entities } from '../../../shared/entities';
import { useTRPC } from '../api/client';
import { useScreenAccess } from '../api/permissions';
import { useUi, type Screen } from '../state/ui-store';
import { useConflictCount } from '../api/sync-state';

const ADMIN_SCREENS: { screen: Screen; label: string }[] = [
  { screen: 'trash', label: 'Trash' },
  { screen: 'audit', label: 'Audit' },
  { screen: 'conflicts', label: 'Conflicts' },
  { screen: 'transfer', label: 'Import and export' },
  { screen: 'sync', label: 'Sync' },
  { screen: 'team', label: 'Team' },
  { screen: 'account', label: 'Account' },
  { screen: 'settings', label: 'Settings' },
];

/** The navigation: home, one library per entity type with its count, and the screens this role may open. */
export function Nav() {
  const trpc = useTRPC();
  const { screen, libraryType, go, openLibrary } = useUi();
  const access = useScreenAccess();
  const counts = useQuery(trpc.entities.counts.queryOptions());
  const conflicts = useConflictCount();
  const trashTotal = counts.data ? ENTITY_TYPES.reduce((sum, t) => sum + counts.data[t].trash, 0) : undefined;

  const link = (key: string, label: string, current: boolean, onClick: () => void, extra?: React.ReactNode) => (
    <li key={key}>
      <button type="button" className="nav-link" aria-current={current ? 'page' : undefined} onClick={onClick}>
        <span>{label}</span>
        {extra}
      </button>
    </li>
  );

  return (
    <nav className="app-nav" aria-label="Main">
      <ul>{link('home', 'Home', screen === 'home', () => go('home'))}</ul>
      <h2 id="nav-catalog">Catalog</h2>
      <ul aria-labelledby="nav-catalog">
        {ENTITY_TYPES.map((type) =>
          link(
            type,
            entities[type].pluralLabel,
            screen === 'library' && libraryType === type,
            () => openLibrary(type),
            <span className="count" aria-label={`${counts.data?.[type].live ?? 0} entries`}>
              {counts.data?.[type].live.toLocaleString() ?? '…'}
            </span>,
          ),
        )}
      </ul>
      <h2 id="nav-admin">Manage</h2>
      <ul aria-labelledby="nav-admin">
        {ADMIN_SCREENS.filter(({ screen: target }) => access(target).state === 'allowed').map(
          ({ screen: target, label }) =>
            link(
              target,
              label,
              screen === target,
              () => go(target),
              target === 'conflicts' && conflicts > 0 ? (
                <span className="badge" aria-label={`${conflicts} open`}>
                  {conflicts}
                </span>
              ) : target === 'trash' && trashTotal ? (
                <span className="count" aria-label={`${trashTotal} in trash`}>
                  {trashTotal.toLocaleString()}
                </span>
              ) : undefined,
            ),
        )}
      </ul>
    </nav>
  );
}
