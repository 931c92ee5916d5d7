import { ENTITY_TYPES, entities, type EntityType } from '../../../../shared/entities';

export type Format = 'csv' | 'json';

/** The two choices every transfer starts with. */
export function TypeAndFormat(props: {
  type: EntityType;
  format: Format;
  onType: (type: EntityType) => void;
  onFormat: (format: Format) => void;
  idPrefix: string;
}) {
  return (
    <>
      <label>
        Type
        <select
          value={props.type}
          onChange={(e) => props.onType(e.target.value as EntityType)}
          id={`${props.idPrefix}-type`}
        >
          {ENTITY_TYPES.map((type) => (
            <option key={type} value={type}>
              {entities[type].pluralLabel}
            </option>
          ))}
        </select>
      </label>
      <label>
        Format
        <select
          value={props.format}
          onChange={(e) => props.onFormat(e.target.value as Format)}
          id={`${props.idPrefix}-format`}
        >
          <option value="csv">CSV</option>
          <option value="json">JSON</option>
        </select>
      </label>
    </>
  );
}
