import { z } from 'zod';
import { actorSchema } from './entities/envelope';
import { ENTITY_TYPES } from './entities/registry';

/** What an audit entry records. A closed set: the audit screen filters by it. */
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'trash',
  'restore',
  'purge',
  'reference.remove',
  'conflict.resolve',
  'import',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const fieldChangeSchema = z.object({
  field: z.string().min(1).max(100),
  from: z.unknown(),
  to: z.unknown(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/**
 * One immutable audit entry per write through the service layer. Replicated
 * like entities and append-only on the server; `rev` exists only so the
 * replication protocol can treat every collection alike.
 */
export const auditEntrySchema = z
  .object({
    id: z.uuid(),
    rev: z.string().min(1).max(64),
    at: z.iso.datetime(),
    actor: actorSchema,
    device: z.string().min(1).max(100),
    action: z.enum(AUDIT_ACTIONS),
    entityType: z.enum(ENTITY_TYPES as [string, ...string[]]),
    entityId: z.uuid(),
    entityTitle: z.string().max(300),
    changes: z.array(fieldChangeSchema).max(100),
  })
  .strict();
export type AuditEntry = z.infer<typeof auditEntrySchema>;
