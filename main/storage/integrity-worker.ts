import { parentPort, workerData } from 'node:worker_threads';
import { checkDatabaseFile, type IntegrityDepth } from './integrity';
import { useSqliteBinding } from './native-binding';

/** What `checkInWorker` hands this worker: the key travels as bytes (a Buffer arrives as a Uint8Array). */
export interface IntegrityWorkerInput {
  files: string[];
  depth: IntegrityDepth;
  key: Uint8Array | null;
  /** The SQLite binding the starting thread uses (`chosenSqliteBinding`; null: better-sqlite3's own build). */
  nativeBinding: string | null;
}

// The worker's own read-only connections, made through `openConnection` as every other, so the key applies.
const { files, depth, key, nativeBinding } = workerData as IntegrityWorkerInput;
useSqliteBinding(nativeBinding ?? undefined);
const keyBuffer = key ? Buffer.from(key.buffer, key.byteOffset, key.byteLength) : null;
parentPort!.postMessage(files.map((file) => checkDatabaseFile(file, depth, keyBuffer)));
