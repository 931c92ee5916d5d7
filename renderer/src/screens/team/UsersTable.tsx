import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLES } from '../../../../shared/protocol';
import { useTRPC } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { ErrorText } from '../../components/ErrorText';
import { ConfirmUserChange } from './ConfirmUserChange';
import { parseAnswer, sessionsAnswer, usersAnswer } from './team-data';
import type { ChangedUser, UserChange } from './user-change';

/** The server's users: change a role, disable or enable. A role change and a disable ask first. */
export function UsersTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery({
    ...trpc.team.users.queryOptions(),
    select: (answer) => parseAnswer(usersAnswer, answer).users,
  });
  const sessions = useQuery({
    ...trpc.team.sessions.queryOptions(),
    select: (answer) => parseAnswer(sessionsAnswer, answer).sessions,
  });
  const [asking, setAsking] = useState<{ user: ChangedUser; change: UserChange } | null>(null);
  const update = useMutation(
    trpc.team.updateUser.mutationOptions({
      onSuccess: () => {
        setAsking(null);
        void queryClient.invalidateQueries();
      },
    }),
  );
  const sessionsOf = (username: string) =>
    sessions.data?.filter((session) => session.username === username).length ?? 0;
  const confirm = () => {
    if (!asking) return;
    const { user, change } = asking;
    update.mutate(change.kind === 'disable' ? { id: user.id, disabled: true } : { id: user.id, role: change.role });
  };
  return (
    <section aria-labelledby="users-heading">
      <h3 id="users-heading">Users</h3>
      <ErrorText error={users.error ?? update.error} />
      <DataTable
        label="Users"
        rows={users.data}
        rowKey={(user) => user.id}
        columns={[
          { header: 'User name', cell: (user) => user.username },
          { header: 'Name', cell: (user) => user.name },
          {
            header: 'Role',
            cell: (user) => (
              <select
                aria-label={`Role of ${user.username}`}
                value={user.role}
                onChange={(e) =>
                  setAsking({ user, change: { kind: 'role', role: e.target.value as (typeof ROLES)[number] } })
                }
              >
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
            ),
          },
          {
            header: 'State',
            cell: (user) =>
              user.disabled
                ? 'disabled'
                : user.lockedUntil
                  ? `sign-ins from one address wait until ${new Date(user.lockedUntil).toLocaleString()}`
                  : 'active',
          },
          {
            header: 'Actions',
            cell: (user) => (
              <button
                type="button"
                className="btn"
                onClick={() =>
                  user.disabled
                    ? update.mutate({ id: user.id, disabled: false })
                    : setAsking({ user, change: { kind: 'disable' } })
                }
              >
                {user.disabled ? 'Enable' : 'Disable'} {user.username}
              </button>
            ),
          },
        ]}
      />
      {asking ? (
        <ConfirmUserChange
          user={asking.user}
          change={asking.change}
          sessions={sessionsOf(asking.user.username)}
          busy={update.isPending}
          error={update.error}
          onConfirm={confirm}
          onCancel={() => {
            setAsking(null);
            update.reset();
          }}
        />
      ) : null}
    </section>
  );
}
