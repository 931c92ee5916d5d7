import { useState } from 'react';
import { downloadExport } from './exported-file';

/** What the core's streamed exports (audit, one type, backup) yield: progress, then the written file. */
type ExportEvent = { type: 'progress'; done: number; total: number } | { type: 'done'; filePath: string; rows: number };

export interface ExportHandlers {
  onData: (event: ExportEvent) => void;
  onError: (error: unknown) => void;
}

/**
 * Runs one streamed export with a progress bar's state and hands the finished
 * file to the user. `subscribe` starts the export subscription with the handlers.
 */
export function useStreamedExport() {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ filePath: string; rows: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const start = (subscribe: (handlers: ExportHandlers) => { unsubscribe(): void }) => {
    setResult(null);
    setError(null);
    setProgress({ done: 0, total: 0 });
    const subscription = subscribe({
      onData: (event) => {
        if (event.type === 'progress') return setProgress({ done: event.done, total: event.total });
        setProgress(null);
        setResult({ filePath: event.filePath, rows: event.rows });
        downloadExport(event.filePath);
        subscription.unsubscribe();
      },
      onError: (failure) => {
        setProgress(null);
        setError(failure);
      },
    });
  };

  return { progress, result, error, start };
}
