import { ENTITY_TYPES, entities, type EntityType } from './entities/registry';

/**
 * The sync protocol shared by the client and the server. Bump the version on
 * any incompatible change; a client with another version gets HTTP 426.
 * The rules themselves are in docs/protocol.md.
 */
export const PROTOCOL_VERSION = 1;
export const PROTOCOL_VERSION_HEADER = 'x-curio-protocol';

/** Collections that replicate: every entity type, the audit and the conflict records. */
export const REPLICATED_COLLECTIONS = [...ENTITY_TYPES, 'audit', 'conflicts'] as const;
export type ReplicatedCollection = (typeof REPLICATED_COLLECTIONS)[number];

/**
 * The schema version of every replicated collection this build speaks, as the
 * `x-curio-schema` header carries it on every /v1 request and answer
 * (SCHEMA-2): `video=1,person=0,…`. Entity versions come from the entity
 * files; audit entries and conflict records are at version 0.
 */
export const SCHEMA_VERSIONS_HEADER = 'x-curio-schema';
export type SchemaVersions = Readonly<Record<string, number>>;
export const SCHEMA_VERSIONS: SchemaVersions = {
  ...Object.fromEntries(ENTITY_TYPES.map((type) => [type, entities[type].version])),
  audit: 0,
  conflicts: 0,
};
/** How many versions behind the server a client may be and still sync (SCHEMA-3). */
export const SCHEMA_WINDOW = 1;

export function formatSchemaVersions(versions: SchemaVersions): string {
  return Object.entries(versions)
    .map(([name, version]) => `${name}=${version}`)
    .join(',');
}

/**
 * Reads the header; null when it is malformed. A request without it comes
 * from an app older than schema versions: every collection it knows is at 0.
 */
export function parseSchemaVersions(header: string | undefined, known: readonly string[]): SchemaVersions | null {
  if (header === undefined) return Object.fromEntries(known.map((name) => [name, 0]));
  const versions: Record<string, number> = {};
  for (const part of header.split(',')) {
    const match = /^([a-z][a-z0-9-]{0,49})=(\d{1,6})$/.exec(part.trim());
    if (!match) return null;
    versions[match[1]!] = Number(match[2]);
  }
  return versions;
}

const MiB = 1024 * 1024;

/**
 * The largest document the server stores, in bytes of its JSON, per collection
 * (PUSH-8). An entity fits a scaled photo as a data URL plus every text field
 * at its maximum; an audit entry fits a change from one such photo to another;
 * a conflict record fits its four entity snapshots. Bigger rows are refused.
 */
export const MAX_DOCUMENT_BYTES: Readonly<Record<ReplicatedCollection, number>> = {
  ...(Object.fromEntries(ENTITY_TYPES.map((type) => [type, 1.5 * MiB])) as Record<EntityType, number>),
  audit: 2.5 * MiB,
  conflicts: 6.5 * MiB,
};

export function isReplicatedCollection(value: string): value is ReplicatedCollection {
  return (REPLICATED_COLLECTIONS as readonly string[]).includes(value);
}

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The media type of a streamed pull answer (PULL-9): one pull answer per line, page after page. A client
 * that names it in `Accept` may get several pages for one request; without it, one page as ever.
 */
export const PULL_PAGES_MEDIA_TYPE = 'application/x-ndjson';

/** Where a pull resumes: the server's sequence number of the last document seen. */
export interface PullCheckpoint {
  sequence: number;
}
