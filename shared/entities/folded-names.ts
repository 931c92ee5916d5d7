import type { OrderColumn } from '../order-column';
import { ENTITY_TYPES, entities, type EntityType } from './registry';

/**
 * The names looked up ignoring case, as a string per entry that the local storage keeps in a column of its
 * own with an SQL index (main/services/folded-names.ts reads it): each unique name (main/services/rules.ts,
 * namesakes) and the title of each type other entries link to (an import names its links by title).
 *
 * The string is `NAMED` and the name as JavaScript's `toLowerCase` folds it, for a live entry whose name is
 * a text; `NOT_LOOKED_UP` for an entry in the trash or without one, which no lookup asks for. A lookup of
 * a name is then one key of the index, whatever letters it holds.
 * NOTE: a column rather than an SQL expression index over the stored JSON. SQLite evaluates such an
 * expression for the old and the new row of every UPDATE, whose JSON always changes, and rewrites the
 * entry: an edit of a person's aliases paid a page of its flushed commit for a name it left as it was
 * (docs/decisions.md, "Names looked up ignoring case through a column of their own"). A column is
 * written only when its string changes.
 */
export const FOLDED_NAME = {
  NAMED: '=',
  NOT_LOOKED_UP: '!',
} as const;

/** The fields of `type` looked up ignoring case. */
export function foldedNameFields(type: EntityType): string[] {
  const linkedTo = ENTITY_TYPES.some((other) => entities[other].references.some((ref) => ref.target === type));
  const fields = new Set<string>(entities[type].uniqueFields as string[]);
  if (linkedTo) fields.add(entities[type].titleField);
  return [...fields];
}

/** The key of a name field's column among the storage's index columns (never a field list). */
export function foldedNameKey(field: string): string {
  return `folded:${field}`;
}

/** The string a live entry named `name` holds in the column: what a lookup of `name` asks for. */
export function foldedNameString(name: string): string {
  return FOLDED_NAME.NAMED + name.toLowerCase();
}

/** The string of `document` in the column of its name `field`. */
function foldedNameOf(field: string, document: Record<string, unknown>): string {
  const name = document[field];
  const live = document.deletedAt === null || document.deletedAt === undefined;
  return live && typeof name === 'string' ? foldedNameString(name) : FOLDED_NAME.NOT_LOOKED_UP;
}

/** The name columns of an entity type's local table: part of the storage's `SqliteInstanceOptions.orderColumns`. */
export function foldedNameColumns(type: EntityType): OrderColumn[] {
  return foldedNameFields(type).map((field) => ({
    key: foldedNameKey(field),
    encode: (document) => foldedNameOf(field, document),
  }));
}
