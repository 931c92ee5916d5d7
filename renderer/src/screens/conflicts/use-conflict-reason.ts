import { useQuery } from '@tanstack/react-query';
import { conflictReason } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import type { Outputs } from '../../api/types';

type ConflictRecord = Outputs['conflicts']['get'];
type PurgeEntry = { at: string; actor: { name: string } };

/**
 * The permanent delete a delete conflict is about, from the audit trail: the latest one recorded no
 * later than the conflict, else (a device clock behind) the first one after it.
 */
export function deleteBehind(entries: PurgeEntry[], detectedAt: string): PurgeEntry | undefined {
  const byTime = [...entries].sort((a, b) => a.at.localeCompare(b.at));
  return byTime.filter((entry) => entry.at <= detectedAt).at(-1) ?? byTime.find((entry) => entry.at > detectedAt);
}

/**
 * What the conflict detail says about `record` (undefined while it loads). A delete conflict names who
 * deleted the entry: the record knows it only when the delete was made where the conflict was recorded,
 * so the audit trail's permanent delete of the entry (it replicates) is asked for the other case too.
 */
export function useConflictReason(record: ConflictRecord | undefined): string | null {
  const trpc = useTRPC();
  const purges = useQuery({
    ...trpc.audit.query.queryOptions({ entityId: record?.entityId, action: 'purge', limit: 50 }),
    enabled: record?.kind === 'delete',
  });
  if (!record) return null;
  const deleter = purges.data ? (deleteBehind(purges.data.items, record.detectedAt)?.actor.name ?? null) : null;
  return conflictReason(record, deleter);
}
