import { useState } from 'react';
import type { EntityType } from '../../../../shared/entities';
import { useTRPCClient } from '../../api/client';
import { useStreamedExport } from '../../api/use-streamed-export';
import { ExportStatus } from '../../components/ExportStatus';
import { EXPORT_FORMATS, TypeAndFormat, type ExportFormat } from './TypeAndFormat';

/** Exports every live entry of one type as CSV, JSON or Excel, with progress (a list or a selection: the library's Export…). */
export function ExportPanel() {
  const client = useTRPCClient();
  const [type, setType] = useState<EntityType>('video');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const exporting = useStreamedExport();
  const { progress, start: run } = exporting;
  const start = () => run((handlers) => client.backup.exportEntities.subscribe({ type, format }, handlers));
  return (
    <section aria-labelledby="export-heading" className="card">
      <h3 id="export-heading">Export</h3>
      <div className="toolbar">
        <TypeAndFormat
          type={type}
          format={format}
          formats={EXPORT_FORMATS}
          onType={setType}
          onFormat={setFormat}
          idPrefix="export"
        />
        <button type="button" className="btn" onClick={start} disabled={progress !== null}>
          Export
        </button>
      </div>
      <ExportStatus state={exporting} />
    </section>
  );
}
