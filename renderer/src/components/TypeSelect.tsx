import type { SelectHTMLAttributes } from 'react';
import { ENTITY_TYPES, entities, type EntityType } from '../../../shared/entities';

/** A choice of entity type by plural name, or none (`''`, labelled `anyLabel`): the filters' "Type" select. */
export function TypeSelect(
  props: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
    value: EntityType | '';
    onChange: (type: EntityType | '') => void;
    anyLabel: string;
  },
) {
  const { value, onChange, anyLabel, ...rest } = props;
  return (
    <select {...rest} value={value} onChange={(event) => onChange(event.target.value as EntityType | '')}>
      <option value="">{anyLabel}</option>
      {ENTITY_TYPES.map((type) => (
        <option key={type} value={type}>
          {entities[type].pluralLabel}
        </option>
      ))}
    </select>
  );
}
