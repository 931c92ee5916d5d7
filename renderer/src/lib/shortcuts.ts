import { useEffect, useRef } from 'react';

/** Ctrl (or Cmd) plus a key, or a bare key such as Escape or "/". */
export type Shortcut = { key: string; ctrl?: boolean; allowInInputs?: boolean; run: () => void };

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

/** Registers keyboard shortcuts while the component is mounted. */
export function useShortcuts(shortcuts: Shortcut[]): void {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      for (const shortcut of latest.current) {
        const ctrl = event.ctrlKey || event.metaKey;
        if (event.key.toLowerCase() !== shortcut.key.toLowerCase() || ctrl !== !!shortcut.ctrl) continue;
        if (!shortcut.ctrl && !shortcut.allowInInputs && isTyping(event.target)) continue;
        event.preventDefault();
        shortcut.run();
        return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
