import { skipToken } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import type { EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { describeValue } from '../../forms/field-diff';
import { fieldLabel } from './use-edit-state';

type Stored = Record<string, unknown>;
type OpenRecord = {
  kind: string;
  fields: string[];
  local: Stored | null;
  server: Stored | null;
  merged: Stored | null;
};

/**
 * What the open editor says when the entry it shows is a sync merge that kept the server's value over
 * this device's: whose value was kept and that this device's waits under Conflicts. NOTE: the merged
 * write carries this device's user as `updatedBy` (the server accepts only the pusher as actor), so the
 * follow note alone would say the person changed the field themselves.
 */
export function useSyncMergeNote(type: EntityType, id: string | null, latest: Stored | null): string | null {
  const trpc = useTRPC();
  const records = useSubscription(trpc.conflicts.onEntity.subscriptionOptions(id === null ? skipToken : { id }));
  const rev = latest?.rev;
  const record = (records.data as OpenRecord[] | undefined)?.find(
    (r) => r.kind === 'merge' && r.fields.length > 0 && rev !== undefined && r.merged?.rev === rev,
  );
  return record ? mergeNote(type, record) : null;
}

export function mergeNote(type: EntityType, record: OpenRecord): string {
  const kept = (record.server?.updatedBy as { name?: string } | null | undefined)?.name ?? 'another device';
  const labels = record.fields.map((field) => fieldLabel(type, field));
  const yours = record.fields
    .map((field) => `${fieldLabel(type, field)}: ${describeValue(record.local?.[field])}`)
    .join('; ');
  const many = record.fields.length > 1;
  return (
    `${labels.join(', ')} ${many ? 'were' : 'was'} changed on two devices at once: the sync kept ${kept}'s ` +
    `${many ? 'values' : 'value'} for now. Yours (${yours}) ${many ? 'are' : 'is'} kept under Conflicts ` +
    'for an admin to choose.'
  );
}
