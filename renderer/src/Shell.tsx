import { lazy, Suspense } from 'react';
import { useLiveUpdates } from './api/live';
import { useShortcuts } from './lib/shortcuts';
import { useUi, type Screen } from './state/ui-store';
import { ConnectionNotice } from './components/ConnectionNotice';
import { EntryLinkNotice } from './components/EntryLinkNotice';
import { GlobalSearch } from './components/GlobalSearch';
import { Nav } from './components/Nav';
import { RoleNotice } from './components/RoleNotice';
import { UpdateNotice } from './components/UpdateNotice';
import { SyncBadge } from './components/SyncBadge';
import { EditorPanel } from './screens/editor/EditorPanel';
import { HistoryPanel } from './screens/history/HistoryPanel';
import { HomeScreen } from './screens/home/HomeScreen';
import { LibraryScreen } from './screens/library/LibraryScreen';

// Screens an editor opens less often load on demand, so the first paint stays small.
const TrashScreen = lazy(() => import('./screens/trash/TrashScreen'));
const AuditScreen = lazy(() => import('./screens/audit/AuditScreen'));
const ConflictsScreen = lazy(() => import('./screens/conflicts/ConflictsScreen'));
const SyncScreen = lazy(() => import('./screens/sync/SyncScreen'));
const TransferScreen = lazy(() => import('./screens/transfer/TransferScreen'));
const TeamScreen = lazy(() => import('./screens/team/TeamScreen'));
const AccountScreen = lazy(() => import('./screens/account/AccountScreen'));
const SettingsScreen = lazy(() => import('./screens/settings/SettingsScreen'));

const SCREEN_COMPONENTS: Record<Screen, () => React.ReactNode> = {
  home: () => <HomeScreen />,
  library: () => <LibraryScreen />,
  trash: () => <TrashScreen />,
  audit: () => <AuditScreen />,
  conflicts: () => <ConflictsScreen />,
  sync: () => <SyncScreen />,
  transfer: () => <TransferScreen />,
  team: () => <TeamScreen />,
  account: () => <AccountScreen />,
  settings: () => <SettingsScreen />,
};

/** The frame around every screen: header with the sync badge, navigation, the screen, the side panels. */
export function Shell() {
  const { screen, editor, history, libraryType, openEditor, requestSearchFocus } = useUi();
  useLiveUpdates();
  useShortcuts([
    { key: 'n', ctrl: true, run: () => openEditor({ type: libraryType, id: null }) },
    { key: 'k', ctrl: true, run: requestSearchFocus },
    { key: '/', run: requestSearchFocus },
  ]);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Curio</h1>
        <ConnectionNotice />
        <GlobalSearch />
        <SyncBadge />
      </header>
      <Nav />
      <div className="app-main">
        <main className="screen" aria-label={screen}>
          <UpdateNotice />
          <RoleNotice />
          <EntryLinkNotice />
          <Suspense fallback={<p className="muted">Opening…</p>}>{SCREEN_COMPONENTS[screen]()}</Suspense>
        </main>
        {history ? <HistoryPanel key={`${history.type}:${history.id}`} target={history} /> : null}
        {!history && editor ? <EditorPanel key={`${editor.type}:${editor.id ?? 'new'}`} target={editor} /> : null}
      </div>
    </div>
  );
}
