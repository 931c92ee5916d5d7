import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { entities } from '../../../shared/entities';
import { counted } from '../lib/words';
import { useTRPC } from '../api/client';
import { downloadExport } from '../api/exported-file';
import { useRole } from '../api/permissions';
import { useSyncView } from '../api/sync-state';
import { Dialog } from './Dialog';
import { ErrorText } from './ErrorText';
import { ExportResult } from './ExportResult';

const KIND_WORDS = {
  new: 'new',
  changed: 'changed',
  trashed: 'moved to the trash',
  restored: 'restored',
  deleted: 'deleted',
} as const;

/**
 * Above every screen: a viewer is told why the forms are read-only, and
 * changes that can no longer be sent (a demoted user's) are listed with the
 * reason and the three choices: keep them waiting, export them, discard them.
 */
export function RoleNotice() {
  const role = useRole();
  const sync = useSyncView();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const serverRole = sync.status?.user?.role;
  useEffect(() => {
    // Screens that read the session (`session.me`) follow a role the server changed, too.
    void queryClient.invalidateQueries({ queryKey: trpc.session.me.queryKey() });
  }, [serverRole, queryClient, trpc]);
  const reason = sync.status?.notSentReason ?? null;
  const notSent = reason && sync.waiting > 0 ? sync.waiting : 0;
  return (
    <>
      {role === 'viewer' ? (
        <p role="status" aria-label="Your role" className="notice">
          You are signed in as a viewer
          {reason === 'your role is now viewer' ? ' (an admin changed your role)' : ''}: you can read, search and
          export; creating, editing and importing need an editor. Ask an admin if you need to edit.
        </p>
      ) : null}
      {notSent > 0 && reason ? <NotSent count={notSent} reason={reason} /> : null}
    </>
  );
}

function NotSent(props: { count: number; reason: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kept, setKept] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const waiting = useQuery({ ...trpc.sync.waiting.queryOptions(), enabled: !kept });
  const exported = useMutation(
    trpc.sync.exportWaiting.mutationOptions({ onSuccess: (result) => void downloadExport(result.filePath) }),
  );
  const discard = useMutation(
    trpc.sync.discardWaiting.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries();
      },
    }),
  );
  const changes = counted(props.count, 'change');
  const words = `${changes} not sent: ${props.reason}`;
  if (kept) return null;
  return (
    <section aria-label="Changes not sent" className="notice">
      <p>
        <strong>{words}.</strong> They stay on this device until you choose.
      </p>
      <ul>
        {waiting.data?.map((entry) => (
          <li key={`${entry.type}/${entry.id}`}>
            {entities[entry.type].label} “{entry.title}” ({KIND_WORDS[entry.kind]})
          </li>
        ))}
      </ul>
      <div className="toolbar">
        <button type="button" className="btn" onClick={() => setKept(true)}>
          Keep them waiting
        </button>
        <button type="button" className="btn" disabled={exported.isPending} onClick={() => exported.mutate()}>
          Export them (JSON)
        </button>
        <button type="button" className="btn danger" onClick={() => setConfirming(true)}>
          Discard them…
        </button>
        {exported.data ? <ExportResult filePath={exported.data.filePath} rows={exported.data.rows} /> : null}
      </div>
      <ErrorText error={waiting.error ?? exported.error} />
      <Dialog
        title={`Discard ${counted(props.count, 'not-sent change')}?`}
        open={confirming}
        onClose={() => setConfirming(false)}
      >
        <p>
          Each entry goes back to the version the server has; entries the server never had are removed. The discard is
          recorded in the audit. Export them first if you may need them.
        </p>
        <ErrorText error={discard.error} />
        <div className="toolbar">
          <button type="button" className="btn danger" disabled={discard.isPending} onClick={() => discard.mutate()}>
            Discard {changes}
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </section>
  );
}
