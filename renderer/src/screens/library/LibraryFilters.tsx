import { entities, type EntityType } from '../../../../shared/entities';
import { duration } from '../../../../shared/validators';
import { ReferencePicker } from '../../components/ReferencePicker';
import { formFieldsOf } from '../../forms/form-fields';
import type { FilterValue, ListFilters, ListState, TrashState } from '../../state/list-store';
import { labelOfColumn } from './columns';
import { RangeFilter } from './RangeFilter';
import { TRASH_CHOICES } from './view-words';

/**
 * Filters derived from the registry, all combined: one picker per reference
 * field ("with person X"), a range per date, number and duration field, "contains" for
 * the text columns shown, and the trash state.
 */
export function LibraryFilters(props: {
  type: EntityType;
  state: ListState;
  onFilters: (filters: ListFilters) => void;
  onTrash: (trash: TrashState) => void;
}) {
  const { filters } = props.state;
  const set = (field: string, value: FilterValue | undefined) => {
    const next = { ...filters };
    if (value === undefined) delete next[field];
    else next[field] = value;
    props.onFilters(next);
  };
  const fields = formFieldsOf(props.type);
  const shown = new Set(props.state.columns);
  const titleField = entities[props.type].titleField;
  return (
    <div className="toolbar" role="group" aria-label="Filters">
      {fields.map((field) => {
        const { control } = field;
        if (control.kind === 'reference') {
          const value = filters[field.name];
          return (
            <div key={field.name} style={{ minWidth: 200 }}>
              <ReferencePicker
                label={`With ${entities[control.target].label.toLowerCase()}`}
                target={control.target}
                many={false}
                purpose="filter"
                value={Array.isArray(value) ? value.map(String) : []}
                onChange={(ids) => set(field.name, ids.length > 0 ? ids : undefined)}
              />
            </div>
          );
        }
        const isDuration = (entities[props.type].fields as Record<string, unknown>)[field.name] === duration;
        if (control.kind === 'date' || control.kind === 'integer' || isDuration) {
          return (
            <RangeFilter
              key={field.name}
              label={labelOfColumn(props.type, field.name)}
              kind={isDuration ? 'duration' : (control.kind as 'date' | 'integer')}
              value={filters[field.name]}
              onChange={(range) => set(field.name, range)}
            />
          );
        }
        if (
          (control.kind === 'text' || control.kind === 'chips') &&
          shown.has(field.name) &&
          field.name !== titleField
        ) {
          const value = filters[field.name];
          const text = value && typeof value === 'object' && 'contains' in value ? value.contains : '';
          return (
            <label key={field.name}>
              {labelOfColumn(props.type, field.name)} contains
              <input
                value={text}
                onChange={(event) => set(field.name, event.target.value ? { contains: event.target.value } : undefined)}
                placeholder="any"
                size={12}
              />
            </label>
          );
        }
        return null;
      })}
      <label>
        Trash
        <select
          aria-label="Trash"
          value={props.state.trash}
          onChange={(event) => props.onTrash(event.target.value as TrashState)}
        >
          {TRASH_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
