import { useStreamedExport, type ExportHandlers } from '../api/use-streamed-export';
import { ExportStatus } from './ExportStatus';

const FORMATS = ['csv', 'json'] as const;
type ExportButtonFormat = (typeof FORMATS)[number];

/**
 * "Export CSV" and "Export JSON" for a streamed export (the audits'), then its progress and where the file
 * went. `subscribe` starts the export in the chosen format with the handlers.
 */
export function ExportButtons(props: {
  label: string;
  subscribe: (format: ExportButtonFormat, handlers: ExportHandlers) => { unsubscribe(): void };
}) {
  const exporting = useStreamedExport();
  const { progress, start } = exporting;
  return (
    <div className="toolbar" role="group" aria-label={props.label}>
      {FORMATS.map((format) => (
        <button
          key={format}
          type="button"
          className="btn"
          onClick={() => start((handlers) => props.subscribe(format, handlers))}
          disabled={progress !== null}
        >
          Export {format.toUpperCase()}
        </button>
      ))}
      <ExportStatus state={exporting} />
    </div>
  );
}
