import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal built on <dialog>: the browser traps focus, Esc closes it and screen
 * readers announce it with its title. `onClose` runs once each time the dialog
 * closes by itself (Esc), never for a close its owner asked for by `open`.
 * NOTE: Esc fires `cancel` and then `close`, so only `close` is heard (both would
 * tell the owner twice); and a close made here because `open` turned false is
 * not reported back to the owner who asked for it.
 */
export function Dialog(props: { title: string; open: boolean; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  /** Set while a close asked for by `open` is on its way: its close event is not the owner's news. */
  const closingOnRequest = useRef(false);
  /** What had the focus when the dialog opened: it gets it back when the dialog goes. */
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    return () => giveFocusBack(dialog, opener.current);
  }, []);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    }
    if (!props.open && dialog.open) {
      closingOnRequest.current = true;
      dialog.close();
    }
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      aria-label={props.title}
      onClose={() => {
        if (closingOnRequest.current) closingOnRequest.current = false;
        else props.onClose();
      }}
    >
      {props.open && (
        <>
          <h2>{props.title}</h2>
          {props.children}
        </>
      )}
    </dialog>
  );
}

/**
 * NOTE: the browser gives the focus back when a <dialog> closes, but not when its owner takes it out of the
 * page while open (most questions here are rendered only while asked): then the focus would fall to the
 * page's body, and a keyboard user would start again from the top. Only a focus that was lost is moved.
 */
function giveFocusBack(dialog: HTMLDialogElement | null, opener: HTMLElement | null): void {
  const active = document.activeElement;
  const lost = active === null || active === document.body || (dialog !== null && dialog.contains(active));
  if (lost && opener?.isConnected) opener.focus();
}
