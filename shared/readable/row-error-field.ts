import { entities, type EntityType } from '../entities/registry';
import { fieldLabel, referenceColumns } from './field-labels';

/** A bad row's problem named as people read it, and the file's column (or JSON key) it was read from. */
export interface RowErrorField {
  /** The field's label ("Name", "Aliases, item 2", "Trip"), or "Whole row" for a row that could not be read. */
  label: string;
  /** The column as the file writes it ("name", "tripId"); null for a problem with the whole row. */
  column: string | null;
}

/**
 * Names the field of an import check's row error, whose `field` is a key: a field ("name"), a path
 * inside one ("aliases.1"), a link's column ("trip", "personIds") or "(row)" / "(document)".
 */
export function rowErrorField(type: EntityType, key: string): RowErrorField {
  if (key.startsWith('(')) return { label: 'Whole row', column: null };
  const [top = key, ...inner] = key.split('.');
  const reference = entities[type].references.find((r) => {
    const columns = referenceColumns(r);
    return columns.names === top || columns.ids === top;
  });
  const field = reference?.field ?? top;
  const within = inner.map((part) => (/^\d+$/.test(part) ? `item ${Number(part) + 1}` : part));
  const column = reference || field in entities[type].fields ? top : null;
  return { label: [fieldLabel(type, field), ...within].join(', '), column };
}

/** A row error's field in running text: "Name", "Aliases, item 2", "Whole row". */
export function rowErrorLabel(type: EntityType, key: string): string {
  return rowErrorField(type, key).label;
}
