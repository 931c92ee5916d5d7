import type { AuditEntry } from '../../shared/audit';
import { entities, type EntityDocument, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { assertRevision, envelopeOf, loadDocument } from './entities';
import { requirePermission } from './permissions';
import { assertCrossDocumentRules } from './rules';
import { editableFields, replaceEntity, runWrite } from './writes';

export interface HistoryEntry extends AuditEntry {
  /** The editable fields as they were right after this entry. */
  version: DocumentData;
}

export type HistoryService = ReturnType<typeof createHistoryService>;

export function createHistoryService(ctx: ServiceContext) {
  /** Every audit entry of one entity, oldest first. */
  async function entriesOf(id: string): Promise<AuditEntry[]> {
    const found = await ctx.database.audit
      .find({
        selector: { entityId: id },
        sort: [{ entityId: 'asc' }, { at: 'asc' }, { id: 'asc' }],
        index: ['entityId', 'at', 'id'],
      })
      .exec();
    return found.map((doc) => doc.toJSON() as AuditEntry);
  }

  /**
   * The entity's history, newest first, each entry with the version it
   * produced. NOTE: versions are rebuilt backwards from the current document
   * by undoing each entry's changes, so a history that starts mid-way (older
   * entries not yet replicated) still yields correct recent versions.
   */
  async function history(type: EntityType, id: string): Promise<HistoryEntry[]> {
    const current = (await loadDocument(ctx, type, id)).toJSON() as DocumentData;
    const entries = await entriesOf(id);
    let state: DocumentData = { ...editableFields(type, current), deletedAt: current.deletedAt };
    const result: HistoryEntry[] = [];
    for (const entry of [...entries].reverse()) {
      result.push({ ...entry, version: withoutEmpty(state) });
      state = { ...state };
      for (const change of entry.changes) state[change.field] = change.from;
    }
    return result;
  }

  return {
    history,

    /** Makes a past version current again, as a new audited update (the history keeps everything). */
    async restoreVersion(type: EntityType, id: string, entryId: string, rev: string): Promise<EntityDocument> {
      requirePermission(ctx, 'restoreVersions');
      const descriptor = entities[type];
      return runWrite(ctx, async () => {
        const entry = (await history(type, id)).find((e) => e.id === entryId);
        if (!entry) {
          throw new AppError(
            'NOT_FOUND',
            `No history entry ${entryId} exists for this ${descriptor.label.toLowerCase()}.`,
          );
        }
        const current = await loadDocument(ctx, type, id);
        const before = current.toJSON() as DocumentData;
        assertRevision(type, before, rev);
        const { deletedAt: _deletedAt, ...pastFields } = entry.version;
        const fields = parseOrThrow(
          descriptor.fieldsSchema,
          pastFields,
          `That version of this ${descriptor.label.toLowerCase()}`,
        );
        if (before.deletedAt === null) await assertCrossDocumentRules(ctx, type, fields, id);
        return replaceEntity(ctx, type, current, { ...envelopeOf(before), ...fields }, 'update');
      });
    },
  };
}

function withoutEmpty(state: DocumentData): DocumentData {
  const copy: DocumentData = {};
  for (const [field, value] of Object.entries(state))
    if (value !== undefined && !(value === null && field !== 'deletedAt')) copy[field] = value;
  return copy;
}
