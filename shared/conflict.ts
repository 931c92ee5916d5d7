import { z } from 'zod';
import { actorSchema } from './entities/envelope';
import { ENTITY_TYPES } from './entities/registry';

/**
 * Why a conflict record exists:
 * - `merge`: both sides changed the same field to different values;
 * - `delete`: an edit met a permanent delete, the edit won and the delete awaits an admin;
 * - `refused`: the server refused a pushed row; the record keeps what was typed.
 */
export const CONFLICT_KINDS = ['merge', 'delete', 'refused'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export const CONFLICT_STATUSES = ['open', 'resolved', 'dismissed'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

const documentSnapshot = z.record(z.string(), z.unknown()).nullable();

export const conflictRecordSchema = z
  .object({
    /** Derived from the entity id and both revisions: recording twice is harmless. */
    id: z.string().min(1).max(200),
    rev: z.string().min(1).max(64),
    kind: z.enum(CONFLICT_KINDS),
    entityType: z.enum(ENTITY_TYPES as [string, ...string[]]),
    entityId: z.uuid(),
    entityTitle: z.string().max(300),
    base: documentSnapshot,
    local: documentSnapshot,
    server: documentSnapshot,
    merged: documentSnapshot,
    fields: z.array(z.string().max(100)).max(100),
    reason: z.string().max(2000).nullable(),
    detectedAt: z.iso.datetime(),
    detectedBy: actorSchema,
    status: z.enum(CONFLICT_STATUSES),
    closedAt: z.iso.datetime().nullable(),
    closedBy: actorSchema.nullable(),
  })
  .strict();
export type ConflictRecord = z.infer<typeof conflictRecordSchema>;

/** The id of the conflict record for one entity and one pair of revisions. */
export function conflictIdFor(entityId: string, localRev: string, serverRev: string): string {
  return `${entityId}:${localRev}:${serverRev}`;
}
