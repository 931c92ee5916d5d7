import type { ReactNode } from 'react';
import { Dialog } from './Dialog';
import { ErrorText } from './ErrorText';

/** A question before an action takes effect: what it will do, a confirming button and Cancel. */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog title={props.title} open onClose={props.onCancel}>
      {props.children}
      <ErrorText error={props.error} />
      <div className="toolbar">
        <button type="button" className="btn danger" disabled={props.busy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
