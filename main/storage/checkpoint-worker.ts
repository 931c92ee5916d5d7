import { parentPort, workerData } from 'node:worker_threads';
import { openConnection, type DatabaseKey } from './encryption';
import { useSqliteBinding } from './native-binding';

/** What `WalCheckpointer` hands this worker: the key travels as bytes (a Buffer arrives as a Uint8Array). */
export interface CheckpointWorkerInput {
  file: string;
  key: Uint8Array | null;
  /** The SQLite binding the starting thread uses (`chosenSqliteBinding`; null: better-sqlite3's own build). */
  nativeBinding: string | null;
}

/** One checkpoint's answer: SQLite's counts of WAL frames, or why it could not run. */
export type CheckpointAnswer =
  { ok: true; busy: number; log: number; checkpointed: number } | { ok: false; message: string };

const { file, key, nativeBinding } = workerData as CheckpointWorkerInput;
useSqliteBinding(nativeBinding ?? undefined);
const keyBuffer: DatabaseKey = key ? Buffer.from(key.buffer, key.byteOffset, key.byteLength) : null;

// A connection per checkpoint, closed after it: between two checkpoints this thread holds nothing of the
// file, so the app's own close is the last one, which removes the WAL as before.
parentPort!.on('message', () => {
  let db: ReturnType<typeof openConnection> | undefined;
  let answer: CheckpointAnswer;
  try {
    db = openConnection(file, keyBuffer, { fileMustExist: true });
    const [counts] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    answer = { ok: true, ...counts! };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    db?.close();
  }
  parentPort!.postMessage(answer);
});
