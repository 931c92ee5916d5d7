import { parentPort } from 'node:worker_threads';
import type { ReplicatedCollection } from '../../shared/protocol';
import { documentSpans } from './document-spans';
import { documentsOfLine, invalidIds } from './pulled-problems';

/** A pulled page to check: its line as the server sent it. */
export interface PulledCheckRequest {
  id: number;
  collection: ReplicatedCollection;
  line: string;
}

/**
 * The ids of the page's invalid documents (as good as always none), or null if the line could not be read
 * (the main thread, which parses it too, says why); with where each document lies in the line (`documentSpans`,
 * null if not found for every one of them); `ready` once the thread has loaded the schemas.
 */
export type PulledCheckAnswer = { id: number; invalid: string[] | null; spans: Int32Array | null } | { ready: true };

parentPort!.on('message', ({ id, collection, line }: PulledCheckRequest) => {
  let invalid: string[] | null = null;
  let spans: Int32Array | null = null;
  try {
    const documents = documentsOfLine(line);
    invalid = invalidIds(collection, documents);
    spans = documentSpans(line);
    if (spans?.length !== documents.length * 2) spans = null;
  } catch {
    invalid = null;
    spans = null;
  }
  parentPort!.postMessage(
    { id, invalid, spans } satisfies PulledCheckAnswer,
    spans ? [spans.buffer as ArrayBuffer] : [],
  );
});

parentPort!.postMessage({ ready: true } satisfies PulledCheckAnswer);
