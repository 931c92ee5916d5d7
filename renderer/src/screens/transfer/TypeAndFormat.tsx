import { ENTITY_TYPES, entities, type EntityType } from '../../../../shared/entities';

/** What an import reads. */
export type Format = 'csv' | 'json';
/** What an export writes. */
export type ExportFormat = Format | 'xlsx';

export const IMPORT_FORMATS: readonly Format[] = ['csv', 'json'];
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'xlsx'];
const FORMAT_LABELS: Record<ExportFormat, string> = { csv: 'CSV', json: 'JSON', xlsx: 'Excel (.xlsx)' };

/** The file format of a transfer. */
export function FormatSelect<F extends ExportFormat>(props: {
  format: F;
  formats: readonly F[];
  onFormat: (format: F) => void;
  id: string;
}) {
  return (
    <label>
      Format
      <select value={props.format} onChange={(e) => props.onFormat(e.target.value as F)} id={props.id}>
        {props.formats.map((format) => (
          <option key={format} value={format}>
            {FORMAT_LABELS[format]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The two choices every transfer starts with. */
export function TypeAndFormat<F extends ExportFormat>(props: {
  type: EntityType;
  format: F;
  formats: readonly F[];
  onType: (type: EntityType) => void;
  onFormat: (format: F) => void;
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
      <FormatSelect
        format={props.format}
        formats={props.formats}
        onFormat={props.onFormat}
        id={`${props.idPrefix}-format`}
      />
    </>
  );
}
