import { z } from 'zod';
import type { RxJsonSchema } from 'rxdb';
import { auditEntrySchema } from './audit';
import { conflictRecordSchema } from './conflict';
import { durationOrderColumns } from './entities/duration-order';
import { foldedNameColumns } from './entities/folded-names';
import { ENTITY_TYPES, entities, isDurationField, type EntityType } from './entities/registry';
import type { DocumentData } from './entities/versions';
import type { OrderColumn } from './order-column';

/** Length of a UUID; ids and references are UUID v7. */
const ID_LENGTH = 36;
/** Length of an ISO timestamp such as 2026-11-22T03:20:19.123Z. */
const TIMESTAMP_LENGTH = 24;

/** Fixed lengths of the string formats zod emits without a maxLength. */
const FORMAT_LENGTHS: Record<string, number> = { uuid: ID_LENGTH, 'date-time': TIMESTAMP_LENGTH };

type JsonSchemaObject = Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };

/**
 * Derives an RxDB JSON schema from a zod schema, so the zod schema stays the
 * single source of truth. Indexed fields get the bounds RxDB needs to build
 * index strings (maxLength on strings, range and multipleOf on numbers).
 */
export function deriveRxSchema(
  zodSchema: z.ZodType,
  indexes: string[][],
  options: {
    title: string;
    idLength: number;
    version?: number;
    /** Properties stored otherwise than zod says (zod still validates them). */
    overrides?: Record<string, Record<string, unknown>>;
  },
): RxJsonSchema<Record<string, unknown>> {
  const json = z.toJSONSchema(zodSchema, { io: 'output', unrepresentable: 'any' }) as JsonSchemaObject;
  delete json.$schema;
  // RxDB adds its own meta fields (_rev, _meta, _deleted) to every document.
  delete json.additionalProperties;

  const properties = json.properties;
  Object.assign(properties, options.overrides);
  properties.id = { type: 'string', maxLength: options.idLength };
  for (const path of new Set(indexes.flat())) {
    const [parent, field] = locate(json, path);
    parent[field] = indexableProperty(path, parent[field], json);
  }
  return {
    title: options.title,
    version: options.version ?? 0,
    primaryKey: 'id',
    type: 'object',
    properties,
    required: (json.required as string[] | undefined) ?? ['id'],
    indexes,
  } as RxJsonSchema<Record<string, unknown>>;
}

/** The properties object holding a (possibly dotted) field path, and the last path part. */
function locate(root: JsonSchemaObject, path: string): [Record<string, Record<string, unknown>>, string] {
  const parts = path.split('.');
  let properties = root.properties;
  for (const part of parts.slice(0, -1)) {
    const next = properties[part]?.properties as Record<string, Record<string, unknown>> | undefined;
    if (!next) throw new Error(`Cannot index "${path}": "${part}" is not an object field.`);
    properties = next;
  }
  return [properties, parts[parts.length - 1]!];
}

/**
 * NOTE: `deletedAt` and other optional strings are nullable or absent in the
 * documents, which RxDB cannot index as such. Declared here as plain strings,
 * their index string for null or missing is the empty string, so live
 * documents sort before trashed ones under the same index.
 */
function indexableProperty(
  field: string,
  property: Record<string, unknown> | undefined,
  root: JsonSchemaObject,
): Record<string, unknown> {
  if (field === 'id') return { type: 'string', maxLength: ID_LENGTH };
  if (!property) throw new Error(`Cannot index "${field}" of ${String(root.title)}: no such field.`);
  const variants = (property.anyOf as Record<string, unknown>[] | undefined) ?? [property];
  const concrete = variants.find((v) => v.type !== 'null') ?? property;
  if (concrete.type === 'string') {
    const enumLength = Array.isArray(concrete.enum)
      ? Math.max(...concrete.enum.map((v: string) => v.length))
      : undefined;
    const maxLength =
      (concrete.maxLength as number | undefined) ?? enumLength ?? FORMAT_LENGTHS[concrete.format as string];
    if (!maxLength) throw new Error(`Cannot index "${field}": give it a maximum length in its zod schema.`);
    return { type: 'string', maxLength };
  }
  if (concrete.type === 'integer' || concrete.type === 'number') {
    const { minimum, maximum } = concrete as { minimum?: number; maximum?: number };
    if (minimum === undefined || maximum === undefined) {
      throw new Error(`Cannot index "${field}": give it a minimum and maximum in its zod schema.`);
    }
    return { type: concrete.type, minimum, maximum, multipleOf: concrete.type === 'integer' ? 1 : 0.001 };
  }
  throw new Error(`Cannot index "${field}" of type ${String(concrete.type)}.`);
}

/** The index that counts an entity collection's live entries and those in the trash. */
const LIVE_OR_TRASH_INDEX = ['deletedAt', 'id'];

