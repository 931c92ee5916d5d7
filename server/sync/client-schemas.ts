import { entities, isEntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import {
  REPLICATED_COLLECTIONS,
  SCHEMA_VERSIONS,
  SCHEMA_VERSIONS_HEADER,
  SCHEMA_WINDOW,
  parseSchemaVersions,
  type ReplicatedCollection,
  type SchemaVersions,
} from '../../shared/protocol';

/**
 * The schema versions a sync request's client speaks (SCHEMA-2), checked
 * against the window this server serves (SCHEMA-3 … SCHEMA-5): each
 * collection at the server's version or up to SCHEMA_WINDOW behind. A client
 * further behind is told to update Curio; a client ahead (a collection at a
 * higher version, or one the server does not know) is told the server is
 * older. Both answers are 426 with the server's versions in the header, and
 * the client keeps its waiting changes.
 */
export function clientSchemasOf(headers: Record<string, string | string[] | undefined>): SchemaVersions {
  const header = headers[SCHEMA_VERSIONS_HEADER];
  const client = parseSchemaVersions(Array.isArray(header) ? header[0] : header, REPLICATED_COLLECTIONS);
  if (!client) {
    throw new AppError(
      'VALIDATION',
      `The ${SCHEMA_VERSIONS_HEADER} header must list collections as name=version, separated by commas (e.g. video=0,audit=0).`,
    );
  }
  for (const [name, version] of Object.entries(client)) {
    const server = SCHEMA_VERSIONS[name];
    if (server === undefined || version > server) {
      const held = server === undefined ? 'a kind of entry it does not know' : `version ${server} of ${name}`;
      throw new AppError(
        'UPGRADE_REQUIRED',
        `This app keeps ${name} at schema version ${version}, but the sync server has ${held}: it runs an older Curio. Your changes wait on this device until the server is upgraded.`,
      );
    }
    if (version < server - SCHEMA_WINDOW) {
      throw new AppError(
        'UPGRADE_REQUIRED',
        `This app keeps ${name} at schema version ${version}; the sync server serves versions ${server - SCHEMA_WINDOW} to ${server}. Update Curio: your waiting changes stay on this device and are sent after the update.`,
      );
    }
  }
  return client;
}

/** Whether the client holds this collection (a type added after its version does not reach it). */
export function clientKnows(client: SchemaVersions, collection: string): boolean {
  return client[collection] !== undefined;
}

/**
 * Stored documents (current version, JSON) as the client can read them
 * (SCHEMA-3): entity documents migrated down to its version; audit entries and
 * conflict records about entity types it does not know are left out.
 */
export function documentsForClient(
  client: SchemaVersions,
  collection: ReplicatedCollection,
  documents: string[],
): string[] {
  if (isEntityType(collection)) {
    const version = client[collection] ?? SCHEMA_VERSIONS[collection]!;
    if (version === SCHEMA_VERSIONS[collection]) return documents;
    const entity = entities[collection];
    return documents.map((json) =>
      JSON.stringify(entity.migrate(JSON.parse(json) as Record<string, unknown>, entity.version, version)),
    );
  }
  const unknownTypes = Object.keys(entities).filter((type) => !clientKnows(client, type));
  if (unknownTypes.length === 0) return documents;
  return documents.filter((json) => {
    const { entityType } = JSON.parse(json) as { entityType?: string };
    return !entityType || !unknownTypes.includes(entityType);
  });
}
