import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { parseSetupLink } from '../../../../shared/team';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { PasswordField } from '../../components/PasswordField';

/**
 * Server address, user name and password; the core signs in and starts syncing. With a setup code
 * (an invitation or a password reset from an admin) the person chooses their password here instead,
 * with the password policy's advice as they type; pasting the setup link fills the whole form.
 */
export function SignInForm(props: { serverUrl: string; username: string }) {
  const trpc = useTRPC();
  const [withCode, setWithCode] = useState(false);
  const [serverUrl, setServerUrl] = useState(props.serverUrl || 'http://127.0.0.1:5309');
  const [username, setUsername] = useState(props.username);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const done = { onSuccess: () => setPassword('') };
  const signIn = useMutation(trpc.sync.signIn.mutationOptions(done));
  const signInWithCode = useMutation(trpc.sync.signInWithCode.mutationOptions(done));
  const pending = signIn.isPending || signInWithCode.isPending;
  const fillFromLink = (text: string): boolean => {
    const link = parseSetupLink(text);
    if (!link) return false;
    setServerUrl(link.serverUrl);
    setUsername(link.username);
    setCode(link.code);
    return true;
  };
  return (
    <form
      aria-label="Sign in to a sync server"
      style={{ maxWidth: 420 }}
      onSubmit={(event) => {
        event.preventDefault();
        if (withCode) signInWithCode.mutate({ serverUrl, username, code, password });
        else signIn.mutate({ serverUrl, username, password });
      }}
    >
      <div className="field">
        <label>
          <input
            type="checkbox"
            checked={withCode}
            onChange={(e) => {
              setWithCode(e.target.checked);
              setPassword('');
            }}
          />{' '}
          I have a setup code from an admin
        </label>
      </div>
      <div className="field">
        <label htmlFor="server-url">Server address</label>
        <input
          id="server-url"
          type="url"
          value={serverUrl}
          onChange={(e) => fillFromLink(e.target.value) || setServerUrl(e.target.value)}
          required
        />
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
      {withCode ? (
        <>
          <div className="field">
            <label htmlFor="setup-code">Setup code (or paste the setup link)</label>
            <input
              id="setup-code"
              value={code}
              onChange={(e) => {
                // A new code makes the last code's refusal (expired, withdrawn) old news.
                signInWithCode.reset();
                if (!fillFromLink(e.target.value)) setCode(e.target.value);
              }}
              autoComplete="one-time-code"
              spellCheck={false}
              required
            />
          </div>
          <PasswordField
            purpose="new"
            label="Choose a password"
            value={password}
            onChange={setPassword}
            owner={{ username }}
          />
        </>
      ) : (
        <PasswordField purpose="current" label="Password" value={password} onChange={setPassword} />
      )}
      <ErrorText error={withCode ? signInWithCode.error : signIn.error} />
      <button type="submit" className="btn primary" disabled={pending}>
        {pending ? 'Signing in…' : withCode ? 'Set password and sign in' : 'Sign in'}
      </button>
    </form>
  );
}
