import type { EntityType } from '../../../../shared/entities';
import { entities } from '../../../../shared/entities';
import { rowErrorField } from '../../../../shared/readable';
import type { Outputs } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { describeValue } from '../../forms/field-diff';
import { formFieldsOf } from '../../forms/form-fields';
import { counted } from '../../lib/words';

type Check = Outputs['backup']['validateImport'];

/** What a checked file holds: counts, ignored columns, every bad row, and a preview of the good ones. */
export function ImportCheckResult(props: { type: EntityType; format: 'csv' | 'json'; fileName: string; check: Check }) {
  const { check, type } = props;
  const bad = check.rows - check.goodRows;
  const columns = formFieldsOf(type).filter((f) => f.control.kind !== 'photo');
  const title = (id: unknown) => check.titles[String(id)] ?? String(id);
  return (
    <>
      <p role="status">
        {props.fileName}: {counted(check.rows, 'row')}, {check.goodRows.toLocaleString()} good
        {bad > 0 ? `, ${bad.toLocaleString()} with problems (listed below)` : ', all valid'}.
      </p>
      {check.warnings.length > 0 ? (
        <ul aria-label="Warnings" className="notice">
          {check.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
      {check.errors.length > 0 ? (
        <DataTable
          label="Bad rows"
          rows={check.errors}
          rowKey={(_, i) => i}
          columns={[
            { header: 'Line', cell: (error) => error.line },
            {
              header: 'Field',
              cell: (error) => <FieldCell {...rowErrorField(type, error.field)} format={props.format} />,
            },
            { header: 'Problem', cell: (error) => error.message },
          ]}
        />
      ) : null}
      {check.preview.length > 0 ? (
        <DataTable
          label={`Preview of ${entities[type].pluralLabel.toLowerCase()} to import`}
          rows={check.preview as Record<string, unknown>[]}
          rowKey={(_, i) => i}
          columns={columns.map((c) => ({
            header: c.label,
            cell: (row: Record<string, unknown>) => {
              const value = row[c.name];
              if (c.control.kind !== 'reference') return describeValue(value);
              // Links show the names they were matched to, not ids.
              return describeValue(Array.isArray(value) ? value.map(title) : value && title(value));
            },
          }))}
        />
      ) : null}
    </>
  );
}

/** The field by its label; the file's column (or JSON key) beside it where it reads otherwise ("Birth year", birthYear). */
function FieldCell(props: { label: string; column: string | null; format: 'csv' | 'json' }) {
  const { label, column } = props;
  const differs = column !== null && column.toLowerCase() !== label.toLowerCase();
  return (
    <>
      {label}
      {differs ? (
        <span className="muted">
          {' '}
          ({props.format === 'csv' ? 'column' : 'key'} <code>{column}</code>)
        </span>
      ) : null}
    </>
  );
}
