import type { DatabaseKey } from './encryption';
import type { IntegrityDepth, IntegrityReport } from './integrity';
import type { IntegrityWorkerInput } from './integrity-worker';
import { chosenSqliteBinding } from './native-binding';
import { startWorker, workerEntry } from '../threads';

/** A check running off the main thread; `stop` ends it (the profile is closing) and its result never comes. */
export interface CheckInWorker {
  result: Promise<IntegrityReport[]>;
  stop(): Promise<void>;
}

/** The integrity worker's entry for code running from `moduleUrl` (see `workerEntry`). */
export function integrityWorkerEntry(moduleUrl: string): { url: URL; fromSource: boolean } {
  return workerEntry('integrity-worker', moduleUrl);
}

/**
 * Checks database files (`checkDatabaseFile`) in a worker thread: quick_check of a big file takes seconds
 * of CPU, and SQLite calls block the thread they run on. One report per file, in order.
 * `moduleUrl` is where this code runs from (a test passes the built main bundle's, to start the built worker).
 */
export function checkInWorker(
  files: string[],
  depth: IntegrityDepth,
  key: DatabaseKey,
  moduleUrl: string = import.meta.url,
): CheckInWorker {
  const workerData: IntegrityWorkerInput = {
    files,
    depth,
    key: key ? new Uint8Array(key) : null,
    nativeBinding: chosenSqliteBinding() ?? null,
  };
  const worker = startWorker('integrity-worker', workerData, moduleUrl);
  let stopped = false;
  const result = new Promise<IntegrityReport[]>((resolve, reject) => {
    worker.once('message', (reports: IntegrityReport[]) => resolve(reports));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!stopped) reject(new Error(`The database check stopped before it finished (exit code ${code}).`));
    });
  });
  return {
    result,
    async stop() {
      stopped = true;
      await worker.terminate();
    },
  };
}
