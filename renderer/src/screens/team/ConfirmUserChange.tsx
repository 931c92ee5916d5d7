import { withArticle } from '../../../../shared/permissions';
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
    change.kind === 'role' ? `Make ${user.username} ${withArticle(change.role)}?` : `${verb(change)} ${user.username}?`;
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={change.kind === 'role' ? `Change role to ${change.role}` : `${verb(change)} ${user.username}`}
      busy={props.busy}
      error={props.error}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      <p>{describeUserChange(user, change, props.sessions)}</p>
    </ConfirmDialog>
  );
}

function verb(change: UserChange): string {
  return change.kind === 'disable' ? 'Disable' : 'Enable';
}
