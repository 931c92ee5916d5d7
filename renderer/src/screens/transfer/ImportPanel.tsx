import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { DataTable } from '../../components/DataTable';
import { NotAllowed } from '../../components/NotAllowed';
import { ErrorText } from '../../components/ErrorText';
import { formFieldsOf } from '../../forms/form-fields';
import { describeValue } from '../../forms/field-diff';
import { TypeAndFormat, type Format } from './TypeAndFormat';

/** Pick a file, see a preview and every bad row by line and field, then import all or nothing. */
export function ImportPanel() {
  const trpc = useTRPC();
  const mayImport = usePermission('importEntries').allowed;
  const queryClient = useQueryClient();
  const [type, setType] = useState<EntityType>('person');
  const [format, setFormat] = useState<Format>('csv');
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const source = { type, format, content: file?.content ?? '' };
  const check = useQuery({
    ...trpc.backup.validateImport.queryOptions(source),
    enabled: file !== null,
    staleTime: Infinity,
  });
  const run = useMutation(
    trpc.backup.importEntities.mutationOptions({
      onSuccess: () => {
        setFile(null);
        void queryClient.invalidateQueries();
      },
    }),
  );
  const columns = formFieldsOf(type).filter((f) => f.control.kind !== 'photo');

  return (
    <section aria-labelledby="import-heading" className="card">
      <h3 id="import-heading">Import</h3>
      <div className="toolbar">
        <TypeAndFormat type={type} format={format} onType={setType} onFormat={setFormat} idPrefix="import" />
        <label>
          File to import
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={async (event) => {
              const picked = event.target.files?.[0];
              if (!picked) return;
              if (/\.json$/i.test(picked.name)) setFormat('json');
              if (/\.csv$/i.test(picked.name)) setFormat('csv');
              run.reset();
              setFile({ name: picked.name, content: await picked.text() });
            }}
          />
        </label>
      </div>
      {check.isFetching ? <p className="muted">Checking every row…</p> : null}
      <ErrorText error={check.error} />
      {check.data && file ? (
        <>
          <p role="status">
            {file.name}: {check.data.rows} rows,{' '}
            {check.data.errors.length === 0
              ? 'all valid.'
              : `${check.data.errors.length} problems; nothing will be imported until they are fixed.`}
          </p>
          {check.data.errors.length > 0 ? (
            <DataTable
              label="Bad rows"
              rows={check.data.errors}
              rowKey={(_, i) => i}
              columns={[
                { header: 'Line', cell: (error) => error.line },
                { header: 'Field', cell: (error) => error.field },
                { header: 'Problem', cell: (error) => error.message },
              ]}
            />
          ) : null}
          {check.data.preview.length > 0 ? (
            <DataTable
              label={`Preview of ${entities[type].pluralLabel.toLowerCase()} to import`}
              rows={check.data.preview as Record<string, unknown>[]}
              rowKey={(_, i) => i}
              columns={columns.map((c) => ({
                header: c.label,
                cell: (row: Record<string, unknown>) => describeValue(row[c.name]),
              }))}
            />
          ) : null}
          <button
            type="button"
            className="btn primary"
            disabled={check.data.errors.length > 0 || check.data.rows === 0 || run.isPending || !mayImport}
            onClick={() => run.mutate(source)}
          >
            Import {check.data.rows} {entities[type].pluralLabel.toLowerCase()}
          </button>
          <NotAllowed permission="importEntries" />
        </>
      ) : null}
      {run.data ? <p role="status">Imported {run.data.imported} entries.</p> : null}
      <ErrorText error={run.error} />
    </section>
  );
}
