import { entities, type EntityType } from '../../../../shared/entities';
import { formFieldsOf } from '../../forms/form-fields';

/** A column's header: the list column's label, else the form's label for the field. */
export function labelOfColumn(type: EntityType, field: string): string {
  const column = entities[type].listColumns.find((c) => c.field === field);
  return column?.label ?? formFieldsOf(type).find((f) => f.name === field)?.label ?? field;
}

/** Columns the core sorts by (its list columns); other columns show but do not sort. */
export function isSortable(type: EntityType, field: string): boolean {
  return entities[type].listColumns.some((column) => column.field === field);
}

/** The reference fields among `columns`, with the type each links to. */
export function linkColumns(type: EntityType, columns: string[]): { field: string; target: EntityType }[] {
  return entities[type].references
    .filter((reference) => columns.includes(reference.field))
    .map((reference) => ({ field: reference.field, target: reference.target as EntityType }));
}
