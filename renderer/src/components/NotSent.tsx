import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useMemo, useRef, useState } from 'react';
import { entities } from '../../../shared/entities';
import { useTRPC } from '../api/client';
import { downloadExport } from '../api/exported-file';
import { counted } from '../lib/words';
import { useUi } from '../state/ui-store';
import { DiscardWaitingQuestion, versionsOf, waitingKey, type WaitingEntry } from './DiscardWaitingQuestion';
import { ErrorText } from './ErrorText';
import { ExportResult } from './ExportResult';
import { useWindowedRows } from './use-windowed-rows';

const KIND_WORDS = {
  new: 'new',
  changed: 'changed',
  trashed: 'moved to the trash',
  restored: 'restored',
  deleted: 'deleted',
} as const;

/**
 * A mark of the waiting list: the same entries at the same versions give the same mark. A hash (FNV-1a)
 * rather than the list, since 100,000 changes may wait and the mark is kept in the window's storage.
 */
export function waitingMark(list: readonly WaitingEntry[]): string {
  let hash = 0x811c9dc5;
  const text = list
    .map((entry) => `${waitingKey(entry)}@${entry.rev ?? ''}`)
    .sort()
    .join('\n');
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `${list.length}:${(hash >>> 0).toString(36)}`;
}

/**
 * Changes that cannot be sent, with the reason and the three choices: keep them waiting, export them,
 * discard them. The list follows the waiting changes live (`sync.onWaiting`). "Keep them waiting" folds
 * the notice to its first line while the same changes wait (remembered by the window, across a reload);
 * one more, or one changed again, opens it again. The discard asks first, listing what it drops.
 */
export function NotSent(props: { count: number; reason: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const live = useSubscription(trpc.sync.onWaiting.subscriptionOptions());
  const list = live.data ?? null;
  const kept = useUi((state) => state.keptWaiting);
  const keepWaiting = useUi((state) => state.keepWaiting);
  // Sorts every waiting entry: once per list, not at every render.
  const mark = useMemo(() => (list ? waitingMark(list) : null), [list]);
  /** The waiting versions when the question opened; null: not asking. */
  const [asked, setAsked] = useState<ReadonlyMap<string, string | null> | null>(null);
  const exported = useMutation(
    trpc.sync.exportWaiting.mutationOptions({ onSuccess: (result) => void downloadExport(result.filePath) }),
  );
  const discard = useMutation(
    trpc.sync.discardWaiting.mutationOptions({
      onSuccess: () => {
        setAsked(null);
        void queryClient.invalidateQueries();
      },
    }),
  );
  const words = `${counted(props.count, 'change')} not sent: ${props.reason}`;
  if (mark !== null && mark === kept && !asked) {
    return (
      <section aria-label="Changes not sent" className="notice">
        <p>
          <strong>{words}.</strong> Kept waiting on this device.{' '}
          <button type="button" className="btn" onClick={() => keepWaiting(null)}>
            Show the choices
          </button>
        </p>
      </section>
    );
  }
  return (
    <section aria-label="Changes not sent" className="notice">
      <p>
        <strong>{words}.</strong> They stay on this device until you choose.
      </p>
      {list ? <WaitingList list={list} /> : null}
      <div className="toolbar">
        <button type="button" className="btn" disabled={mark === null} onClick={() => keepWaiting(mark)}>
          Keep them waiting
        </button>
        <button type="button" className="btn" disabled={exported.isPending} onClick={() => exported.mutate()}>
          Export them (JSON)
        </button>
        <button
          type="button"
          className="btn danger"
          disabled={list === null}
          onClick={() => {
            discard.reset();
            if (list) setAsked(versionsOf(list));
          }}
        >
          Discard them…
        </button>
        {exported.data ? <ExportResult filePath={exported.data.filePath} rows={exported.data.rows} /> : null}
      </div>
      <ErrorText error={live.error ?? exported.error} />
      {asked && list ? (
        <DiscardWaitingQuestion
          list={list}
          asked={asked}
          busy={discard.isPending}
          error={discard.error}
          onConfirm={(entries) => discard.mutate({ entries })}
          onCancel={() => setAsked(null)}
        />
      ) : null}
    </section>
  );
}

/** The waiting entries, in a scroll box holding only those it shows; each says its place in the whole list. */
function WaitingList(props: { list: readonly WaitingEntry[] }) {
  const { list } = props;
  const scrollBox = useRef<HTMLDivElement>(null);
  const shown = useWindowedRows(scrollBox, list.length, 20);
  return (
    <div ref={scrollBox} className="windowed" tabIndex={0} onKeyDown={shown.onKeyDown} aria-label="Waiting changes">
      <ul>
        {shown.before > 0 ? <li aria-hidden="true" style={{ height: shown.before }} /> : null}
        {shown.rows.map((row) => {
          const entry = list[row.index]!;
          return (
            <li
              key={waitingKey(entry)}
              ref={shown.measure}
              data-index={row.index}
              aria-setsize={list.length}
              aria-posinset={row.index + 1}
            >
              {entities[entry.type].label} “{entry.title}” ({KIND_WORDS[entry.kind]})
            </li>
          );
        })}
        {shown.after > 0 ? <li aria-hidden="true" style={{ height: shown.after }} /> : null}
      </ul>
    </div>
  );
}
