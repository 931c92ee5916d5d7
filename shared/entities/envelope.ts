import { z } from 'zod';

/** Who made a change. Stored by value so history survives a renamed or removed user. */
export const actorSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
});
export type Actor = z.infer<typeof actorSchema>;

const timestamp = z.iso.datetime({ offset: false, error: 'Must be an ISO timestamp in UTC.' });

/**
 * Fields every entity document carries. `rev` is the replication revision: a
 * new random id on every write, compared by the server to detect conflicts.
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  rev: z.string().min(1).max(64),
  createdAt: timestamp,
  createdBy: actorSchema,
  updatedAt: timestamp,
  updatedBy: actorSchema,
  deletedAt: timestamp.nullable(),
  deletedBy: actorSchema.nullable(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const ENVELOPE_FIELDS = Object.keys(envelopeSchema.shape) as (keyof Envelope)[];
