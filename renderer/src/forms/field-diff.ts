/** One changed field, in words, as history and conflict screens show it. */
export interface FieldDiff {
  field: string;
  from: string;
  to: string;
}

/** A value as a person reads it: lists joined, empty shown as an em dash, photos summarized. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(describeValue).join(', ');
  if (typeof value === 'string' && value.startsWith('data:image/'))
    return `(image, ${Math.round(value.length / 1024)} KB)`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Readable diffs of an audit entry's changes (fields whose values are equal in words are skipped). */
export function readableChanges(changes: readonly { field: string; from?: unknown; to?: unknown }[]): FieldDiff[] {
  return changes
    .map((change) => ({ field: change.field, from: describeValue(change.from), to: describeValue(change.to) }))
    .filter((diff) => diff.from !== diff.to);
}
