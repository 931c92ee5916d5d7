import { withArticle } from '../../../../shared/permissions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { describeUserChange, type ChangedUser, type UserChange } from './user-change';

/**
 * Asks before a role change or a disable takes effect, saying what the user will lose. The server checks
 * the change first (a dry run: the last enabled admin, for one); one it would refuse is not offered: the
 * dialog says why and only closes.
 */
export function ConfirmUserChange(props: {
  user: ChangedUser;
  change: UserChange;
  sessions: number;
  /** The admin is changing their own account: said in the second person. */
  self: boolean;
  /** The server's dry run: still asking, accepted, or refused with its reason. */
  check: 'asking' | 'ok' | { refused: unknown };
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { user, change, check } = props;
  const title =
    change.kind === 'role' ? `Make ${user.username} ${withArticle(change.role)}?` : `${verb(change)} ${user.username}?`;
  if (typeof check === 'object') {
    return (
      <Dialog title={title} open onClose={props.onCancel}>
        <ErrorText error={check.refused} />
        <p>Nothing was changed.</p>
        <div className="toolbar">
          <button type="button" className="btn" onClick={props.onCancel}>
            Close
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={change.kind === 'role' ? `Change role to ${change.role}` : `${verb(change)} ${user.username}`}
      busy={props.busy || check === 'asking'}
      error={props.error}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      <p>{describeUserChange(user, change, props.sessions, props.self)}</p>
    </ConfirmDialog>
  );
}

function verb(change: UserChange): string {
  return change.kind === 'disable' ? 'Disable' : 'Enable';
}
