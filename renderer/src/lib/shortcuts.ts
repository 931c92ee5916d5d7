import { useEffect, useRef } from 'react';

/** Ctrl (or Cmd) plus a key, or a bare key such as Escape or "/". */
export type Shortcut = { key: string; ctrl?: boolean; allowInInputs?: boolean; run: () => void };

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

/**
 * A modal dialog owns the keyboard: its Esc closes only it (the browser's own
 * cancel), and Ctrl+S, Ctrl+N and the rest wait until it is gone. Every modal
 * here is a <dialog> opened with showModal (components/Dialog.tsx).
 */
function dialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** Registers page keyboard shortcuts while the component is mounted; none runs while a dialog is open. */
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
        if (dialogOpen()) {
          // Not the browser's Ctrl+S (save the page) either; a bare Esc is left to the dialog.
          if (shortcut.ctrl) event.preventDefault();
          return;
        }
        event.preventDefault();
        shortcut.run();
        return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
