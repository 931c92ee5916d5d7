import { parentPort } from 'node:worker_threads';
import type { ReplicatedCollection } from '../../shared/protocol';
import { documentsOfLine, invalidIds } from './pulled-problems';

/** A pulled page to check: its line as the server sent it. */
export interface PulledCheckRequest {
  id: number;
  collection: ReplicatedCollection;
  line: string;
}

/**
 * The ids of the page's invalid documents (as good as always none), or null if the line could not be read
 * (the main thread, which parses it too, says why); `ready` once the thread has loaded the schemas.
 */
export type PulledCheckAnswer = { id: number; invalid: string[] | null } | { ready: true };

parentPort!.on('message', ({ id, collection, line }: PulledCheckRequest) => {
  let invalid: string[] | null;
  try {
    invalid = invalidIds(collection, documentsOfLine(line));
  } catch {
    invalid = null;
  }
  parentPort!.postMessage({ id, invalid } satisfies PulledCheckAnswer);
});

parentPort!.postMessage({ ready: true } satisfies PulledCheckAnswer);
