import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLES, type Role } from '../../../../shared/protocol';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';

/** Adds a user to the server; the server's password policy explains any refusal. */
export function AddUserForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const add = useMutation(
    trpc.team.addUser.mutationOptions({
      onSuccess: () => {
        setUsername('');
        setName('');
        setPassword('');
        void queryClient.invalidateQueries();
      },
    }),
  );
  return (
    <form
      aria-label="Add a user"
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({ username, name, password, role });
      }}
    >
      <h3>Add a user</h3>
      <div className="toolbar">
        <label>
          User name
          <input value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Full name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Password
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="new-password"
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn primary" disabled={add.isPending}>
          Add user
        </button>
      </div>
      {add.isSuccess ? <p role="status">User added.</p> : null}
      <ErrorText error={add.error} />
    </form>
  );
}
