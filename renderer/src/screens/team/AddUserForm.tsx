import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { assessPassword } from '../../../../shared/password-policy';
import { ROLES, type Role } from '../../../../shared/protocol';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';

/**
 * What the shared password policy says about the password being typed, for this user name and display
 * name; null while the field is empty. The server checks the same policy again on submit.
 */
function usePasswordAdvice(password: string, username: string, name: string): string | null {
  const assessment = useQuery({
    queryKey: ['password-advice', password, username, name],
    queryFn: () => assessPassword(password, { username, name }),
    enabled: password !== '',
    placeholderData: keepPreviousData,
    // NOTE: the password is part of the key; keep it in memory no longer than the form shows it.
    gcTime: 0,
  });
  if (!password || !assessment.data) return null;
  return assessment.data.problem ?? 'Strong enough.';
}

/** Adds a user to the server; the password policy explains itself while typing and on refusal. */
export function AddUserForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const passwordAdvice = usePasswordAdvice(password, username, name);
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
            aria-describedby="new-user-password-advice"
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
      <p id="new-user-password-advice" className="muted" aria-live="polite">
        {passwordAdvice}
      </p>
      {add.isSuccess ? <p role="status">User added.</p> : null}
      <ErrorText error={add.error} />
    </form>
  );
}
