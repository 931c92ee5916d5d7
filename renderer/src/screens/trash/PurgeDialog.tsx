import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ENTITY_TYPES, entities } from '../../../../shared/entities';
import { countedEntries } from '../../../../shared/readable';
import { counted } from '../../lib/words';
import { useTRPC, useTRPCClient } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { Progress } from '../../components/Progress';
import { RoleLostAlert } from '../../components/RoleLostAlert';
import { TypedConfirmation } from '../../components/TypedConfirmation';

const CONFIRM_WORD = 'DELETE';

export type PurgeScope = { olderThanDays: number } | { everything: true };

/**
 * Shows what a purge deletes (entries per type) and which references it
 * removes from which entries, then purges exactly that once DELETE is typed.
 */
export function PurgeDialog(props: { scope: PurgeScope | null; onClose: () => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [purged, setPurged] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const scope = props.scope;
  // The role follows the server live: an admin made an editor while this is open is told, not offered the purge.
  const purging = usePermission('purgeTrash');
  const preview = useQuery({
    ...trpc.trash.purgePreview.queryOptions(scope ?? {}),
    enabled: scope !== null && purged === null,
    staleTime: 0,
    gcTime: 0,
  });
  const close = () => {
    setTyped('');
    setProgress(null);
    setPurged(null);
    setError(null);
    props.onClose();
  };
  const purge = () => {
    if (!scope || !preview.data || !purging.allowed) return;
    setError(null);
    setProgress({ done: 0, total: preview.data.total });
    const subscription = client.trash.purge.subscribe(
      { ...scope, token: preview.data.token },
      {
        onData: (event) => {
          if (event.type === 'progress') setProgress({ done: event.done, total: event.total });
          else setPurged(event.purged);
        },
        onError: (failure) => {
          setError(failure);
          setProgress(null);
          // A stale preview is refused: show the current one.
          void preview.refetch();
        },
        onComplete: () => {
          setProgress(null);
          void queryClient.invalidateQueries();
          subscription.unsubscribe();
        },
      },
    );
  };
  const data = preview.data;
  const what =
    scope && 'everything' in scope
      ? 'everything in the trash'
      : `entries in the trash for more than ${counted(scope?.olderThanDays ?? 0, 'day')}`;
  return (
    <Dialog title="Purge the trash?" open={scope !== null} onClose={close}>
      {purged !== null ? (
        <>
          <p role="status">
            Purged {counted(purged, 'entry', 'entries')}. A safety snapshot from just before is listed in Settings.
          </p>
          <button type="button" className="btn" onClick={close}>
            Close
          </button>
        </>
      ) : (
        <>
          <p>This deletes {what} for good. A safety snapshot is taken first; Settings can restore it.</p>
          {data ? (
            <section aria-label="What the purge deletes">
              <p role="status">
                <strong>
                  {data.total === 0
                    ? 'Nothing to purge.'
                    : `${counted(data.total, 'entry', 'entries')}: ${ENTITY_TYPES.filter((t) => data.counts[t] > 0)
                        .map((t) => countedEntries(t, data.counts[t]))
                        .join(', ')}.`}
                </strong>
              </p>
              <p>
                {data.references.total === 0
                  ? 'No other entry links to them.'
                  : `${counted(data.references.total, 'reference is', 'references are')} removed from ${counted(data.references.entries.length, 'entry', 'entries')}:`}
              </p>
              {data.references.entries.length > 0 ? (
                <ul aria-label="References removed from">
                  {data.references.entries.map((r) => (
                    <li key={r.id}>
                      {entities[r.type].label}: {r.title || '(untitled)'} ({r.removed})
                    </li>
                  ))}
                </ul>
              ) : null}
            </section>
          ) : preview.isPending && scope ? (
            <p className="muted">Working out what the purge deletes…</p>
          ) : null}
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (typed === CONFIRM_WORD) purge();
            }}
          >
            <TypedConfirmation word={CONFIRM_WORD} value={typed} onChange={setTyped} />
            <Progress label="Purging" progress={progress} />
            <RoleLostAlert reason={purging.reason} nothing="purged" busy={progress !== null} />
            <ErrorText error={error ?? preview.error} />
            <div className="toolbar" style={{ marginTop: 12 }}>
              <button
                type="submit"
                className="btn danger"
                disabled={typed !== CONFIRM_WORD || !data || data.total === 0 || progress !== null || !purging.allowed}
              >
                Purge permanently
              </button>
              <button type="button" className="btn" onClick={close} disabled={progress !== null}>
                Cancel
              </button>
            </div>
          </form>
        </>
      )}
    </Dialog>
  );
}
