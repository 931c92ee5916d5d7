import type { SyncStatus } from '../../api/sync-state';

/**
 * Sign-outs of this device the server has not heard of yet (CLIENT-19): since when, and until when they are
 * tried (the session's own end on the server, after which there is nothing left to sign out). Shown signed
 * in or out, since the person who signed out may not be the one signed in now.
 */
export function SignOutsWaiting({ signOuts }: { signOuts: SyncStatus['signOutsWaiting'] }) {
  if (signOuts.length === 0) return null;
  return (
    <section aria-label="Sign-outs waiting to be sent" className="card notice">
      {signOuts.map((signOut) => (
        <p key={`${signOut.serverUrl} ${signOut.since}`}>
          A sign-out of this device is waiting to be sent to {signOut.serverUrl}, since{' '}
          {new Date(signOut.since).toLocaleString()}, when the server could not be reached. This device sends it as soon
          as the server answers, even after the app is closed and reopened; until then the server still lists this
          device as signed in. That session ends there by itself on {new Date(signOut.sessionEndsAt).toLocaleString()};
          after that there is nothing left to sign out and this device stops trying.
        </p>
      ))}
    </section>
  );
}
