import type { ReplicatedCollection } from '../../shared/protocol';
import { documentSchemaOf } from '../../shared/document-schemas';
import { validationErrors } from '../../shared/rx-zod-validator';

/**
 * The ids of those of `documents` (pulled into `collection`) that fail its collection's zod schema, the one
 * the storage checks local writes with; empty when all pass (as good as always).
 */
export function invalidIds(collection: ReplicatedCollection, documents: readonly unknown[]): string[] {
  const schema = documentSchemaOf(collection);
  const invalid: string[] = [];
  for (const document of documents) {
    const fields = document as Record<string, unknown>;
    if (validationErrors(schema, fields).length > 0) invalid.push(String(fields.id));
  }
  return invalid;
}

/** A pull page's documents, from its line of JSON as the server sent it (an error line has none). */
export function documentsOfLine(line: string): unknown[] {
  const page = JSON.parse(line) as { documents?: unknown };
  return Array.isArray(page.documents) ? page.documents : [];
}
