import { z } from 'zod';
import { auditEntrySchema } from './audit';
import { conflictRecordSchema } from './conflict';
import { entities, isEntityType } from './entities/registry';

/** The collections whose documents a zod schema describes: the entity types, the audit and the conflicts. */
function declaredSchemaOf(collection: string, version: number | undefined): z.ZodType {
  // A collection of an older version is opened while RxDB migrates it, and a client of an older version pushes
  // its documents: both are checked against that version's schema.
  if (isEntityType(collection)) {
    const entity = entities[collection];
    return (version === undefined ? undefined : entity.documentSchemas[version]) ?? entity.documentSchema;
  }
  if (collection === 'audit') return auditEntrySchema;
  if (collection === 'conflicts') return conflictRecordSchema;
  throw new Error(`No zod schema for the collection "${collection}".`);
}

const compiled = new Map<string, z.ZodType>();

/**
 * The zod schema of `collection`'s documents at `version` (default: this build's), compiled (`z.compile`): a
 * generated fast path decides a valid document, and zod's own parser runs on anything else, so results and
 * issues are zod's. For the places that check documents by the thousand (a pulled page, a pushed batch, a
 * backup). NOTE: compiled on first use, a few milliseconds each, so that opening the app pays nothing for
 * collections it never checks; only where `new Function` may run (Node, not the renderer's CSP).
 */
export function documentSchemaOf(collection: string, version?: number): z.ZodType {
  const key = `${collection}@${version ?? ''}`;
  let schema = compiled.get(key);
  if (!schema) {
    schema = z.compile(declaredSchemaOf(collection, version));
    compiled.set(key, schema);
  }
  return schema;
}
