import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { entities, type EntityType } from '../../../shared/entities';
import { tellNamesakesApart, withNamesakeDetail } from '../../../shared/readable';
import { useTRPC } from '../api/client';
import { usePermission } from '../api/permissions';
import { ConfirmDialog } from './ConfirmDialog';
import { RoleLostAlert } from './RoleLostAlert';
import {
  linksInTrashWords,
  namesakeWords,
  restorable,
  restoreButton,
  restoreTitle,
  trashedWords,
  type RestoreEntry,
} from './restore-words';

/** An entry to restore; `named` is how the screen asking names it ("rex (Breed: Husky)"), when it tells namesakes apart. */
type Item = { type: EntityType; id: string; named?: string };

export interface RestoreFromTrash {
  /** Asks first (what comes back, who trashed it and when, what will differ), then restores on confirmation. */
  request: (items: Item[]) => void;
  /** The question, when one is open; render it anywhere in the caller's tree. */
  confirmation: ReactNode;
  pending: boolean;
}

/**
 * Every restore out of the trash (the Trash screen, the library's undo, a reference chip) asks first.
 * NOTE: a restore is not permanent, so the question is a plain confirmation, not a typed word; it names
 * the versions it showed (`rev`), so an entry changed in the trash since is refused, and the question
 * is shown again as it is now.
 */
export function useRestoreFromTrash(onRestored?: (items: Item[]) => void): RestoreFromTrash {
  const [asking, setAsking] = useState<Item[] | null>(null);
  const [pending, setPending] = useState(false);
  return {
    request: setAsking,
    pending,
    confirmation: asking ? (
      <RestoreQuestion
        items={asking}
        onBusy={setPending}
        onDone={(restored) => {
          setAsking(null);
          onRestored?.(restored);
        }}
        onCancel={() => setAsking(null)}
      />
    ) : null,
  };
}

function RestoreQuestion(props: {
  items: Item[];
  onBusy: (busy: boolean) => void;
  onDone: (restored: Item[]) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.session.me.queryOptions()).data?.actor.id ?? null;
  // The role follows the server live: an editor made a viewer while this is open is told, not offered the restore.
  const restoring = usePermission('restoreEntries');
  const preview = useQuery({
    ...trpc.trash.restorePreview.queryOptions({ items: props.items.map(({ type, id }) => ({ type, id })) }),
    staleTime: 0,
    gcTime: 0,
  });
  const restore = useMutation(
    trpc.trash.restore.mutationOptions({
      onMutate: () => props.onBusy(true),
      onSettled: () => props.onBusy(false),
      onSuccess: (_count, input) => {
        void queryClient.invalidateQueries();
        props.onDone(input.items.map(({ type, id }) => ({ type, id })));
      },
      // A changed entry is refused: show what the restore would do now.
      onError: () => void preview.refetch(),
    }),
  );
  const named = new Map(props.items.flatMap(({ id, named }) => (named ? [[id, named] as const] : [])));
  // As the asking screen named them (its namesake details), else as the preview reads.
  const entries = (preview.data?.entries ?? []).map((entry) => ({
    ...entry,
    title: named.get(entry.id) ?? entry.title,
  }));
  const going = restorable(entries);
  return (
    <ConfirmDialog
      title={restoreTitle(preview.data ? entries : props.items.map((item) => ({ title: item.named ?? '' })))}
      confirmLabel={restoreButton(entries.length, going.length)}
      busy={!preview.data || going.length === 0 || restore.isPending || !restoring.allowed}
      error={restore.error ?? preview.error}
      onConfirm={() =>
        restoring.allowed && restore.mutate({ items: going.map(({ type, id, rev }) => ({ type, id, rev })) })
      }
      onCancel={props.onCancel}
    >
      {preview.data ? (
        <RestoreSummary entries={entries} me={me} />
      ) : (
        <p className="muted">Working out what the restore does…</p>
      )}
      <RoleLostAlert reason={restoring.reason} nothing="restored" busy={restore.isPending} />
    </ConfirmDialog>
  );
}

/** What a restore brings back, entry by entry, with what will differ once it is back. */
export function RestoreSummary(props: { entries: RestoreEntry[]; me: string | null }) {
  const { entries } = props;
  const going = restorable(entries);
  const details = tellNamesakesApart(entries, (entry) => ({ ...entry, document: entry.facts }));
  return (
    <section aria-label="What the restore does">
      <p>
        {going.length === 0
          ? 'Nothing here can be restored as it is.'
          : `${going.length === 1 ? 'It comes' : 'They come'} back as ${going.length === 1 ? 'it was' : 'they were'} when moved to the trash, for everyone, with every link ${going.length === 1 ? 'it keeps' : 'they keep'}.`}
      </p>
      <ul aria-label="Entries to restore">
        {entries.map((entry) => (
          <li key={entry.id}>
            <strong>
              {entities[entry.type].label}: {withNamesakeDetail(entry.title || '(untitled)', details.get(entry.id))}
            </strong>
            . {trashedWords(entry, props.me)}
            {entry.refusal ? (
              <span role="alert" className="field-error">
                {' '}
                Not restored: {entry.refusal}
              </span>
            ) : null}
            {[namesakeWords(entry), linksInTrashWords(entry)]
              .filter((words): words is string => words !== null)
              .map((words) => (
                <span key={words}> {words}</span>
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
