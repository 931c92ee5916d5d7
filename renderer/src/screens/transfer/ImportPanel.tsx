import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { useTRPC, useTRPCClient } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { ErrorText } from '../../components/ErrorText';
import { NotAllowed } from '../../components/NotAllowed';
import { Progress } from '../../components/Progress';
import { downloadText } from '../../lib/download-text';
import { counted } from '../../lib/words';
import { ImportCheckResult } from './ImportCheckResult';
import { ImportTemplate } from './ImportTemplate';
import { IMPORT_FORMATS, TypeAndFormat, type Format } from './TypeAndFormat';

type Done = { imported: number; skipped: number };

/**
 * Pick a file and see every row checked: links by name or id, bad rows by line and field,
 * unknown columns ignored with a warning. Import all rows, or only the good ones and download
 * the bad ones (with an error column) to fix and import again.
 */
export function ImportPanel() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const mayImport = usePermission('importEntries').allowed;
  const queryClient = useQueryClient();
  const [type, setType] = useState<EntityType>('person');
  const [format, setFormat] = useState<Format>('csv');
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<unknown>(null);
  const source = { type, format, content: file?.content ?? '' };
  const check = useQuery({
    ...trpc.backup.validateImport.queryOptions(source),
    enabled: file !== null,
    staleTime: Infinity,
  });
  const badRows = useMutation(
    trpc.backup.badRows.mutationOptions({ onSuccess: (bad) => downloadText(bad.fileName, bad.content) }),
  );
  const run = (skipBadRows: boolean) => {
    setError(null);
    setProgress({ done: 0, total: check.data?.goodRows ?? 0 });
    const subscription = client.backup.importWithProgress.subscribe(
      { ...source, skipBadRows },
      {
        onData: (event) => {
          if (event.type === 'progress') return setProgress({ done: event.done, total: event.total });
          subscription.unsubscribe();
          setProgress(null);
          setDone(event);
          setFile(null);
          void queryClient.invalidateQueries();
        },
        onError: (failure) => {
          setProgress(null);
          setError(failure);
        },
      },
    );
  };
  const entries = (count: number) =>
    counted(count, entities[type].label.toLowerCase(), entities[type].pluralLabel.toLowerCase());
  const data = check.data;
  const busy = progress !== null || !mayImport;

  return (
    <section aria-labelledby="import-heading" className="card">
      <h3 id="import-heading">Import</h3>
      <div className="toolbar">
        <TypeAndFormat
          type={type}
          format={format}
          formats={IMPORT_FORMATS}
          onType={setType}
          onFormat={setFormat}
          idPrefix="import"
        />
        <label>
          File to import
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={async (event) => {
              const picked = event.target.files?.[0];
              event.target.value = '';
              if (!picked) return;
              if (/\.json$/i.test(picked.name)) setFormat('json');
              if (/\.csv$/i.test(picked.name)) setFormat('csv');
              setDone(null);
              setError(null);
              setFile({ name: picked.name, content: await picked.text() });
            }}
          />
        </label>
      </div>
      <ImportTemplate type={type} />
      {check.isFetching ? <p className="muted">Checking every row…</p> : null}
      <ErrorText error={check.error} />
      {data && file ? (
        <>
          <ImportCheckResult type={type} format={format} fileName={file.name} check={data} />
          <div className="toolbar">
            {data.errors.length === 0 ? (
              <button
                type="button"
                className="btn primary"
                disabled={data.rows === 0 || busy}
                onClick={() => run(false)}
              >
                Import {entries(data.rows)}
              </button>
            ) : (
              <>
                <button
                  type="button"
                  className="btn primary"
                  disabled={data.goodRows === 0 || busy}
                  onClick={() => run(true)}
                >
                  Import the {counted(data.goodRows, 'good row')}
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={badRows.isPending}
                  onClick={() => badRows.mutate(source)}
                >
                  Download the {counted(data.rows - data.goodRows, 'bad row')} to fix
                </button>
              </>
            )}
          </div>
          <NotAllowed permission="importEntries" />
        </>
      ) : null}
      <Progress label="Importing" progress={progress} />
      {done ? (
        <p role="status">
          Imported {entries(done.imported)}
          {done.skipped > 0 ? `; ${counted(done.skipped, 'bad row')} left out` : ''}. The state before is kept as a
          safety snapshot (Settings).
        </p>
      ) : null}
      <ErrorText error={error ?? badRows.error} />
    </section>
  );
}
