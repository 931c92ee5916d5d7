import { parentPort, workerData } from 'node:worker_threads';
import { checkDatabaseFile, type IntegrityDepth } from './integrity';

/** What `checkInWorker` hands this worker: the key travels as bytes (a Buffer arrives as a Uint8Array). */
export interface IntegrityWorkerInput {
  files: string[];
  depth: IntegrityDepth;
  key: Uint8Array | null;
}

// The worker's own read-only connections, made through `openConnection` as every other, so the key applies.
const { files, depth, key } = workerData as IntegrityWorkerInput;
const keyBuffer = key ? Buffer.from(key.buffer, key.byteOffset, key.byteLength) : null;
parentPort!.postMessage(files.map((file) => checkDatabaseFile(file, depth, keyBuffer)));
