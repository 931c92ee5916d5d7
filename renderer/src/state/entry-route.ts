import { useEffect, useState } from 'react';
import { entryHash, entryLink, parseEntryHash, type EntryLinkTarget } from '../../../shared/entry-link';
import { hasIpcBridge } from '../api/ipc-link';
import { useUi } from './ui-store';

/**
 * The link "Copy link" gives: `curio://entry/<type>/<id>` in the desktop app (the OS opens Curio
 * with it), and this page's address with the entry's route as its hash in browser mode, where
 * no `curio:` handler exists but the address opens the entry in this browser.
 */
export function linkTo(target: EntryLinkTarget): string {
  return hasIpcBridge() ? entryLink(target) : `${location.origin}${location.pathname}${entryHash(target)}`;
}

/**
 * Follows `#/entry/<type>/<id>` in the address: on start (a link opened in browser mode, or the
 * desktop window started for a link) and on every hash change (the main process pointing the
 * window at another link). Returns why the last link could not be followed, or null.
 */
export function useEntryRoute(): { error: string | null; dismiss: () => void } {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const follow = () => {
      const route = parseEntryHash(location.hash);
      if (!route) return;
      // The route is used up: the same link opened again is a new hash change, and a reload does not reopen it.
      history.replaceState(null, '', location.pathname + location.search);
      if (!route.ok) return setError(route.error);
      setError(null);
      const { openLibrary, openEditor } = useUi.getState();
      openLibrary(route.target.type);
      openEditor(route.target);
    };
    follow();
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return { error, dismiss: () => setError(null) };
}
