import { useQuery } from '@tanstack/react-query';
import type { EntityType } from '../../../../shared/entities';
import { entities } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { downloadText } from '../../lib/download-text';

/** A type's starting file (header and one example row) and what every column accepts. */
export function ImportTemplate(props: { type: EntityType }) {
  const trpc = useTRPC();
  const template = useQuery(trpc.backup.importTemplate.queryOptions({ type: props.type }, { staleTime: Infinity }));
  const plural = entities[props.type].pluralLabel.toLowerCase();
  return (
    <details>
      <summary>Columns of a {entities[props.type].label.toLowerCase()} file and a template</summary>
      <button
        type="button"
        className="btn"
        disabled={!template.data}
        onClick={() => template.data && downloadText(template.data.fileName, template.data.content)}
      >
        Download the {plural} template (CSV)
      </button>
      <DataTable
        label={`Columns of ${plural}`}
        rows={template.data?.columns}
        rowKey={(column) => column.column}
        columns={[
          { header: 'Column', cell: (column) => <code>{column.column}</code> },
          { header: 'Meaning', cell: (column) => column.label },
          { header: 'Required', cell: (column) => (column.required ? 'required' : 'optional') },
          { header: 'What it accepts', cell: (column) => column.rule },
        ]}
      />
    </details>
  );
}
