import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { PurgeDialog, type PurgeScope } from './PurgeDialog';

/**
 * Purge entries in the trash for longer than N days. The retention setting is
 * the floor; going below it is the explicit "everything in the trash" choice.
 * Both open the preview, which asks for DELETE. Admins only.
 */
export function PurgeControl() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.settings.get.queryOptions());
  const purging = usePermission('purgeTrash');
  const retention = settings.data?.trashRetentionDays ?? 30;
  const [days, setDays] = useState<string>('');
  const [everything, setEverything] = useState(false);
  const [open, setOpen] = useState<PurgeScope | null>(null);
  const olderThanDays = days === '' ? retention : Number(days);
  const belowFloor = !everything && (!Number.isInteger(olderThanDays) || olderThanDays < retention);
  const isAdmin = purging.allowed;

  return (
    <div className="toolbar" role="group" aria-label="Purge old entries">
      <label>
        Older than (days)
        <input
          type="number"
          min={retention}
          value={days === '' ? retention : days}
          onChange={(event) => setDays(event.target.value)}
          disabled={everything}
          aria-describedby="purge-floor"
          style={{ width: 90 }}
        />
      </label>
      <label style={{ flexDirection: 'row', alignItems: 'center' }}>
        <input type="checkbox" checked={everything} onChange={(event) => setEverything(event.target.checked)} />
        Everything in the trash
      </label>
      <button
        type="button"
        className="btn danger"
        disabled={!isAdmin || belowFloor}
        onClick={() => setOpen(everything ? { everything: true } : { olderThanDays })}
      >
        Purge…
      </button>
      <span id="purge-floor" className={belowFloor ? 'error' : 'muted'}>
        {purging.reason
          ? purging.reason
          : belowFloor
            ? `At least ${retention} days (the retention in Settings). For newer entries choose "Everything in the trash".`
            : everything
              ? 'Also entries trashed moments ago.'
              : null}
      </span>
      <PurgeDialog scope={open} onClose={() => setOpen(null)} />
    </div>
  );
}
