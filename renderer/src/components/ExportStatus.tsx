import type { useStreamedExport } from '../api/use-streamed-export';
import { ErrorText } from './ErrorText';
import { ExportResult } from './ExportResult';
import { Progress } from './Progress';

/** A streamed export's progress bar while it runs, then where the file went, or what went wrong. */
export function ExportStatus(props: { label?: string; state: ReturnType<typeof useStreamedExport> }) {
  const { progress, result, error } = props.state;
  return (
    <>
      <Progress label={props.label ?? 'Exporting'} progress={progress} />
      {result ? <ExportResult {...result} /> : null}
      <ErrorText error={error} />
    </>
  );
}
