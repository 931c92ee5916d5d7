import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { CopyLinkButton } from '../../components/CopyLinkButton';
import { ErrorText } from '../../components/ErrorText';
import { ACTION_WORDS, readableEntryChanges, type LinkTitles } from '../../../../shared/readable';
import { useShortcuts } from '../../lib/shortcuts';
import { useUi } from '../../state/ui-store';
import { NotInHistoryYet } from './NotInHistoryYet';
import { RestoreVersionQuestion } from './RestoreVersionQuestion';

/** An entry's history from the audit, newest first, each with a field diff and "restore this version". */
export function HistoryPanel({ target }: { target: { type: EntityType; id: string } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const openHistory = useUi((s) => s.openHistory);
  const history = useQuery(trpc.history.list.queryOptions(target));
  const current = useQuery(trpc.entities.get.queryOptions(target));
  // The entry changed since its versions were read (patched live, maybe before its history entry came): read
  // them again, so an edit the history does not explain yet shows below, and only once both are read.
  const entryRead = current.dataUpdatedAt;
  const { refetch: readHistory, dataUpdatedAt: historyRead } = history;
  useEffect(() => {
    if (entryRead > historyRead) void readHistory();
  }, [entryRead, historyRead, readHistory]);
  // Asked first, naming each field the version changes back.
  const [asking, setAsking] = useState<string | null>(null);
  const restore = useMutation(
    trpc.history.restore.mutationOptions({
      onSuccess: () => {
        setAsking(null);
        void queryClient.invalidateQueries();
      },
      // A refused restore (a change since the versions were shown): read them and the entry again, as they are now.
      onError: () => {
        void history.refetch();
        void current.refetch();
      },
    }),
  );
  const askedVersion = history.data?.find((entry) => entry.id === asking);
  // The titles of every link the history names, so both sides of the question read as names.
  const titles = Object.assign({}, ...(history.data ?? []).map((entry) => entry.titles)) as LinkTitles;
  const close = () => openHistory(null);
  useShortcuts([{ key: 'Escape', allowInInputs: true, run: close }]);
  const title = current.data ? String((current.data as Record<string, unknown>)[entities[target.type].titleField]) : '';
  return (
    <aside className="side-panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History of {title || entities[target.type].label.toLowerCase()}</h2>
      <button type="button" className="btn" onClick={close}>
        Back to the editor <span className="muted">(Esc)</span>
      </button>
      <ErrorText error={history.error ?? (asking ? null : restore.error)} />
      {restore.isSuccess ? <p role="status">Restored that version as a new change.</p> : null}
      {current.data && history.data?.[0] && historyRead >= entryRead ? (
        <NotInHistoryYet type={target.type} entry={current.data} newest={history.data[0]} titles={titles} />
      ) : null}
      <ol aria-label="Versions" style={{ paddingLeft: 16 }}>
        {history.data?.map((entry, index) => (
          <li key={entry.id} style={{ marginBottom: 16 }}>
            <p>
              <strong>{ACTION_WORDS[entry.action]}</strong> by {entry.actor.name} on{' '}
              <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
            </p>
            <div className="diff" role="table" aria-label={`Changes on ${new Date(entry.at).toLocaleString()}`}>
              {readableEntryChanges(entry).map((diff) => (
                <div role="row" key={diff.field} style={{ display: 'contents' }}>
                  <span role="cell">{diff.label}</span>
                  <del role="cell" aria-label={`was ${diff.from}`}>
                    {diff.from}
                  </del>
                  <ins role="cell" aria-label={`became ${diff.to}`}>
                    {diff.to}
                  </ins>
                </div>
              ))}
            </div>
            {index > 0 ? (
              <button
                type="button"
                className="btn"
                disabled={restore.isPending}
                onClick={() => {
                  restore.reset();
                  setAsking(entry.id);
                }}
              >
                Restore this version…
              </button>
            ) : index === 0 ? (
              <span className="muted">Current version</span>
            ) : null}{' '}
            {/* Each version names its entry: the link opens the entry as it is now. */}
            <CopyLinkButton
              target={target}
              label={`Copy link to this entry (version of ${new Date(entry.at).toLocaleString()})`}
            />
          </li>
        ))}
      </ol>
      {askedVersion && history.data ? (
        <RestoreVersionQuestion
          type={target.type}
          version={askedVersion}
          current={history.data[0]!}
          titles={titles}
          busy={restore.isPending}
          error={restore.error}
          // The version shown as current is the base: a field changed since is refused, not overwritten.
          onConfirm={() => restore.mutate({ ...target, entryId: askedVersion.id, currentEntryId: history.data[0]!.id })}
          onCancel={() => setAsking(null)}
        />
      ) : null}
    </aside>
  );
}
