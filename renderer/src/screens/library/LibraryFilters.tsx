import { entities, type EntityType } from '../../../../shared/entities';
import { ReferencePicker } from '../../components/ReferencePicker';
import { labelOf } from '../../forms/form-fields';

/** Field values the list must match; a list of ids matches entries that reference any of them. */
export type Filters = Record<string, string | string[]>;

/**
 * Filters derived from the registry: one picker per reference field (videos with
 * this person, in this series, …) and one box per non-title list column.
 */
export function LibraryFilters(props: { type: EntityType; filters: Filters; onChange: (filters: Filters) => void }) {
  const descriptor = entities[props.type];
  const set = (field: string, value: string | string[]) => {
    const next = { ...props.filters };
    if (value.length === 0) delete next[field];
    else next[field] = value;
    props.onChange(next);
  };
  const textColumns = descriptor.listColumns.filter((c) => c.field !== descriptor.titleField);
  return (
    <>
      {descriptor.references.map((reference) => (
        <div key={reference.field} style={{ minWidth: 200 }}>
          <ReferencePicker
            label={`With ${entities[reference.target as EntityType].label.toLowerCase()}`}
            target={reference.target as EntityType}
            many={false}
            value={asList(props.filters[reference.field])}
            onChange={(ids) => set(reference.field, ids)}
          />
        </div>
      ))}
      {textColumns.map((column) => (
        <label key={column.field}>
          {labelOf(props.type, column.field)} is
          <input
            value={String(props.filters[column.field] ?? '')}
            onChange={(event) => set(column.field, event.target.value)}
            placeholder="any"
            size={12}
          />
        </label>
      ))}
    </>
  );
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
