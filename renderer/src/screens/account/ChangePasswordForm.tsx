import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { PasswordField } from '../../components/PasswordField';
import { devices } from '../../lib/words';

/**
 * The signed-in user's own password (ACCOUNT-1): the current one is required, the new one is judged by
 * the server's own password policy while typing. The user's other devices are signed out; this one stays.
 */
export function ChangePasswordForm(props: { username: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: () => {
        setCurrentPassword('');
        setNewPassword('');
        void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
      },
    }),
  );
  return (
    <form
      aria-label="Change your password"
      className="card"
      style={{ maxWidth: 480 }}
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate({ currentPassword, newPassword });
      }}
    >
      <h3>Change your password</h3>
      <PasswordField purpose="current" label="Current password" value={currentPassword} onChange={setCurrentPassword} />
      <PasswordField purpose="new" label="New password" value={newPassword} onChange={setNewPassword} owner={props} />
      <p className="muted">Your other devices are signed out; they sign in again with the new password.</p>
      <button type="submit" className="btn primary" disabled={change.isPending}>
        Change password
      </button>
      {change.data ? (
        <p role="status">
          Password changed.{' '}
          {change.data.sessionsEnded
            ? `Signed out on ${devices(change.data.sessionsEnded)} other than this one.`
            : 'No other device was signed in.'}
        </p>
      ) : null}
      <ErrorText error={change.error} />
    </form>
  );
}
