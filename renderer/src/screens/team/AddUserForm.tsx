import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLES, type Role } from '../../../../shared/protocol';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { PasswordField } from '../../components/PasswordField';
import { SetupCodeShown } from './SetupCodeShown';

/**
 * Adds a user to the server. Without a password the server creates an invitation: a one-time setup code
 * (shown once here) with which the person chooses their own password. A typed password follows the
 * password policy, explained while typing and on refusal.
 */
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
        void queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
      },
    }),
  );
  const added = add.data;
  return (
    <form
      aria-label="Add a user"
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({ username, name, role, ...(password ? { password } : {}) });
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
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PasswordField
        purpose="new"
        label="Password (leave empty to invite with a setup code)"
        value={password}
        onChange={setPassword}
        owner={{ username, name }}
        required={false}
      />
      <button type="submit" className="btn primary" disabled={add.isPending}>
        {password ? 'Add user' : 'Add user and invite'}
      </button>
      {added ? (
        added.setupCode ? (
          <SetupCodeShown username={added.user.username} setupCode={added.setupCode} onDone={() => add.reset()} />
        ) : (
          <p role="status">User {added.user.username} added.</p>
        )
      ) : null}
      <ErrorText error={add.error} />
    </form>
  );
}
