import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC, useTRPCClient } from '../../api/client';
import type { Outputs } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';

type Item = { type: EntityType; id: string };
type Linked = Outputs['trash']['trashPreview']['linked'];

/** Referrers named per entry; the count in the summary covers the rest. */
const NAMED_REFERRERS = 10;

export interface MoveToTrash {
  /** Moves `items` to the trash, first asking once when live entries link to any of them. */
  request: (items: Item[]) => void;
  /** The question, when one is open; render it anywhere in the caller's tree. */
  confirmation: ReactNode;
  pending: boolean;
  error: unknown;
}

/**
 * Moving to the trash keeps every link to the entry, and the linking entries
 * then show it as "in trash". People should know that before they click, so
 * the entries that link to it are listed and the move asks once. Nothing
 * links: it moves at once (it is undone by a restore).
 */
export function useMoveToTrash(onMoved: (items: Item[]) => void): MoveToTrash {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<{ items: Item[]; linked: Linked } | null>(null);
  const [checking, setChecking] = useState(false);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const trash = useMutation(
    trpc.trash.trash.mutationOptions({
      onSuccess: (_moved, input) => {
        setAsking(null);
        void queryClient.invalidateQueries();
        onMoved(input.items);
      },
    }),
  );

  const request = (items: Item[]) => {
    setChecking(true);
    setPreviewError(null);
    trash.reset();
    client.trash.trashPreview
      .query({ items })
      .then(({ linked }) => {
        if (linked.length === 0) trash.mutate({ items });
        else setAsking({ items, linked });
      })
      .catch(setPreviewError)
      .finally(() => setChecking(false));
  };

  const confirmation = asking ? (
    <Dialog title={trashQuestion(asking.items, asking.linked)} open onClose={() => setAsking(null)}>
      <p>
        They keep the link, shown as “in trash”, until the entry is restored or deleted permanently. Saving them still
        works.
      </p>
      {asking.linked.map((entry) => (
        <section key={entry.id} aria-label={`Links to ${entry.title}`}>
          <p>
            <strong>{entry.title || '(untitled)'}</strong>: {entry.summary.replace(/\.$/, '')}:
          </p>
          <ul>
            {entry.referrers.slice(0, NAMED_REFERRERS).map((referrer) => (
              <li key={referrer.id}>
                {entities[referrer.type].label}: {referrer.title || '(untitled)'}
              </li>
            ))}
            {entry.referrers.length > NAMED_REFERRERS ? (
              <li className="muted">and {entry.referrers.length - NAMED_REFERRERS} more</li>
            ) : null}
          </ul>
        </section>
      ))}
      <ErrorText error={trash.error} />
      <div className="toolbar" style={{ marginTop: 12 }}>
        <button
          type="button"
          className="btn danger"
          disabled={trash.isPending}
          onClick={() => trash.mutate({ items: asking.items })}
        >
          Move to trash
        </button>
        <button type="button" className="btn" onClick={() => setAsking(null)} autoFocus>
          Cancel
        </button>
      </div>
    </Dialog>
  ) : null;

  return {
    request,
    confirmation,
    pending: checking || trash.isPending,
    error: asking ? null : (previewError ?? trash.error),
  };
}

function trashQuestion(items: Item[], linked: Linked): string {
  if (items.length === 1) return `Other entries link to “${linked[0]!.title || '(untitled)'}”. Move it to the trash?`;
  return `${linked.length} of these ${items.length} entries are linked from other entries. Move all ${items.length} to the trash?`;
}
