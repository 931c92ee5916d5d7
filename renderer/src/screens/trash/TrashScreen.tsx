import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { entities, titleOf, type EntityType } from '../../../../shared/entities';
import { tellNamesakesApart, withNamesakeDetail } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { NotAllowed } from '../../components/NotAllowed';
import { DataTable } from '../../components/DataTable';
import { ErrorText } from '../../components/ErrorText';
import { NamesakeDetail } from '../../components/NamesakeDetail';
import { useRestoreFromTrash } from '../../components/RestoreFromTrash';
import { TypeSelect } from '../../components/TypeSelect';
import { PermanentDeleteDialog } from './PermanentDeleteDialog';
import { PurgeControl } from './PurgeControl';

type Ref = { type: EntityType; id: string };

/** Everything in the trash, filterable by type: restore, delete permanently, purge old entries. */
export default function TrashScreen() {
  const trpc = useTRPC();
  const mayRestore = usePermission('restoreEntries');
  const mayDelete = usePermission('deletePermanently').allowed;
  const [type, setType] = useState<EntityType | ''>('');
  const [selected, setSelected] = useState<Ref[]>([]);
  // With the version the row shows: the delete is refused if the entry is restored or changed meanwhile.
  const [deleting, setDeleting] = useState<(Ref & { rev: string }) | null>(null);
  const list = useInfiniteQuery(
    trpc.trash.list.infiniteQueryOptions(
      { ...(type ? { type } : {}), limit: 100 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  // Asked first: what comes back, who trashed it and when, and what will differ (a taken name, links left in the trash).
  const restore = useRestoreFromTrash((restored) =>
    setSelected((s) => s.filter((ref) => !restored.some((r) => r.id === ref.id))),
  );
  const rows = useMemo(() => {
    const items = (list.data?.pages.flatMap((page) => page.items) ?? []).map(({ type: itemType, document }) => ({
      ref: { type: itemType, id: document.id },
      title: titleOf(itemType, document) || '(untitled)',
      document,
    }));
    // Entries in the trash that share a name say what tells them apart, in the row and in its buttons' names.
    const details = tellNamesakesApart(items, ({ ref, title, document }) => ({ ...ref, title, document }));
    return items.map((item) => {
      const namesake = details.get(item.ref.id);
      return { ...item, namesake, named: withNamesakeDetail(item.title, namesake) };
    });
  }, [list.data]);
  const isSelected = (ref: Ref) => selected.some((s) => s.id === ref.id);
  const toggle = (ref: Ref) => setSelected((s) => (isSelected(ref) ? s.filter((x) => x.id !== ref.id) : [...s, ref]));

  return (
    <>
      <h2>Trash</h2>
      <div className="toolbar">
        <label>
          Type
          <TypeSelect anyLabel="All types" value={type} onChange={setType} />
        </label>
        <button
          type="button"
          className="btn"
          disabled={selected.length === 0 || restore.pending || !mayRestore.allowed}
          title={mayRestore.reason ?? undefined}
          onClick={() => restore.request(selected)}
        >
          Restore selected ({selected.length})…
        </button>
        <PurgeControl />
      </div>
      <NotAllowed permission="deletePermanently" />
      <ErrorText error={list.error} />
      <DataTable
        label="Entries in the trash"
        rows={list.isPending ? undefined : rows}
        rowKey={(row) => row.ref.id}
        empty="The trash is empty."
        columns={[
          {
            header: 'Selected',
            headerHidden: true,
            cell: ({ ref, named }) => (
              <input
                type="checkbox"
                aria-label={`Select ${named}`}
                checked={isSelected(ref)}
                onChange={() => toggle(ref)}
              />
            ),
          },
          {
            header: 'Title',
            cell: ({ title, namesake }) => (
              <>
                {title}
                <NamesakeDetail detail={namesake} />
              </>
            ),
          },
          { header: 'Type', cell: ({ ref }) => entities[ref.type].label },
          {
            header: 'Deleted',
            cell: ({ document }) => (document.deletedAt ? new Date(document.deletedAt).toLocaleString() : ''),
          },
          { header: 'By', cell: ({ document }) => document.deletedBy?.name },
          {
            header: 'Actions',
            cell: ({ ref, named, document }) => (
              <>
                <button
                  type="button"
                  className="btn"
                  onClick={() => restore.request([{ ...ref, named }])}
                  disabled={!mayRestore.allowed || restore.pending}
                  title={mayRestore.reason ?? undefined}
                  aria-label={`Restore ${named}`}
                >
                  Restore…
                </button>{' '}
                {mayDelete ? (
                  <button
                    type="button"
                    className="btn danger"
                    onClick={() => setDeleting({ ...ref, rev: document.rev })}
                    aria-label={`Delete ${named} permanently`}
                  >
                    Delete permanently…
                  </button>
                ) : null}
              </>
            ),
          },
        ]}
      />
      {list.hasNextPage ? (
        <button
          type="button"
          className="btn"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          Show more
        </button>
      ) : null}
      <PermanentDeleteDialog target={deleting} onClose={() => setDeleting(null)} />
      {restore.confirmation}
    </>
  );
}
