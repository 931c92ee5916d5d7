import { lazy, Suspense, useEffect, useState } from 'react';
import { useLiveUpdates } from './api/live';
import { usePermission, useScreenAccess } from './api/permissions';
import { useShortcuts } from './lib/shortcuts';
import { useUi, type Screen } from './state/ui-store';
import { ConnectionNotice } from './components/ConnectionNotice';
import { EntryLinkNotice } from './components/EntryLinkNotice';
import { GlobalSearch } from './components/GlobalSearch';
import { IntegrityNotice } from './components/IntegrityNotice';
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
  const create = usePermission('createEntries');
  const [shortcutNotice, setShortcutNotice] = useState<string | null>(null);
  useLiveUpdates();
  useShortcuts([
    {
      key: 'n',
      ctrl: true,
      // A role that cannot create gets no (read-only) new form, only a word why.
      run: () => (create.allowed ? openEditor({ type: libraryType, id: null }) : setShortcutNotice(create.reason)),
    },
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
          <IntegrityNotice />
          <UpdateNotice />
          <RoleNotice />
          <EntryLinkNotice />
          <ShortcutNotice text={shortcutNotice} onDone={() => setShortcutNotice(null)} />
          <ScreenForRole screen={screen} />
        </main>
        {history ? <HistoryPanel key={`${history.type}:${history.id}`} target={history} /> : null}
        {!history && editor ? <EditorPanel key={`${editor.type}:${editor.id ?? 'new'}`} target={editor} /> : null}
      </div>
    </div>
  );
}

/** The screen, if this role may open it (SCREEN_PERMISSION); otherwise why not, and nothing of the screen loads. */
function ScreenForRole({ screen }: { screen: Screen }) {
  const access = useScreenAccess()(screen);
  if (access.state === 'unknown') return <p className="muted">Opening…</p>;
  if (access.state === 'refused') {
    return (
      <p role="alert" className="notice">
        {access.reason}
      </p>
    );
  }
  return <Suspense fallback={<p className="muted">Opening…</p>}>{SCREEN_COMPONENTS[screen]()}</Suspense>;
}

const SHORTCUT_NOTICE_MS = 5000;

/** A short word after a shortcut this role may not use; it goes away by itself. */
function ShortcutNotice(props: { text: string | null; onDone: () => void }) {
  const { text, onDone } = props;
  useEffect(() => {
    if (!text) return;
    const timer = setTimeout(onDone, SHORTCUT_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [text, onDone]);
  if (!text) return null;
  return (
    <p role="status" aria-label="Shortcut" className="notice">
      {text}
    </p>
  );
}
