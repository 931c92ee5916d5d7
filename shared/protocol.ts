import { ENTITY_TYPES, type EntityType } from './entities/registry';

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

/** Where a pull resumes: the server's sequence number of the last document seen. */
export interface PullCheckpoint {
  sequence: number;
}
