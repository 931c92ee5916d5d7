import { randomUUID } from 'node:crypto';
import type { RxDocument } from 'rxdb';
import { v7 as uuidv7 } from 'uuid';
import type { AuditAction, AuditEntry, FieldChange } from '../../shared/audit';
import { entities, titleOf, type EntityDocument, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { writeInTransaction, type DocumentData } from '../database';
import type { ServiceContext } from './context';

/** Fields whose changes an audit entry records: the editable fields and the trash state. */
export function auditedFields(type: EntityType): string[] {
  return [...Object.keys(entities[type].fields), 'deletedAt'];
}

/** Field-level changes between two versions (null before a create, after a permanent delete). */
export function diffFields(fields: string[], before: DocumentData | null, after: DocumentData | null): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    // A field that is missing and one that is null both hold nothing: no change between them.
    const from: unknown = before?.[field] ?? null;
    const to: unknown = after?.[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}

/**
 * Runs one logical write: serialized with the core's other writes and
 * committed as one storage transaction, so an entity change and its audit
 * entry land together or not at all.
 */
export function runWrite<T>(ctx: ServiceContext, fn: () => Promise<T>): Promise<T> {
  return ctx.lock.run(() => ctx.database.transaction(fn));
}

export async function appendAudit(
  ctx: ServiceContext,
  action: AuditAction,
  type: EntityType,
  document: DocumentData,
  changes: FieldChange[],
): Promise<AuditEntry> {
  const entry: AuditEntry = {
    id: uuidv7(),
    rev: randomUUID(),
    at: ctx.now().toISOString(),
    actor: ctx.session().actor,
    device: ctx.deviceId,
    action,
    entityType: type,
    entityId: document.id as string,
    entityTitle: titleOf(type, document).slice(0, 300),
    changes,
  };
  writeInTransaction(ctx.database.audit, entry);
  return entry;
}

/** Inserts a new entity document with a fresh envelope, audited as `action`. */
export async function insertEntity<T extends EntityType>(
  ctx: ServiceContext,
  type: T,
  fields: DocumentData,
  action: AuditAction = 'create',
): Promise<EntityDocument<T>> {
  const at = ctx.now().toISOString();
  const { actor } = ctx.session();
  const document = {
    id: uuidv7(),
    rev: randomUUID(),
    createdAt: at,
    createdBy: actor,
    updatedAt: at,
    updatedBy: actor,
    deletedAt: null,
    deletedBy: null,
    ...fields,
  };
  guardStorage(() => writeInTransaction(ctx.database.entities[type], document));
  await appendAudit(ctx, action, type, document, diffFields(auditedFields(type), null, document));
  return document as EntityDocument<T>;
}

/**
 * Writes `next` over the stored version `current` with a new revision. RxDB
 * checks its own revision too, so a write that raced in (replication) makes
 * this fail with CONFLICT instead of being overwritten.
 */
export async function replaceEntity<T extends EntityType>(
  ctx: ServiceContext,
  type: T,
  current: RxDocument<DocumentData>,
  next: DocumentData,
  action: AuditAction,
): Promise<EntityDocument<T>> {
  const before = current.toJSON() as DocumentData;
  const document = {
    ...next,
    rev: randomUUID(),
    updatedAt: ctx.now().toISOString(),
    updatedBy: ctx.session().actor,
  };
  guardStorage(() => writeInTransaction(ctx.database.entities[type], document, current._data));
  await appendAudit(ctx, action, type, document, diffFields(auditedFields(type), before, document));
  return document as EntityDocument<T>;
}

/** Deletes for good: an RxDB tombstone, which replicates. The purge entry keeps what was deleted. */
export async function removeEntity(ctx: ServiceContext, type: EntityType, current: RxDocument<DocumentData>) {
  const before = current.toJSON() as DocumentData;
  await current.remove().catch((error: unknown) => Promise.reject(appErrorFrom(error)));
  await appendAudit(ctx, 'purge', type, before, diffFields(auditedFields(type), before, null));
}

/** Envelope fields stripped: what a form or an import holds. */
export function editableFields(type: EntityType, document: DocumentData): DocumentData {
  const fields: DocumentData = {};
  for (const field of Object.keys(entities[type].fields)) {
    if (document[field] !== undefined) fields[field] = document[field];
  }
  return fields;
}

/** Runs a storage write done at once: errors a person can act on become app errors. */
function guardStorage(write: () => void): void {
  try {
    write();
  } catch (error) {
    throw appErrorFrom(error);
  }
}

/** A revision replaced meanwhile becomes CONFLICT, in words; anything else stays a bug. */
function appErrorFrom(error: unknown): unknown {
  if ((error as { code?: string }).code !== 'CONFLICT') return error;
  return new AppError(
    'CONFLICT',
    'Someone else changed this entry a moment ago. Reload it and apply your change again.',
  );
}
