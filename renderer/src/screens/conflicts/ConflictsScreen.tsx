import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { useSyncView } from '../../api/sync-state';
import { DataTable } from '../../components/DataTable';
import { ErrorText } from '../../components/ErrorText';
import { labelOf } from '../../forms/form-fields';
import { fieldsSummary } from './choices';
import { ConflictDetail } from './ConflictDetail';

type StatusFilter = 'open' | 'resolved' | 'dismissed' | 'all';
const KIND_WORDS = {
  merge: 'Edited on both sides',
  delete: 'Edit versus permanent delete',
  refused: 'Refused by the server',
};

/** Recorded sync conflicts; open one to compare base, local and server per field and resolve it. */
export default function ConflictsScreen() {
  const trpc = useTRPC();
  const sync = useSyncView();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useQuery(trpc.conflicts.list.queryOptions({ status, limit: 200 }));
  return (
    <>
      <h2>Conflicts</h2>
      <div className="toolbar">
        <label>
          Show
          <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
            <option value="dismissed">Dismissed</option>
            <option value="all">All</option>
          </select>
        </label>
      </div>
      <ErrorText error={list.error} />
      {list.data?.items.length === 0 ? (
        <p className="notice" role="status">
          No {status === 'all' ? '' : status} conflicts.
          {sync.phase === 'signed-out'
            ? ' Conflicts appear when offline edits on two devices meet on the sync server; this profile is not signed in to one.'
            : ''}
        </p>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <DataTable
          label="Conflicts"
          rows={list.data.items}
          rowKey={(record) => record.id}
          rowProps={(record) => ({ 'aria-selected': record.id === openId })}
          columns={[
            {
              header: 'Entry',
              cell: (record) => (
                <button type="button" className="btn" onClick={() => setOpenId(record.id)}>
                  {entities[record.entityType as EntityType]?.label}: {record.entityTitle || '(untitled)'}
                </button>
              ),
            },
            { header: 'What happened', cell: (record) => KIND_WORDS[record.kind] },
            {
              header: 'Fields',
              cell: (record) => fieldsSummary(record, (field) => labelOf(record.entityType as EntityType, field)),
            },
            {
              header: 'Detected',
              cell: (record) => `${new Date(record.detectedAt).toLocaleString()} by ${record.detectedBy.name}`,
            },
            { header: 'Status', cell: (record) => record.status },
          ]}
        />
      ) : null}
      {openId ? <ConflictDetail key={openId} id={openId} onClose={() => setOpenId(null)} onOpen={setOpenId} /> : null}
    </>
  );
}
