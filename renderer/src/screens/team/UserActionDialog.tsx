import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Role } from '../../../../shared/protocol';
import { isYou } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ConfirmUserChange } from './ConfirmUserChange';
import { EraseUserDialog } from './EraseUserDialog';
import { SetupCodeDialog } from './SetupCodeDialog';
import { whoIs, type TeamUser } from './user-change';

/** What an admin asked to do to one user; each opens its own question. */
export type UserAction =
  | { kind: 'role'; role: Role }
  | { kind: 'disable' }
  | { kind: 'enable' }
  | { kind: 'rename' }
  | { kind: 'setup-code' }
  | { kind: 'revoke-code' }
  | { kind: 'erase' };

/** The question for one action on one user; nothing reaches the server before it is confirmed. */
export function UserActionDialog(props: { user: TeamUser; action: UserAction; onClose: () => void }) {
  const { user, action, onClose } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const done = { onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() }) };
  const update = useMutation(trpc.team.updateUser.mutationOptions(done));
  const revokeCode = useMutation(trpc.team.revokeSetupCode.mutationOptions(done));
  const closeAfter = { onSuccess: onClose };
  switch (action.kind) {
    case 'role':
    case 'disable':
    case 'enable':
      return <UserChangeDialog user={user} change={action} onClose={onClose} />;
    case 'rename':
      return (
        <RenameDialog
          user={user}
          busy={update.isPending}
          error={update.error}
          onClose={onClose}
          rename={(name) => update.mutate({ id: user.id, name }, closeAfter)}
        />
      );
    case 'setup-code':
      return <SetupCodeDialog user={user} onClose={onClose} />;
    case 'revoke-code':
      return (
        <ConfirmDialog
          title={`Withdraw the setup code of ${user.username}?`}
          confirmLabel="Withdraw the code"
          busy={revokeCode.isPending}
          error={revokeCode.error}
          onConfirm={() => revokeCode.mutate({ id: user.id }, closeAfter)}
          onCancel={onClose}
        >
          <p>
            The code stops working at once. {whoIs(user)}{' '}
            {user.invited
              ? 'cannot sign in until you create a new invitation.'
              : 'keeps signing in with the current password.'}
          </p>
        </ConfirmDialog>
      );
    case 'erase':
      return <EraseUserDialog user={user} onClose={onClose} />;
  }
}

/**
 * A role change, a disable or an enable: the server's dry run answers first, so a change it would refuse
 * (the last enabled admin demoting or disabling themselves) is never offered as if it could be made.
 */
function UserChangeDialog(props: {
  user: TeamUser;
  change: Extract<UserAction, { kind: 'role' | 'disable' | 'enable' }>;
  onClose: () => void;
}) {
  const { user, change, onClose } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.team.updateUser.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() }),
    }),
  );
  const dryRun = useMutation(trpc.team.updateUser.mutationOptions());
  const me = useQuery(trpc.session.me.queryOptions()).data?.actor.id ?? null;
  const role = change.kind === 'role' ? change.role : undefined;
  const disabled = change.kind === 'role' ? undefined : change.kind === 'disable';
  const { mutate: askServer } = dryRun;
  useEffect(() => askServer({ id: user.id, role, disabled, dryRun: true }), [askServer, user.id, role, disabled]);
  return (
    <ConfirmUserChange
      user={user}
      change={change}
      sessions={user.liveSessions}
      self={isYou(user, me)}
      check={dryRun.error ? { refused: dryRun.error } : dryRun.data ? 'ok' : 'asking'}
      busy={update.isPending}
      error={update.error}
      onConfirm={() => update.mutate({ id: user.id, role, disabled }, { onSuccess: onClose })}
      onCancel={onClose}
    />
  );
}

function RenameDialog(props: {
  user: TeamUser;
  busy: boolean;
  error: unknown;
  rename: (name: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(props.user.name);
  const changed = name.trim() !== '' && name.trim() !== props.user.name;
  return (
    <ConfirmDialog
      title={`Rename ${props.user.username}?`}
      confirmLabel="Rename"
      busy={props.busy || !changed}
      error={props.error}
      onConfirm={() => props.rename(name.trim())}
      onCancel={props.onClose}
    >
      <label>
        New display name
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <p>
        {changed
          ? `${props.user.name} will be shown as “${name.trim()}” to the whole team. The user name ${props.user.username} stays, and nobody is signed out.`
          : 'Type the new display name.'}
      </p>
    </ConfirmDialog>
  );
}
