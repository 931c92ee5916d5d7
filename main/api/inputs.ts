import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../shared/audit';
import { MAX_SEARCH_QUERY_LENGTH, searchQueryProblem } from '../../shared/search-query';
import { EXPORT_FORMATS } from '../services';
import { ENTITY_TYPES, type EntityFieldsInput, type EntityType } from '../../shared/entities/registry';
import { filterValueSchema, sortSchema, TRASH_STATES } from '../services';

/** API inputs, built from the shared registry and schemas. */

export const entityType = z.enum(ENTITY_TYPES as [EntityType, ...EntityType[]], {
  error: `Entity type must be one of: ${ENTITY_TYPES.join(', ')}.`,
});
export const id = z.string().min(1, { error: 'An id is required.' }).max(200);
export const rev = z.string().min(1, { error: 'The revision you edited is required.' }).max(64);
export const cursor = z.string().max(2000).nullish();
export const limit = z.number().int().min(1).max(1000).optional();
export const entityRef = z.object({ type: entityType, id });

type CreateInput = { [T in EntityType]: { type: T; fields: EntityFieldsInput<T> } }[EntityType];
type FieldValues<T extends EntityType> = { [F in keyof EntityFieldsInput<T>]?: EntityFieldsInput<T>[F] | null };
/** Per changed field the value the caller started from, or the whole version it read. */
type UpdateBasis<T extends EntityType> = { bases: FieldValues<T>; rev?: never } | { rev: string; bases?: never };
type UpdateInput = {
  [T in EntityType]: { type: T; id: string; fields: FieldValues<T>; inTrash?: boolean } & UpdateBasis<T>;
}[EntityType];

/**
 * Typed per entity type for the client; at run time the service validates the
 * fields with the type's schema, so messages name the entry ("This person is
 * not valid. name: Name is required.") and come from one place.
 */
export const createInput = z.object({
  type: entityType,
  fields: z.record(z.string(), z.unknown()),
}) as unknown as z.ZodType<CreateInput, CreateInput>;

/**
 * Changed fields only; null clears a field. `bases` holds, for each changed
 * field, the value the caller started from (null for empty): the service
 * refuses a field someone else changed meanwhile (CONFLICT) and says which
 * base is missing (VALIDATION). A caller that read the whole entry may send
 * its `rev` instead (refused once stale). `inTrash` names whether the entry was
 * in the trash when the caller read it: refused (CONFLICT) once someone moved it
 * in or out since. The service validates the merged result with the type's schema.
 */
export const updateInput = z.object({
  type: entityType,
  id,
  fields: z.record(z.string(), z.unknown()),
  bases: z.record(z.string(), z.unknown()).optional(),
  rev: rev.optional(),
  inTrash: z.boolean().optional(),
}) as unknown as z.ZodType<UpdateInput, UpdateInput>;

export const listInput = z.object({
  type: entityType,
  view: z.enum(TRASH_STATES).optional(),
  sort: sortSchema.optional(),
  filters: z.record(z.string(), filterValueSchema).optional(),
  cursor,
  limit,
});

export const searchInput = z.object({
  query: z.string().max(MAX_SEARCH_QUERY_LENGTH, {
    error: (issue) => searchQueryProblem(typeof issue.input === 'string' ? issue.input : '') ?? undefined,
  }),
  types: z.array(entityType).optional(),
  includeTrash: z.boolean().optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

export const itemsInput = z.object({
  items: z
    .array(entityRef.extend({ rev: rev.optional() }))
    .min(1, { error: 'Pick at least one entry.' })
    .max(10_000),
});

/**
 * A move to the trash: each item may name the version its question showed (`rev`) and the live entries it
 * named as linking to it (`linked`, ids); a change or a link made since refuses the move.
 */
export const trashItemsInput = z.object({
  items: z
    .array(entityRef.extend({ rev: rev.optional(), linked: z.array(id).max(100_000).optional() }))
    .min(1, { error: 'Pick at least one entry.' })
    .max(10_000),
});

export const auditQueryInput = z.object({
  actorId: z.string().max(100).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  entityType: entityType.optional(),
  entityId: id.optional(),
  from: z.iso.datetime({ error: 'From must be an ISO timestamp.' }).optional(),
  to: z.iso.datetime({ error: 'To must be an ISO timestamp.' }).optional(),
  cursor,
  limit,
});

export const transferFormat = z.enum(['csv', 'json'], { error: 'Format must be csv or json.' });
export const filePath = z.string().min(1).max(4096).optional();
export const exportFormat = z.enum(EXPORT_FORMATS, { error: 'Format must be csv, json or xlsx.' });
/** A list as filtered and sorted on screen, or the selected entries (`ids`), to one file. */
export const entityExportInput = listInput.omit({ cursor: true, limit: true }).extend({
  format: exportFormat,
  ids: z.array(id).min(1, { error: 'Select at least one entry to export.' }).max(100_000).optional(),
  filePath,
});
export const importSourceInput = z.object({
  type: entityType,
  format: transferFormat,
  content: z.string().max(200_000_000).optional(),
  filePath,
});
