import type { z } from 'zod';
import { entities, type EntityType } from '../entities/registry';
import type { Reference } from '../entities/define-entity';
import { fieldLabels } from '../validators';

/** camelCase to words: "youtubeId" -> "YouTube id", "birthYear" -> "Birth year". */
export function humanize(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return (words.charAt(0).toUpperCase() + words.slice(1)).replace(/^Youtube\b/, 'YouTube');
}

/** The reference a field holds, if it links to another entity type. */
export function referenceOf(type: EntityType, field: string): Reference<string> | undefined {
  return (entities[type].references as Reference<string>[]).find((reference) => reference.field === field);
}

/**
 * A field's label as people read it, derived from the entity descriptors: a link is named by
 * the type it links to ("Trip", not "Trip id"; "People"), the trash state is "Trash", a field
 * whose validator has a label by that label (so its errors say the same), the rest is the field
 * name in words. History, audit, forms, exports and import rules all use it.
 */
export function fieldLabel(type: EntityType, field: string): string {
  const reference = referenceOf(type, field);
  if (reference) {
    const target = entities[reference.target as EntityType];
    return reference.many ? target.pluralLabel : target.label;
  }
  if (field === 'deletedAt') return 'Trash';
  const schema = (entities[type].fields as Record<string, z.ZodType | undefined>)[field];
  return (schema && fieldLabels.get(schema)?.label) ?? humanize(field);
}

/**
 * The two columns of a link in exports and imports: the linked entries' names, and their ids
 * next to them. NOTE: derived from the field's name so files read naturally: `people` (names)
 * and `personIds`; `trip` (name) and `tripId`.
 */
export function referenceColumns(reference: Reference<string>): { names: string; ids: string } {
  return reference.many
    ? { names: reference.field, ids: `${reference.target}Ids` }
    : { names: reference.target, ids: reference.field };
}
