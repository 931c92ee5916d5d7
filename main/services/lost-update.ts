import type { z } from 'zod';
import { entities, type EntityType } from '../../shared/entities/registry';
import { AppError, type FieldConflict, type FieldError } from '../../shared/errors';
import { arrayFieldsOf, mergeFields, type Doc } from '../../shared/merge';
import { fieldLabel, linkedIdsOf, readableChanges } from '../../shared/readable';
import type { DocumentData } from '../database';
import { auditEntriesOf } from './audit';
import type { ServiceContext } from './context';
import { titlesOf } from './link-titles';
import { editableFields } from './writes';

/**
 * The lost-update rule (docs/decisions.md, "Updates name a base per changed field"):
 * every changed field names the value the caller started from. A field whose
 * stored value still equals that base takes the new value; a field someone
 * else changed meanwhile is refused (CONFLICT), unless the new value is what
 * is stored already. List fields merge as sets, like replication does, so
 * adds and removes on both sides survive. Fields the caller did not change
 * keep the stored value, however far the document moved on.
 */
export async function applyChanges(
  ctx: ServiceContext,
  type: EntityType,
  current: DocumentData,
  changes: Record<string, unknown>,
  bases: Record<string, unknown> | undefined,
  wording: ConflictWording = SAVE_WORDING,
): Promise<DocumentData> {
  assertBases(type, changes, bases);
  const stored = storedFields(type, current);
  const { merged, contested } = mergeFields({
    base: overlay(stored, bases ?? {}, Object.keys(changes)),
    local: overlay(stored, changes, Object.keys(changes)),
    server: stored,
    arrayFields: arrayFieldsOf(type),
    skip: new Set(),
  });
  if (contested.length > 0) throw await conflictError(ctx, type, current, contested, changes, bases ?? {}, wording);
  return merged;
}

/** How a refusal names the moment the caller started from, its own values, and the way on. */
export interface ConflictWording {
  since: string;
  yours: string;
  next: string;
}

/** An editor's save. */
const SAVE_WORDING: ConflictWording = {
  since: 'after you started editing',
  yours: 'yours',
  next: 'Nothing was saved: choose which value to keep for each, then save again.',
};

/** A caller that cannot say what it started from could overwrite a change it never saw. */
function assertBases(type: EntityType, changes: Record<string, unknown>, bases: Record<string, unknown> | undefined) {
  const missing = Object.keys(changes).filter((field) => !bases || !(field in bases));
  if (missing.length === 0) return;
  const label = entities[type].label.toLowerCase();
  const fieldErrors: FieldError[] = missing.map((field) => ({
    field,
    message: 'The value this field held when editing began is missing.',
  }));
  throw new AppError(
    'VALIDATION',
    `This ${label} update does not say what ${missing.join(', ')} held when editing began ` +
      '("bases": the value per changed field, null for empty; or "rev": the version you read). ' +
      'Without it a save could overwrite a change someone else made meanwhile.',
    fieldErrors,
  );
}

/**
 * The stored editable fields with the schema's defaults, so an absent default compares equal to it.
 * NOTE: the defaults are put under the stored fields rather than the fields parsed again: what is stored
 * passed the same schema on its way in, and a parse was the dearest step of a save's merge.
 */
function storedFields(type: EntityType, current: DocumentData): Doc {
  return withoutEmpty({ ...fieldDefaults(type), ...editableFields(type, current) });
}

const defaultsByType = new Map<EntityType, Doc>();

/** The value each field of `type` takes when absent (aliases `[]`, photo shown), by field. */
function fieldDefaults(type: EntityType): Doc {
  let defaults = defaultsByType.get(type);
  if (!defaults) {
    defaults = {};
    for (const [field, schema] of Object.entries(entities[type].fields)) {
      const absent = (schema as z.ZodType).safeParse(undefined);
      if (absent.success && absent.data !== undefined) defaults[field] = absent.data;
    }
    defaultsByType.set(type, defaults);
  }
  return defaults;
}

/** `stored` with `values` over `fields`; empty values (null, '', absent) make a field absent. */
function overlay(stored: Doc, values: Record<string, unknown>, fields: string[]): Doc {
  const result: Doc = { ...stored };
  for (const field of fields) {
    const value = values[field];
    if (isEmpty(value)) delete result[field];
    else result[field] = value;
  }
  return result;
}

function withoutEmpty(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, value]) => !isEmpty(value)));
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

async function conflictError(
  ctx: ServiceContext,
  type: EntityType,
  current: DocumentData,
  fields: string[],
  changes: Record<string, unknown>,
  bases: Record<string, unknown>,
  wording: ConflictWording,
): Promise<AppError> {
  const lastChanges = await lastChangeByField(ctx, current.id as string, current);
  const fallback = {
    changedBy: (current.updatedBy as FieldConflict['changedBy']) ?? null,
    changedAt: (current.updatedAt as string | undefined) ?? null,
  };
  const conflicts: FieldConflict[] = fields.map((field) => ({
    field,
    base: bases[field] ?? null,
    yours: changes[field] ?? null,
    stored: current[field] ?? null,
    ...(lastChanges.get(field) ?? fallback),
  }));
  const names = [...new Set(conflicts.map((c) => c.changedBy?.name ?? 'someone'))].join(' and ');
  const label = entities[type].label.toLowerCase();
  const labels = [...new Set(fields.map((field) => fieldLabel(type, field)))].join(', ');
  const described = (await describeConflicts(ctx, type, conflicts, wording.yours)).join('; ');
  return new AppError(
    'CONFLICT',
    `${names} changed ${labels} of this ${label} ${wording.since} (${described}). ${wording.next}`,
    undefined,
    conflicts,
  );
}

/** Each contested field in words, as forms and history name it: its label, links by their entries' titles. */
async function describeConflicts(ctx: ServiceContext, type: EntityType, conflicts: FieldConflict[], yoursWord: string) {
  const changes = conflicts.map((c) => ({ field: c.field, from: c.yours, to: c.stored }));
  const titles = await titlesOf(ctx, linkedIdsOf(type, changes));
  const quoted = (words: string) => (words === '—' ? 'empty' : `"${words}"`);
  return changes.map((change) => {
    const [words] = readableChanges(type, [change], titles);
    const yours = words ? quoted(words.from) : JSON.stringify(change.from);
    const now = words ? quoted(words.to) : JSON.stringify(change.to);
    return `${fieldLabel(type, change.field)}: ${yoursWord} ${yours}, now ${now}`;
  });
}

/**
 * Who last changed each field, read from the entry's audit entries (the newest one wins). A field whose
 * stored value is not what its newest audit entry wrote was changed by a write whose audit entry has not
 * arrived here yet (the sync pulls them apart): left out, so the caller names the entry's last writer.
 */
async function lastChangeByField(ctx: ServiceContext, id: string, current: DocumentData) {
  const byField = new Map<string, Pick<FieldConflict, 'changedBy' | 'changedAt'> & { to: unknown }>();
  for (const entry of await auditEntriesOf(ctx, id)) {
    for (const change of entry.changes)
      byField.set(change.field, { changedBy: entry.actor, changedAt: entry.at, to: change.to });
  }
  const named = new Map<string, Pick<FieldConflict, 'changedBy' | 'changedAt'>>();
  for (const [field, { to, ...who }] of byField) if (sameStored(current[field], to)) named.set(field, who);
  return named;
}

function sameStored(a: unknown, b: unknown): boolean {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
  return JSON.stringify(a) === JSON.stringify(b);
}
