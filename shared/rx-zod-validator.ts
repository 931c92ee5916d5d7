import { wrappedValidateStorageFactory, type RxJsonSchema } from 'rxdb';
import type { z } from 'zod';
import { auditEntrySchema } from './audit';
import { conflictRecordSchema } from './conflict';
import { entities, isEntityType } from './entities/registry';

const RX_INTERNAL_TITLE = 'RxInternalDocument';
/** The schema title of RxDB's replication bookkeeping (checkpoints, assumed master states). */
const RX_REPLICATION_META_TITLE = 'RxReplicationProtocolMetaData';

/** The zod schema behind a derived RxDB schema, found by the collection title it carries. */
function zodSchemaFor(rxSchema: RxJsonSchema<unknown>): z.ZodType | undefined {
  const title = rxSchema.title ?? '';
  // RxDB's own collection of database metadata has a schema of its own.
  if (title === RX_INTERNAL_TITLE || title === RX_REPLICATION_META_TITLE) return undefined;
  // A collection of an older version is opened while RxDB migrates it: its documents are of that version.
  if (isEntityType(title)) return entities[title].documentSchemas[rxSchema.version] ?? entities[title].documentSchema;
  if (title === 'audit') return auditEntrySchema;
  if (title === 'conflicts') return conflictRecordSchema;
  throw new Error(`No zod schema for the RxDB collection "${title}".`);
}

/** RxDB's own bookkeeping fields (_rev, _meta, _deleted, _attachments) are not ours to validate. */
function withoutRxFields(document: Record<string, unknown>): Record<string, unknown> {
  const ours: Record<string, unknown> = {};
  for (const key in document) if (!key.startsWith('_')) ours[key] = document[key];
  return ours;
}

/**
 * Wraps an RxStorage so every write is validated with the same zod schemas the
 * services and the server use, rather than a second JSON-schema validator.
 */
export const wrappedValidateZodStorage = wrappedValidateStorageFactory((rxSchema) => {
  const schema = zodSchemaFor(rxSchema);
  if (!schema) return () => [];
  return (document) => {
    const result = schema.safeParse(withoutRxFields(document));
    if (result.success) return [];
    return result.error.issues.map((issue) => ({
      field: issue.path.join('.'),
      message: issue.message,
      schemaPath: issue.code,
    }));
  };
}, 'zod');
