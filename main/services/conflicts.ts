import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CONFLICT_STATUSES, type ConflictRecord } from '../../shared/conflict';
import { entities, isEntityType, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { whoDid } from '../../shared/readable';
import { snapshotOf } from '../../shared/merge';
import { parseOrThrow } from '../../shared/validation';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { envelopeOf, parseEntityFields } from './entities';
import { applyChanges } from './lost-update';
import { requirePermission } from './permissions';
import { assertCrossDocumentRules } from './rules';
import type { TrashService } from './trash';
import { appendAudit, auditedFields, diffFields, editableFields, replaceEntity, runWrite } from './writes';

/** Per field: the local value, the server's, or a value the admin typed. */
export const fieldChoiceSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('local') }),
  z.object({ source: z.literal('server') }),
  z.object({ source: z.literal('value'), value: z.unknown() }),
]);
export type FieldChoice = z.infer<typeof fieldChoiceSchema>;

export const resolveInputSchema = z.object({
  id: z.string().min(1).max(200),
  /** Fields not listed keep the entry's current value (the merge result). */
  choices: z.record(z.string().max(100), fieldChoiceSchema).default({}),
  /**
   * Per chosen field, the entry's value the admin saw when choosing (null for empty): the conflict
   * detail follows the entry live, so a field someone changed after the conflict was recorded is
   * chosen against knowingly. Fields not listed take the record's merged value as their base.
   */
  seen: z.record(z.string().max(100), z.unknown()).default({}),
  /** For a `delete` conflict: confirm the permanent delete instead of keeping the entry. */
  deleteEntry: z.boolean().optional(),
  /**
   * With `deleteEntry`: the entry's version the admin was asked about. A change made since (someone edits
   * the kept entry again) refuses the delete, so nothing unseen is deleted.
   */
  rev: z.string().min(1).max(200).optional(),
});
export type ResolveInput = z.input<typeof resolveInputSchema>;

