import { useTRPCClient } from '../../api/client';
import { useStreamedExport } from '../../api/use-streamed-export';
import { ExportStatus } from '../../components/ExportStatus';
import type { AuditFilter } from './audit-filter';

type Format = 'csv' | 'json';

/** Exports the filtered audit as CSV or JSON with a progress bar, then hands the file to the browser. */
export function AuditExport(props: { filter: AuditFilter }) {
  const client = useTRPCClient();
  const exporting = useStreamedExport();
  const { progress, start } = exporting;
  const run = (format: Format) =>
    start((handlers) => client.audit.export.subscribe({ ...props.filter, format }, handlers));

  return (
    <div className="toolbar" role="group" aria-label="Export">
      <button type="button" className="btn" onClick={() => run('csv')} disabled={progress !== null}>
        Export CSV
      </button>
      <button type="button" className="btn" onClick={() => run('json')} disabled={progress !== null}>
        Export JSON
      </button>
      <ExportStatus state={exporting} />
    </div>
  );
}
