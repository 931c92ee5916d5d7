import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROLES } from '../../../../shared/protocol';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { parseAnswer, usersAnswer } from './team-data';

/** The server's users: change a role, disable or enable. */
export function UsersTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery({
    ...trpc.team.users.queryOptions(),
    select: (answer) => parseAnswer(usersAnswer, answer).users,
  });
  const update = useMutation(
    trpc.team.updateUser.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  return (
    <section aria-labelledby="users-heading">
      <h3 id="users-heading">Users</h3>
      <ErrorText error={users.error ?? update.error} />
      <table className="plain" aria-label="Users">
        <thead>
          <tr>
            <th scope="col">User name</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((user) => (
            <tr key={user.id}>
              <td>{user.username}</td>
              <td>{user.name}</td>
              <td>
                <select
                  aria-label={`Role of ${user.username}`}
                  value={user.role}
                  onChange={(e) => update.mutate({ id: user.id, role: e.target.value as (typeof ROLES)[number] })}
                >
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {user.disabled
                  ? 'disabled'
                  : user.lockedUntil
                    ? `sign-ins from one address wait until ${new Date(user.lockedUntil).toLocaleString()}`
                    : 'active'}
              </td>
              <td>
                <button
                  type="button"
                  className="btn"
                  onClick={() => update.mutate({ id: user.id, disabled: !user.disabled })}
                >
                  {user.disabled ? 'Enable' : 'Disable'} {user.username}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
