import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { CopyLinkButton } from '../../components/CopyLinkButton';
import { ErrorText } from '../../components/ErrorText';
import { ACTION_WORDS, readableEntryChanges } from '../../../../shared/readable';
import { useShortcuts } from '../../lib/shortcuts';
import { useUi } from '../../state/ui-store';

/** An entry's history from the audit, newest first, each with a field diff and "restore this version". */
export function HistoryPanel({ target }: { target: { type: EntityType; id: string } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const openHistory = useUi((s) => s.openHistory);
  const history = useQuery(trpc.history.list.queryOptions(target));
  const current = useQuery(trpc.entities.get.queryOptions(target));
  const restore = useMutation(
    trpc.history.restore.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const close = () => openHistory(null);
  useShortcuts([{ key: 'Escape', allowInInputs: true, run: close }]);
  const title = current.data ? String((current.data as Record<string, unknown>)[entities[target.type].titleField]) : '';
  return (
    <aside className="side-panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History of {title || entities[target.type].label.toLowerCase()}</h2>
      <button type="button" className="btn" onClick={close}>
        Back to the editor <span className="muted">(Esc)</span>
      </button>
      <ErrorText error={history.error ?? restore.error} />
      {restore.isSuccess ? <p role="status">Restored that version as a new change.</p> : null}
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
                onClick={() =>
                  // The version shown as current is the base: a field changed since is refused, not overwritten.
                  restore.mutate({ ...target, entryId: entry.id, currentEntryId: history.data[0]!.id })
                }
              >
                Restore this version
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
    </aside>
  );
}
