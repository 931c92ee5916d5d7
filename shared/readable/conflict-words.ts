import type { ConflictKind } from '../conflict';
import { entities, type EntityType } from '../entities/registry';
import { fieldLabel } from './field-labels';

/** "Bio", "Bio and Name", "Bio, Name and Aliases". */
function listed(words: string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
}

/**
 * What a merge conflict says (kind `merge`): the contested fields by label, the verb agreeing with
 * their count ("Bio differs", "Bio and Name differ").
 */
export function mergeConflictReason(type: EntityType, fields: string[]): string {
  const label = entities[type].label.toLowerCase();
  const labels = [...new Set(fields.map((field) => fieldLabel(type, field)))];
  const differ = labels.length === 1 ? 'differs' : 'differ';
  return `This ${label} was changed on two devices at once: ${listed(labels)} ${differ}. The server's value was kept for now; choose the right one.`;
}

/**
 * What the conflict screen says about a record: a merge conflict is worded from its fields (records
 * stored with earlier words, "bio differ", read the same); the others say what their record says.
 */
export function conflictReason(record: {
  kind: ConflictKind;
  entityType: string;
  fields: string[];
  reason: string | null;
}): string | null {
  if (record.kind !== 'merge' || record.fields.length === 0) return record.reason;
  return mergeConflictReason(record.entityType as EntityType, record.fields);
}