/** The indexes of an entity collection: each list column for live lists and for the trash. */
export function entityIndexes(type: EntityType): string[][] {
  const columns = entities[type].listColumns.map((column) => column.field as string);
  return [[...LIVE_OR_TRASH_INDEX], ['updatedAt', 'id'], ...columns.map((field) => ['deletedAt', field, 'id'])];
}

/**
 * The indexes of `entityIndexes` no query reads: the list column of a duration, which lists sort and
 * filter by its length (the local storage's order column of shared/entities/duration-order.ts). The local
 * storage keeps no column for them (each cost a page per save); they stay declared, since removing one is
 * a schema version.
 */
export function unreadEntityIndexes(type: EntityType): string[][] {
  return entityIndexes(type).filter((index) => index.some((field) => isDurationField(type, field)));
}

export function entityRxSchema(type: EntityType) {
  const entity = entities[type];
  return deriveRxSchema(entity.documentSchema, entityIndexes(type), {
    title: type,
    idLength: ID_LENGTH,
    version: entity.version,
  });
}

/**
 * RxDB's migration strategies of an entity collection, one per version above
 * 0, from the steps its entity file declares (SCHEMA-1): the same steps the
 * server runs, so a migrated local document equals the server's. RxDB also
 * migrates the replication's assumed master states with them, so changes
 * made offline before the update are pushed afterwards.
 */
export function entityMigrationStrategies(type: EntityType): Record<number, (document: DocumentData) => DocumentData> {
  const entity = entities[type];
  return Object.fromEntries(
    entity.history.map((_, index) => [
      index + 1,
      (document: DocumentData) => entity.migrate(document, index, index + 1),
    ]),
  );
}

export const AUDIT_INDEXES = [
  ['at', 'id'],
  ['entityId', 'at', 'id'],
  ['action', 'at', 'id'],
  ['entityType', 'at', 'id'],
  ['actor.id', 'at', 'id'],
];

/**
 * NOTE: audit entries and conflict records name an entity type. Stored as the
 * zod enum, every added type would change their RxDB schema without a new
 * version of their documents; as a bounded string (zod still checks the
 * enum) they stay put. Version 1 is that change (identity migration).
 */
const ENTITY_TYPE_PROPERTY = { entityType: { type: 'string', maxLength: 50 } };
const NAMED_TYPE_VERSION = 1;
const identityMigration = { [NAMED_TYPE_VERSION]: (document: DocumentData) => document };

export function auditRxSchema() {
  return deriveRxSchema(auditEntrySchema, AUDIT_INDEXES, {
    title: 'audit',
    idLength: ID_LENGTH,
    version: NAMED_TYPE_VERSION,
    overrides: ENTITY_TYPE_PROPERTY,
  });
}

export function conflictsRxSchema() {
  return deriveRxSchema(
    conflictRecordSchema,
    [
      ['status', 'detectedAt', 'id'],
      ['entityId', 'id'],
    ],
    {
      title: 'conflicts',
      idLength: 200,
      version: NAMED_TYPE_VERSION,
      overrides: ENTITY_TYPE_PROPERTY,
    },
  );
}

/** Every collection of the local database with its schema and migration strategies. */
export function allRxCollections(): Record<
  string,
  {
    schema: RxJsonSchema<DocumentData>;
    migrationStrategies: Record<number, (document: DocumentData) => DocumentData>;
    /** Options of the local storage (main/storage, `SqliteInstanceOptions`). */
    instanceCreationOptions?: {
      unkeptIndexes?: string[][];
      keptThroughInitialSync?: string[][];
      filledAfterSave?: string[][];
      orderColumns?: OrderColumn[];
    };
  }
> {
  return {
    ...Object.fromEntries(
      ENTITY_TYPES.map((type) => [
        type,
        {
          schema: entityRxSchema(type),
          migrationStrategies: entityMigrationStrategies(type),
          instanceCreationOptions: {
            unkeptIndexes: unreadEntityIndexes(type),
            keptThroughInitialSync: [[...LIVE_OR_TRASH_INDEX]],
            orderColumns: [...durationOrderColumns(type), ...foldedNameColumns(type)],
          },
        },
      ]),
    ),
    audit: {
      schema: auditRxSchema(),
      migrationStrategies: identityMigration,
      // Only the audit screen's filters and order read them, and the replication's reads of changes since a
      // checkpoint (the (lwt, id) index, at its start); a save leaves them to after its commit.
      instanceCreationOptions: { filledAfterSave: [...AUDIT_INDEXES, ['_meta.lwt', 'id']] },
    },
    conflicts: { schema: conflictsRxSchema(), migrationStrategies: identityMigration },
  };
}
