import { useState } from 'react';
import { useTRPCClient } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { Progress } from '../../components/Progress';
import { downloadExport } from '../../api/exported-file';
import { ExportResult } from '../../components/ExportResult';
import type { AuditFilter } from './AuditScreen';

type Format = 'csv' | 'json';

/** Exports the filtered audit as CSV or JSON with a progress bar, then hands the file to the browser. */
export function AuditExport(props: { filter: AuditFilter }) {
  const client = useTRPCClient();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ filePath: string; rows: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = (format: Format) => {
    setError(null);
    setResult(null);
    setProgress({ done: 0, total: 0 });
    const subscription = client.audit.export.subscribe(
      { ...props.filter, format },
      {
        onData: (event) => {
          if (event.type === 'progress') {
            setProgress({ done: event.done, total: event.total });
            return;
          }
          setProgress(null);
          setResult({ filePath: event.filePath, rows: event.rows });
          downloadExport(event.filePath);
          subscription.unsubscribe();
        },
        onError: (failure) => {
          setError(failure);
          setProgress(null);
        },
      },
    );
  };

  return (
    <div className="toolbar" role="group" aria-label="Export">
      <button type="button" className="btn" onClick={() => run('csv')} disabled={progress !== null}>
        Export CSV
      </button>
      <button type="button" className="btn" onClick={() => run('json')} disabled={progress !== null}>
        Export JSON
      </button>
      {progress ? <Progress label="Exporting" done={progress.done} total={progress.total || null} /> : null}
      {result ? <ExportResult {...result} /> : null}
      <ErrorText error={error} />
    </div>
  );
}
