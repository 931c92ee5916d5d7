import { skipToken } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import type { EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { isYou } from '../../../../shared/readable';
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
export function useSyncMergeNote(
  type: EntityType,
  id: string | null,
  latest: Stored | null,
  me: string | null = null,
): string | null {
  const trpc = useTRPC();
  const records = useSubscription(trpc.conflicts.onEntity.subscriptionOptions(id === null ? skipToken : { id }));
  const rev = latest?.rev;
  const record = (records.data as OpenRecord[] | undefined)?.find(
    (r) => r.kind === 'merge' && r.fields.length > 0 && rev !== undefined && r.merged?.rev === rev,
  );
  return record ? mergeNote(type, record, me) : null;
}

/**
 * "Breed was changed on two devices at once: the sync kept Ada Admin's value for now. …" The person's own
 * value saved on another device reads "the value you saved on another device", not their name.
 */
export function mergeNote(type: EntityType, record: OpenRecord, me: string | null = null): string {
  const keeper = record.server?.updatedBy as { id?: string; name?: string } | null | undefined;
  const byYou = isYou(keeper, me);
  const labels = record.fields.map((field) => fieldLabel(type, field));
  const yours = record.fields
    .map((field) => `${fieldLabel(type, field)}: ${describeValue(record.local?.[field])}`)
    .join('; ');
  const many = record.fields.length > 1;
  const changed = `${labels.join(', ')} ${many ? 'were' : 'was'} changed on two devices at once`;
  if (byYou) {
    return (
      `${changed}: the sync kept the ${many ? 'values' : 'value'} you saved on another device for now. ` +
      `The ${many ? 'ones' : 'one'} saved here (${yours}) ${many ? 'are' : 'is'} kept under Conflicts for an admin to choose.`
    );
  }
  const kept = keeper?.name ?? 'another device';
  return (
    `${changed}: the sync kept ${kept}'s ${many ? 'values' : 'value'} for now. ` +
    `Yours (${yours}) ${many ? 'are' : 'is'} kept under Conflicts for an admin to choose.`
  );
}
