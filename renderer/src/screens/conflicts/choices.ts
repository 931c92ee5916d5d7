import type { Inputs } from '../../api/types';
import type { FieldKind } from '../../forms/form-fields';

/** What the admin keeps for one field: the merged value as it is now, a side, or a typed value. */
export type Choice = { source: 'merged' | 'local' | 'server' | 'value'; text: string };

const ENVELOPE = new Set(['id', 'rev', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'deletedAt', 'deletedBy']);

/** The contested fields first, then every other field where this device and the server differ. */
export function contestedFields(record: {
  fields: string[];
  local: Record<string, unknown> | null;
  server: Record<string, unknown> | null;
}): string[] {
  const differing = new Set<string>();
  for (const key of new Set([...Object.keys(record.local ?? {}), ...Object.keys(record.server ?? {})])) {
    if (ENVELOPE.has(key)) continue;
    if (JSON.stringify(record.local?.[key]) !== JSON.stringify(record.server?.[key])) differing.add(key);
  }
  return [...new Set([...record.fields, ...differing])];
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
