import { describeValue, localTime } from '../../../../shared/readable';
import type { Outputs } from '../../api/types';
import { sameValue } from './choices';

type ConflictRecord = Outputs['conflicts']['get'];

const when = (at: string | null) => (at ? localTime(at) : 'a date not recorded');

/**
 * Who closed a conflict and when, in one sentence: "This conflict is resolved: Ada Admin resolved it on
 * 12/2/2026, 10:58:03 AM." Null while it is open.
 */
export function closedWords(record: ConflictRecord): string | null {
  if (record.status === 'open') return null;
  const who = record.closedBy?.name ?? 'Someone';
  if (record.status === 'dismissed') {
    return `This conflict is dismissed: ${who} dismissed it on ${when(record.closedAt)} and left the entry as the sync merged it.`;
  }
  if (record.kind === 'delete' && record.merged === null) {
    return `This conflict is resolved: ${who} deleted the entry permanently after all, on ${when(record.closedAt)}.`;
  }
  return `This conflict is resolved: ${who} resolved it on ${when(record.closedAt)}.`;
}

/**
 * What a resolution kept for one contested field, and from which side: `“Eddie bio” (the local edit)`,
 * `“Ada bio” (the server's)`, `“Both” (a typed value)`. The closed record's `merged` is the entry as
 * the resolution wrote it; a dismissed record's is the sync's merge, left as it was.
 */
export function keptWords(record: ConflictRecord, field: string): string {
  const value = record.merged?.[field];
  const shown = describeValue(value);
  if (record.status === 'dismissed') return `${shown} (left as it was)`;
  if (sameValue(value, record.local?.[field])) return `${shown} (the local edit, ${record.detectedBy.name})`;
  if (sameValue(value, record.server?.[field])) return `${shown} (the server's)`;
  return `${shown} (a typed value)`;
}
