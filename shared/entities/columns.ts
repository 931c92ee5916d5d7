import { photoFields } from './photo-fields';
import { entities, type EntityType } from './registry';

/** Where a list shows no photo: a column per field a person reads as text. */
const NOT_COLUMNS = new Set(Object.keys(photoFields));

/**
 * The fields a list may show as columns, in declaration order: every field of
 * the type except the photo. Reference fields show the linked entries' names.
 * Saved views are checked against this list; the column chooser offers it.
 */
export function columnFields(type: EntityType): string[] {
  return Object.keys(entities[type].fields).filter((field) => !NOT_COLUMNS.has(field));
}

/** The columns a list shows until the user chooses: the type's list columns. */
export function defaultColumns(type: EntityType): string[] {
  return entities[type].listColumns.map((column) => column.field as string);
}