export const conflictListSchema = z.object({
  status: z.enum([...CONFLICT_STATUSES, 'all']).default('open'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

export type ConflictService = ReturnType<typeof createConflictService>;

/** Recorded sync conflicts: the list admins work through, resolution and dismissal. */
export function createConflictService(ctx: ServiceContext, trash: Pick<TrashService, 'deletePermanently'>) {
  const collection = ctx.database.conflicts;

  async function load(id: string) {
    const record = await collection.findOne(id).exec();
    if (!record) throw new AppError('NOT_FOUND', `No conflict with id ${id} exists.`);
    return record;
  }

  async function close(id: string, status: 'resolved' | 'dismissed', merged?: DocumentData | null) {
    const record = await load(id);
    const at = ctx.now().toISOString();
    await record.incrementalModify((data) => ({
      ...data,
      rev: randomUUID(),
      status,
      closedAt: at,
      closedBy: ctx.session().actor,
      ...(merged === undefined ? {} : { merged: snapshotOf(merged) }),
    }));
  }

  return {
    async list(input: z.input<typeof conflictListSchema> = {}) {
      const { status, offset, limit } = conflictListSchema.parse(input);
      const selector = status === 'all' ? {} : { status };
      const [documents, total] = await Promise.all([
        collection.find({ selector, sort: [{ detectedAt: 'desc' }, { id: 'desc' }], skip: offset, limit }).exec(),
        collection.count({ selector }).exec(),
      ]);
      return { items: documents.map((document) => document.toJSON() as ConflictRecord), total };
    },

    async get(id: string): Promise<ConflictRecord> {
      return (await load(id)).toJSON() as ConflictRecord;
    },

    /** The open records of one entry (a record's id begins with its entry's id), for the entry's open editor. */
    async openFor(entityId: string): Promise<ConflictRecord[]> {
      const selector = { id: { $gt: `${entityId}:`, $lt: `${entityId};` }, status: 'open' };
      const documents = await collection.find({ selector }).exec();
      return documents.map((document) => document.toJSON() as ConflictRecord);
    },

    openCount(): Promise<number> {
      return collection.count({ selector: { status: 'open' } }).exec();
    },

    changes$: collection.$,

    /**
     * Resolves a conflict (admin): the chosen values become a normal audited
     * write (`conflict.resolve`) and the record closes, both in one commit.
     * A `delete` conflict can instead confirm the permanent delete.
     */
    async resolve(raw: ResolveInput): Promise<ConflictRecord> {
      requirePermission(ctx, 'resolveConflicts');
      const input = parseOrThrow(resolveInputSchema, raw, 'The resolution');
      const record = (await load(input.id)).toJSON() as ConflictRecord;
      if (record.status !== 'open') {
        throw new AppError(
          'CONFLICT',
          `This conflict was already ${record.status} by ${record.closedBy?.name ?? 'someone'}.`,
        );
      }
      const type = record.entityType as EntityType;
      if (input.deleteEntry) {
        if (record.kind !== 'delete') throw new AppError('VALIDATION', 'Only a delete conflict can confirm a delete.');
        if (input.rev) await assertDeletingAsked(ctx, type, record.entityId, input.rev);
        const item = { type, id: record.entityId, ...(input.rev ? { rev: input.rev } : {}) };
        await trash.deletePermanently([item], true);
        await runWrite(ctx, () => close(record.id, 'resolved', null));
        return this.get(record.id);
      }
      await runWrite(ctx, async () => {
        const result = await writeResolution(ctx, type, record, input.choices, input.seen);
        await close(record.id, 'resolved', result);
      });
      return this.get(record.id);
    },

    /**
     * Closes a conflict without changing the entry (admin). `rev` is the entry's version the question
     * showed (null: shown as gone here): an entry changed since is not left "as it is" unseen, so the
     * dismissal is refused with who changed it. Without `rev` (older callers) nothing is checked.
     */
    async dismiss(id: string, rev?: string | null): Promise<ConflictRecord> {
      requirePermission(ctx, 'dismissConflicts');
      await runWrite(ctx, async () => {
        const record = (await load(id)).toJSON() as ConflictRecord;
        if (record.status !== 'open') {
          throw new AppError(
            'CONFLICT',
            `This conflict was already ${record.status} by ${record.closedBy?.name ?? 'someone'}.`,
          );
        }
        if (rev !== undefined) {
          const type = record.entityType as EntityType;
          const changed = await changedSinceShown(ctx, type, record.entityId, rev);
          const what = changed === GONE ? `This ${entities[type].label.toLowerCase()} was deleted here` : changed;
          if (what)
            throw new AppError(
              'CONFLICT',
              `${what} meanwhile, so the conflict was not dismissed. Look at it again, then dismiss it if you still want to.`,
            );
        }
        await close(id, 'dismissed');
      });
      return this.get(id);
    },
  };
}

/**
 * The permanent delete a delete conflict confirms names the version shown in its question: the kept entry
 * edited (or trashed) since is not deleted unseen; the refusal says who changed it.
 */
async function assertDeletingAsked(ctx: ServiceContext, type: EntityType, id: string, rev: string): Promise<void> {
  const label = entities[type].label.toLowerCase();
  const changed = await changedSinceShown(ctx, type, id, rev);
  if (changed === null) return;
  if (changed === GONE)
    throw new AppError('CONFLICT', `This ${label} is already gone here, so there is nothing to delete.`);
  throw new AppError(
    'CONFLICT',
    `${changed} meanwhile, so nothing was deleted. Look at it again, then delete it if you still want to.`,
  );
}

const GONE = 'GONE';

/**
 * Whether the entry is no longer the version a question showed (`rev`; null: shown as gone here): null when
 * it is, else who changed it ("Eddie Editor changed this dog"), or GONE when it is gone here since.
 */
async function changedSinceShown(
  ctx: ServiceContext,
  type: EntityType,
  id: string,
  rev: string | null,
): Promise<string | null> {
  const current = (await ctx.database.entities[type].findOne(id).exec())?.toJSON() as DocumentData | undefined;
  const label = entities[type].label.toLowerCase();
  if (!current) return rev === null ? null : GONE;
  if (current.rev === rev) return null;
  const actor = current.updatedBy as { id?: string; name?: string } | null;
  return whoDid(actor, ctx.session().actor.id, rev === null ? `brought this ${label} back` : `changed this ${label}`);
}

function withChosen(fields: DocumentData, chosen: DocumentData): DocumentData {
  const result = { ...fields };
  for (const [field, value] of Object.entries(chosen)) {
    if (value === null) delete result[field];
    else result[field] = value;
  }
  return result;
}

function chosenValue(record: ConflictRecord, field: string, choice: FieldChoice): unknown {
  if (choice.source === 'value') return choice.value;
  const side = choice.source === 'local' ? record.local : record.server;
  return side?.[field];
}

/** Writes the admin's choices over the entry as it is now (or brings it back when it is gone here). */
async function writeResolution(
  ctx: ServiceContext,
  type: EntityType,
  record: ConflictRecord,
  choices: Record<string, FieldChoice>,
  seen: Record<string, unknown>,
): Promise<DocumentData> {
  if (!isEntityType(type)) throw new AppError('VALIDATION', `Unknown entity type ${type}.`);
  const descriptor = entities[type];
  const current = await ctx.database.entities[type].findOne(record.entityId).exec();
  const before = (current?.toJSON() as DocumentData | undefined) ?? null;
  const chosen: DocumentData = {};
  for (const [field, choice] of Object.entries(choices)) {
    if (!(field in descriptor.fields)) throw new AppError('VALIDATION', `${descriptor.label} has no field "${field}".`);
    chosen[field] = chosenValue(record, field, choice) ?? null;
  }
  // The admin chose against the entry as shown (live, `seen`; else as the record has it): a field changed
  // since it was shown is not overwritten.
  const shown = record.merged ?? record.server ?? {};
  const bases = Object.fromEntries(
    Object.keys(chosen).map((field) => [field, (field in seen ? seen[field] : shown[field]) ?? null]),
  );
  const fields: DocumentData = before
    ? await applyChanges(ctx, type, before, chosen, bases)
    : withChosen(editableFields(type, record.local ?? record.server ?? {}), chosen);
  const parsed = parseEntityFields(type, fields, `The resolved ${descriptor.label.toLowerCase()}`);
  const deletedAt = (before ?? record.local)?.deletedAt ?? null;
  if (deletedAt === null) await assertCrossDocumentRules(ctx, type, parsed, record.entityId);
  if (current && before) {
    return replaceEntity(ctx, type, current, { ...envelopeOf(before), ...parsed }, 'conflict.resolve');
  }
  // Gone here (a refused create, or deleted meanwhile): the resolution brings it back.
  const at = ctx.now().toISOString();
  const { actor } = ctx.session();
  const origin = record.local ?? record.server ?? {};
  const document: DocumentData = {
    id: record.entityId,
    rev: randomUUID(),
    createdAt: (origin.createdAt as string | undefined) ?? at,
    createdBy: origin.createdBy ?? actor,
    updatedAt: at,
    updatedBy: actor,
    deletedAt: null,
    deletedBy: null,
    ...parsed,
  };
  await ctx.database.entities[type].insert(document);
  await appendAudit(ctx, 'conflict.resolve', type, document, diffFields(auditedFields(type), null, document));
  return document;
}
