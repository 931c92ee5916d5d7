import { ENTITY_TYPES } from './entities/registry';

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

export function isReplicatedCollection(value: string): value is ReplicatedCollection {
  return (REPLICATED_COLLECTIONS as readonly string[]).includes(value);
}

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Where a pull resumes: the server's sequence number of the last document seen. */
export interface PullCheckpoint {
  sequence: number;
}
