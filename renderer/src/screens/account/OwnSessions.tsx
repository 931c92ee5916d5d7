import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import type { Outputs } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { ErrorText } from '../../components/ErrorText';
import { devices } from '../../lib/words';

type OwnSession = Outputs['account']['sessions']['sessions'][number];

/** Where the user is signed in (ACCOUNT-2): sign out any one device, or every device but this one. */
export function OwnSessions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.account.sessions.queryOptions());
  const [asking, setAsking] = useState<OwnSession | 'others' | null>(null);
  const done = {
    onSuccess: () => {
      setAsking(null);
      void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
    },
  };
  const revoke = useMutation(trpc.account.revokeSession.mutationOptions(done));
  const revokeOthers = useMutation(trpc.account.revokeOtherSessions.mutationOptions(done));
  const others = sessions.data?.sessions.filter((session) => !session.current).length ?? 0;
  return (
    <section aria-labelledby="own-sessions-heading">
      <h3 id="own-sessions-heading">Your devices</h3>
      <ErrorText error={sessions.error ?? revoke.error ?? revokeOthers.error} />
      <DataTable
        label="Your sessions"
        rows={sessions.data?.sessions}
        rowKey={(session) => session.id}
        columns={[
          {
            header: 'Device',
            cell: (session) => (session.current ? `${session.device} (this device)` : session.device),
          },
          { header: 'Address', cell: (session) => session.ip },
          { header: 'Last used', cell: (session) => new Date(session.lastUsedAt).toLocaleString() },
          {
            header: 'Actions',
            cell: (session) => (
              <button type="button" className="btn" onClick={() => setAsking(session)}>
                Sign out {session.current ? 'this device' : session.device}
              </button>
            ),
          },
        ]}
      />
      <button type="button" className="btn" disabled={others === 0} onClick={() => setAsking('others')}>
        Sign out all other devices
      </button>
      {asking === 'others' ? (
        <ConfirmDialog
          title="Sign out all other devices?"
          confirmLabel="Sign out other devices"
          busy={revokeOthers.isPending}
          error={revokeOthers.error}
          onConfirm={() => revokeOthers.mutate()}
          onCancel={() => setAsking(null)}
        >
          <p>
            You will be signed out on {devices(others)}; this device stays signed in. Changes waiting on those devices
            stay there and are sent after you sign in there again.
          </p>
        </ConfirmDialog>
      ) : asking ? (
        <ConfirmDialog
          title={asking.current ? 'Sign out this device?' : `Sign out ${asking.device}?`}
          confirmLabel="Sign out"
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate({ id: asking.id })}
          onCancel={() => setAsking(null)}
        >
          <p>
            {asking.current
              ? 'This device stops syncing until you sign in again. Your work here stays on this device.'
              : `${asking.device} stops syncing until you sign in there again. Changes waiting there stay there.`}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
