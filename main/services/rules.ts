import { entities, type EntityType } from '../../shared/entities/registry';
import { AppError, type FieldError } from '../../shared/errors';
import { fieldLabel } from '../../shared/readable';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { liveByFoldedName } from './folded-names';

/**
 * Cross-document rules the zod schemas cannot see: unique names among live
 * entries (case-insensitive) and references to live entries. Returns every
 * broken rule as a field error. With `selfId`, what the stored document
 * already has is kept as it is: only links the write adds must point at live
 * entries, so an entry that links to a trashed one still saves, and only a
 * name the write changes must be unique (see uniqueErrors).
 * `stored`: the stored document `selfId` names, when the caller has it already (it is read otherwise).
 */
export async function crossDocumentErrors(
  ctx: ServiceContext,
  type: EntityType,
  fields: DocumentData,
  selfId?: string,
  stored?: DocumentData,
): Promise<FieldError[]> {
  const kept = stored ?? (selfId ? (await ctx.database.entities[type].findOne(selfId).exec())?.toJSON() : null) ?? {};
  return [
    ...(await uniqueErrors(ctx, type, fields, kept, selfId)),
    ...(await referenceErrors(ctx, type, fields, kept)),
  ];
}

export async function assertCrossDocumentRules(
  ctx: ServiceContext,
  type: EntityType,
  fields: DocumentData,
  selfId?: string,
  stored?: DocumentData,
): Promise<void> {
  const errors = await crossDocumentErrors(ctx, type, fields, selfId, stored);
  if (errors.length > 0) {
    throw validationError(`This ${entities[type].label.toLowerCase()}`, errors, (field) => fieldLabel(type, field));
  }
}

/**
 * The VALIDATION error for `errors`: the message names each field by its label as the form shows it
 * ("This dog is not valid. Name: A dog named …"); the field errors keep the field keys, for the form.
 */
export function validationError(what: string, errors: FieldError[], labelOf: (field: string) => string): AppError {
  const summary = errors.map((e) => `${labelOf(e.field)}: ${e.message}`).join(' ');
  return new AppError('VALIDATION', `${what} is not valid. ${summary}`, errors);
}

/**
 * NOTE: a name the stored document already has is not checked again. Two
 * devices offline can each create "Rex"; the sync keeps both, and re-checking
 * would then refuse every later save of either entry, even one that leaves
 * the name alone (and a conflict resolution). Renaming onto a taken name is
 * still refused.
 */
async function uniqueErrors(
  ctx: ServiceContext,
  type: EntityType,
  fields: DocumentData,
  stored: DocumentData,
  selfId?: string,
) {
  const descriptor = entities[type];
  const errors: FieldError[] = [];
  for (const field of descriptor.uniqueFields as string[]) {
    const value = fields[field];
    if (typeof value !== 'string' || value === '') continue;
    if (stored.deletedAt === null && String(stored[field]).toLowerCase() === value.toLowerCase()) continue;
    const holder = await findLiveByFoldedValue(ctx, type, field, value);
    if (holder && holder.id !== selfId) {
      errors.push({
        field,
        message: `A ${descriptor.label.toLowerCase()} named "${String(holder[field])}" already exists. Pick another name or edit that entry.`,
      });
    }
  }
  return errors;
}

/** The live document whose `field` equals `value` ignoring case (the first by id, if several). */
export async function findLiveByFoldedValue(
  ctx: ServiceContext,
  type: EntityType,
  field: string,
  value: string,
): Promise<DocumentData | undefined> {
  return (await liveByFoldedName(ctx, type, field, value))[0];
}

/** Every live document whose `field` equals `value` ignoring case (names that need not be unique, such as trips). */
export const allLiveByFoldedValue = liveByFoldedName;

/**
 * NOTE: a link the stored document already has is not checked again. Trashing
 * an entry keeps every link to it (soft delete), so re-checking them would
 * refuse any later save of the linking entry, even an unrelated one.
 */
async function referenceErrors(ctx: ServiceContext, type: EntityType, fields: DocumentData, stored: DocumentData) {
  const errors: FieldError[] = [];
  for (const reference of entities[type].references) {
    const existing = new Set(linkedIds(stored[reference.field]));
    const ids = linkedIds(fields[reference.field]).filter((id) => !existing.has(id));
    if (ids.length === 0) continue;
    const target = reference.target as EntityType;
    const label = entities[target].label.toLowerCase();
    const found = await ctx.database.entities[target].findByIds(ids).exec();
    for (const id of ids) {
      const document = found.get(id);
      if (!document) {
        errors.push({ field: reference.field, message: `No ${label} with id ${id} exists; pick one from the list.` });
      } else if (document.get('deletedAt') !== null) {
        const title = String(document.get(entities[target].titleField));
        errors.push({
          field: reference.field,
          message: `The ${label} "${title}" is in the trash; restore it first or remove it here.`,
        });
      }
    }
  }
  return errors;
}

function linkedIds(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]) as string[];
}
