import { useSyncView } from '../api/sync-state';
import { useUi } from '../state/ui-store';

/** Always in the header: where sync stands, in words; opens the Sync screen. */
export function SyncBadge() {
  const view = useSyncView();
  const go = useUi((s) => s.go);
  return (
    <button
      type="button"
      className="sync-badge"
      data-state={view.notSent ? 'not-sent' : view.phase}
      aria-live="polite"
      aria-label={`Sync status: ${view.label}. Open sync settings.`}
      onClick={() => go('sync')}
    >
      {view.label}
    </button>
  );
}
