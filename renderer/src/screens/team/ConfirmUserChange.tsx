import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { describeUserChange, type ChangedUser, type UserChange } from './user-change';

/** Asks before a role change or a disable takes effect, saying what the user will lose. */
export function ConfirmUserChange(props: {
  user: ChangedUser;
  change: UserChange;
  sessions: number;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { user, change } = props;
  const title =
    change.kind === 'disable' ? `Disable ${user.username}?` : `Make ${user.username} ${article(change.role)}?`;
  return (
    <Dialog title={title} open onClose={props.onCancel}>
      <p>{describeUserChange(user, change, props.sessions)}</p>
      <ErrorText error={props.error} />
      <div className="toolbar">
        <button type="button" className="btn danger" disabled={props.busy} onClick={props.onConfirm}>
          {change.kind === 'disable' ? `Disable ${user.username}` : `Change role to ${change.role}`}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

function article(role: string): string {
  return `${role === 'admin' ? 'an' : 'a'} ${role}`;
}
