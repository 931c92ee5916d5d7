import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { whoDid } from '../../../../shared/readable';
import { useTRPC, useTRPCClient } from '../../api/client';
import { toShownError } from '../../api/errors';
import { usePermission } from '../../api/permissions';
import type { Outputs } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { RoleLostAlert } from '../../components/RoleLostAlert';

type Item = { type: EntityType; id: string };
type Preview = Outputs['trash']['trashPreview'];
type Linked = Preview['linked'];

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
 * NOTE: the move names what it was shown (each entry's `rev` and the entries
 * linking to it, `linked`), so the core refuses one edited or newly linked
 * since; a move at once refused so opens the question as it is now, with the
 * refusal's words.
 */
export function useMoveToTrash(onMoved: (items: Item[]) => void): MoveToTrash {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<{ items: Item[]; shown: Preview | null; refusal: unknown } | null>(null);
  const [checking, setChecking] = useState(false);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const trash = useMutation(
    trpc.trash.trash.mutationOptions({
      onSuccess: (_moved, input) => {
        void queryClient.invalidateQueries();
        onMoved(input.items.map(({ type, id }) => ({ type, id })));
      },
    }),
  );

  const request = (items: Item[]) => {
    setChecking(true);
    setPreviewError(null);
    trash.reset();
    client.trash.trashPreview
      .query({ items })
      .then((preview) => {
        if (preview.linked.length > 0) return setAsking({ items, shown: preview, refusal: null });
        trash.mutate(
          { items: movesOf(preview) },
          {
            // Linked or changed between the look and the move: ask, as it is now.
            onError: (error) => {
              if (toShownError(error).code !== 'CONFLICT') return;
              trash.reset();
              setAsking({ items, shown: null, refusal: error });
            },
          },
        );
      })
      .catch(setPreviewError)
      .finally(() => setChecking(false));
  };

  const confirmation = asking ? (
    <MoveToTrashQuestion
      key={asking.items.map((item) => item.id).join(' ')}
      items={asking.items}
      shown={asking.shown}
      refusal={asking.refusal}
      onMoved={(items) => {
        setAsking(null);
        void queryClient.invalidateQueries();
        onMoved(items);
      }}
      onCancel={() => setAsking(null)}
    />
  ) : null;

  return {
    request,
    confirmation,
    pending: checking || trash.isPending,
    error: asking ? null : (previewError ?? trash.error),
  };
}

/**
 * The question itself. It follows the entries and what links to them live (`trash.onTrashPreview`): a link
 * made, an edit or a move to the trash by a teammate (the sync brings it) while it is open is shown at once
 * and said in words, and Move to trash then moves them as shown now. The move names that (`rev`,
 * `linked`), so the core refuses a change that reached the core but not yet this question.
 */
function MoveToTrashQuestion(props: {
  items: Item[];
  /** What the question showed first; null: its first live reading (a move at once was refused). */
  shown: Preview | null;
  refusal: unknown;
  onMoved: (items: Item[]) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions()).data?.actor.id ?? null;
  // The role follows the server live: an editor made a viewer while this is open is told, not offered the move.
  const moving = usePermission('trashEntries');
  const live = useSubscription(
    trpc.trash.onTrashPreview.subscriptionOptions({ items: props.items.map(({ type, id }) => ({ type, id })) }),
  );
  const [shown, setShown] = useState(props.shown);
  if (shown === null && live.data) setShown(live.data);
  const now = live.data ?? shown;
  const trash = useMutation(
    trpc.trash.trash.mutationOptions({
      onSuccess: (_moved, input) => props.onMoved(input.items.map(({ type, id }) => ({ type, id }))),
    }),
  );
  const changes = shown && now ? changedMeanwhile(shown, now, me) : [];
  const going = now ? movesOf(now) : [];
  return (
    <Dialog title={trashQuestion(props.items, shown ?? now)} open onClose={props.onCancel}>
      <p>
        They keep the link, shown as “in trash”, until the entry is restored or deleted permanently. Saving them still
        works.
      </p>
      {changes.length > 0 ? (
        <p role="alert" className="notice">
          {changes.join(' ')}{' '}
          {going.length === 0
            ? 'Nothing is left to move.'
            : 'The question shows what links to it now; Move to trash moves it as shown.'}
        </p>
      ) : null}
      {(now?.linked ?? []).map((entry) => (
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
      <RoleLostAlert reason={moving.reason} nothing="moved" busy={trash.isPending} />
      <ErrorText error={trash.isPending ? null : (trash.error ?? live.error ?? props.refusal)} />
      <div className="toolbar" style={{ marginTop: 12 }}>
        <button
          type="button"
          className="btn danger"
          disabled={trash.isPending || going.length === 0 || !moving.allowed}
          onClick={() => moving.allowed && trash.mutate({ items: going })}
        >
          Move to trash
        </button>
        <button type="button" className="btn" onClick={props.onCancel} autoFocus>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/** The move a question confirms: each entry still live, named by the version and the links `preview` showed. */
function movesOf(preview: Preview) {
  return preview.versions
    .filter((version) => !version.inTrash)
    .map(({ type, id, rev }) => ({
      type,
      id,
      rev,
      linked: preview.linked.find((entry) => entry.id === id)?.referrers.map((referrer) => referrer.id) ?? [],
    }));
}

/**
 * What changed since the question first showed the entries, in words: "Eddie Editor linked Video: Rex at the
 * beach to “Rex” while this question was open." (an edit, a move to the trash, a new link; by you elsewhere).
 */
function changedMeanwhile(shown: Preview, now: Preview, me: string | null): string[] {
  const words: string[] = [];
  for (const version of now.versions) {
    const before = shown.versions.find((v) => v.id === version.id);
    if (!before || before.rev === version.rev) continue;
    const title = `“${version.title || '(untitled)'}”`;
    words.push(
      version.inTrash && !before.inTrash
        ? `${whoDid(version.updatedBy, me, `moved ${title} to the trash`)} while this question was open; it stays there.`
        : `${whoDid(version.updatedBy, me, `changed ${title}`)} while this question was open.`,
    );
  }
  for (const entry of now.linked) {
    const asked = new Set(shown.linked.find((e) => e.id === entry.id)?.referrers.map((r) => r.id) ?? []);
    for (const referrer of entry.referrers.filter((r) => !asked.has(r.id))) {
      const what = `${entities[referrer.type].label}: ${referrer.title || '(untitled)'}`;
      words.push(
        `${whoDid(referrer.by, me, `linked ${what} to “${entry.title || '(untitled)'}”`)} while this question was open.`,
      );
    }
  }
  return words;
}

function trashQuestion(items: Item[], preview: Preview | null): string {
  const linked: Linked = preview?.linked ?? [];
  if (items.length === 1) {
    const title = linked[0]?.title ?? preview?.versions[0]?.title ?? '';
    return linked.length > 0
      ? `Other entries link to “${title || '(untitled)'}”. Move it to the trash?`
      : `Move “${title || '(untitled)'}” to the trash?`;
  }
  return `${linked.length} of these ${items.length} entries are linked from other entries. Move all ${items.length} to the trash?`;
}
