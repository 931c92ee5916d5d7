import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
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
            <table className="plain" aria-label="Bad rows">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Field</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {check.data.errors.map((error, i) => (
                  <tr key={i}>
                    <td>{error.line}</td>
                    <td>{error.field}</td>
                    <td>{error.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {check.data.preview.length > 0 ? (
            <table className="plain" aria-label={`Preview of ${entities[type].pluralLabel.toLowerCase()} to import`}>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th scope="col" key={c.name}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {check.data.preview.map((row, i) => (
                  <tr key={i}>
                    {columns.map((c) => (
                      <td key={c.name}>{describeValue((row as Record<string, unknown>)[c.name])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
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
