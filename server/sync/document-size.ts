import { MAX_DOCUMENT_BYTES, type ReplicatedCollection } from '../../shared/protocol';
import type { Refusal } from './rules';

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * PUSH-8: a document larger than its collection's MAX_DOCUMENT_BYTES is
 * refused, so no pull page (PULL-6) and no stream event has to carry it.
 */
export function checkDocumentSize(collection: ReplicatedCollection, json: string): Refusal | null {
  const max = MAX_DOCUMENT_BYTES[collection];
  // Characters are at most 3 bytes each in UTF-8 (surrogate pairs 4 for 2): measure only when it may matter.
  if (json.length * 3 <= max) return null;
  const bytes = Buffer.byteLength(json);
  if (bytes <= max) return null;
  return {
    code: 'VALIDATION',
    reason: `This ${collection} document is ${megabytes(bytes)}; the server stores at most ${megabytes(max)} per ${collection} document. Use a smaller photo or shorter texts.`,
  };
}
