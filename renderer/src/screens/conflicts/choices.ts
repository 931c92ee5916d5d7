import type { Inputs } from '../../api/types';
import type { FieldKind } from '../../forms/form-fields';

/** What the admin keeps for one field: the merged value as it is now, a side, or a typed value. */
export type Choice = { source: 'merged' | 'local' | 'server' | 'value'; text: string };

const ENVELOPE = new Set(['id', 'rev', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'deletedAt', 'deletedBy']);

type Snapshot = Record<string, unknown> | null;
type RecordSides = { kind?: string; fields: string[]; base: Snapshot; local: Snapshot; server: Snapshot };

/** Empty (absent, null, empty text or list) compares equal, as the merge and the editor treat them. */
export function sameValue(a: unknown, b: unknown): boolean {
  const empty = (value: unknown) =>
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The contested fields: the choice the admin makes, the same fields the list's Fields column shows. */
export function contestedFields(record: { fields: string[] }): string[] {
  return record.fields;
}

/** Who changed a field the merge took by itself: one side, both alike, or unknown without a base. */
export type ChangedBy = 'local' | 'server' | 'both' | 'unknown';

/**
 * Fields outside the contested ones that either side changed from the base: the three-way merge took
 * them by itself (docs/decisions.md, "Sync client: merge"), so they are shown, not offered as a choice.
 */
export function mergedByItself(record: RecordSides): { field: string; by: ChangedBy }[] {
  const contested = new Set(record.fields);
  const keys = new Set([...Object.keys(record.local ?? {}), ...Object.keys(record.server ?? {})]);
  const result: { field: string; by: ChangedBy }[] = [];
  for (const field of keys) {
    if (ENVELOPE.has(field) || field.startsWith('_') || contested.has(field)) continue;
    const local = record.local?.[field];
    const server = record.server?.[field];
    if (!record.base) {
      if (!sameValue(local, server)) result.push({ field, by: 'unknown' });
      continue;
    }
    const localChanged = record.local !== null && !sameValue(local, record.base[field]);
    const serverChanged = record.server !== null && !sameValue(server, record.base[field]);
    if (localChanged && serverChanged) result.push({ field, by: sameValue(local, server) ? 'both' : 'unknown' });
    else if (localChanged) result.push({ field, by: 'local' });
    else if (serverChanged) result.push({ field, by: 'server' });
  }
  return result;
}

/** What the list's Fields column says: the contested fields, or what the conflict is about when none is. */
export function fieldsSummary(record: { kind: string; fields: string[] }, label: (field: string) => string): string {
  const labels = record.fields.map(label).join(', ');
  if (record.kind === 'delete') return `Deleted permanently on one side${labels ? `; ${labels}` : ''}`;
  return labels || 'No field differs';
}

/** A typed value as the field's type: numbers for integers, lists split at commas, yes/no for switches. */
export function typedValue(kind: FieldKind['kind'] | undefined, text: string): unknown {
  const trimmed = text.trim();
  if (kind === 'integer') return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  if (kind === 'chips' || kind === 'reference')
    return trimmed
      ? trimmed
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : [];
  if (kind === 'boolean') return /^(yes|true|on|1)$/i.test(trimmed);
  return trimmed === '' ? null : trimmed;
}

type ResolveChoices = NonNullable<Inputs['conflicts']['resolve']['choices']>;

/** The choices the API takes; fields left at "current" are not sent (they keep the merged value). */
export function toResolveChoices(
  choices: Record<string, Choice>,
  kinds: Record<string, FieldKind['kind']>,
): ResolveChoices {
  const result: ResolveChoices = {};
  for (const [field, choice] of Object.entries(choices)) {
    if (choice.source === 'local' || choice.source === 'server') result[field] = { source: choice.source };
    else if (choice.source === 'value')
      result[field] = { source: 'value', value: typedValue(kinds[field], choice.text) };
  }
  return result;
}

/** The entry's value of each chosen field as shown (null for empty): what the resolution starts from. */
export function seenValues(fields: string[], entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, entry[field] ?? null]));
}
