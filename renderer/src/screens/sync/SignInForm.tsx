import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import { toShownError } from '../../api/errors';

/** Server address, user name and password; the core signs in and starts syncing. */
export function SignInForm(props: { serverUrl: string; username: string }) {
  const trpc = useTRPC();
  const [serverUrl, setServerUrl] = useState(props.serverUrl || 'http://127.0.0.1:5309');
  const [username, setUsername] = useState(props.username);
  const [password, setPassword] = useState('');
  const signIn = useMutation(trpc.sync.signIn.mutationOptions({ onSuccess: () => setPassword('') }));
  const shown = signIn.error ? toShownError(signIn.error) : null;
  return (
    <form
      aria-label="Sign in to a sync server"
      style={{ maxWidth: 420 }}
      onSubmit={(event) => {
        event.preventDefault();
        signIn.mutate({ serverUrl, username, password });
      }}
    >
      <div className="field">
        <label htmlFor="server-url">Server address</label>
        <input id="server-url" type="url" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="username">User name</label>
        <input
          id="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </div>
      {shown ? (
        <p role="alert" className="error">
          {shown.message}
        </p>
      ) : null}
      <button type="submit" className="btn primary" disabled={signIn.isPending}>
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
