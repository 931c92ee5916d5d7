import { randomUUID } from 'node:crypto';
import { isWriteAllowed, throwIfIsStorageWriteError, type RxDocument, type RxDocumentData } from 'rxdb';
import { v7 as uuidv7 } from 'uuid';
import type { AuditAction, AuditEntry, FieldChange } from '../../shared/audit';
import { entities, titleOf, type EntityDocument, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import type { AnyCollection, DocumentData } from '../database';
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
  await insertDocument(ctx.database.audit, entry);
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
  await guardStorage(() => insertDocument(ctx.database.entities[type], document));
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
  await guardStorage(() => replaceDocument(ctx.database.entities[type], current, document));
  await appendAudit(ctx, action, type, document, diffFields(auditedFields(type), before, document));
  return document as EntityDocument<T>;
}

/**
 * `collection.insert` without its RxDocument, which RxDB builds (and caches) only when a caller
 * asks for the written documents; a save returns the plain document. Fails as `insert` does.
 */
async function insertDocument(collection: AnyCollection, document: DocumentData): Promise<void> {
  const { error } = await collection.bulkInsert([document]);
  throwIfIsStorageWriteError(collection, document.id as string, document, error[0]);
}

/**
 * Writes `document` over the stored version `current` (RxDB's own bookkeeping fields, _rev, _meta and the
 * like, carry over; ours are replaced whole). The storage refuses it (CONFLICT) if another write replaced
 * `current` meanwhile. NOTE: `current.modify` without what a save does not use: the deep copy of the stored
 * version, RxDB's save hooks (none are registered) and the RxDocument of the written version, which cost a
 * save a sixth of its time on the main thread (docs/decisions.md, "A save does less per call").
 */
export async function replaceDocument(
  collection: AnyCollection,
  current: RxDocument<DocumentData>,
  document: DocumentData,
): Promise<void> {
  isWriteAllowed(collection);
  const previous = current._data;
  const written = { ...rxFieldsOf(previous), ...document } as RxDocumentData<DocumentData>;
  const { error } = await collection.storageInstance.bulkWrite([{ previous, document: written }], SAVE_CONTEXT);
  throwIfIsStorageWriteError(collection, current.primary, written, error[0]);
}

/** The context RxDB gives a document's own save (`RxDocument.modify`); the storage's write context. */
const SAVE_CONTEXT = 'rx-document-save-data';

/** Deletes for good: an RxDB tombstone, which replicates. The purge entry keeps what was deleted. */
export async function removeEntity(ctx: ServiceContext, type: EntityType, current: RxDocument<DocumentData>) {
  const before = current.toJSON() as DocumentData;
  await guardStorage(() => current.remove());
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

function rxFieldsOf(document: DocumentData): DocumentData {
  const rx: DocumentData = {};
  for (const key in document) if (key.startsWith('_')) rx[key] = document[key];
  return rx;
}

/** Storage errors that a person can act on become app errors; anything else stays a bug. */
async function guardStorage<R>(write: () => Promise<R>): Promise<R> {
  try {
    return await write();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'CONFLICT') {
      throw new AppError(
        'CONFLICT',
        'Someone else changed this entry a moment ago. Reload it and apply your change again.',
      );
    }
    throw error;
  }
}
