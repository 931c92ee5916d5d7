import { ConfirmDialog } from '../../components/ConfirmDialog';
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
    <ConfirmDialog
      title={title}
      confirmLabel={change.kind === 'disable' ? `Disable ${user.username}` : `Change role to ${change.role}`}
      busy={props.busy}
      error={props.error}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      <p>{describeUserChange(user, change, props.sessions)}</p>
    </ConfirmDialog>
  );
}

function article(role: string): string {
  return `${role === 'admin' ? 'an' : 'a'} ${role}`;
}
