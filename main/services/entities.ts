import { entities, type EntityDocument, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { countsPerType, listEntities, type ListInput, type ListPage } from './list';
import { requireRole } from './permissions';
import { assertCrossDocumentRules } from './rules';
import type { SearchIndex, SearchInput, SearchHit } from './search-index';
import { diffFields, editableFields, insertEntity, replaceEntity, runWrite } from './writes';

export type EntityService = ReturnType<typeof createEntityService>;

/** Create, read, update, list and search entries of every registered type. */
export function createEntityService(ctx: ServiceContext, searchIndex: SearchIndex) {
  return {
    async create<T extends EntityType>(type: T, input: unknown): Promise<EntityDocument<T>> {
      requireRole(ctx, 'editor', 'create entries');
      const descriptor = entities[type];
      const fields = parseOrThrow(descriptor.fieldsSchema, input, `This ${descriptor.label.toLowerCase()}`);
      return runWrite(ctx, async () => {
        await assertCrossDocumentRules(ctx, type, fields);
        return insertEntity(ctx, type, fields);
      });
    },

    async get<T extends EntityType>(type: T, id: string): Promise<EntityDocument<T>> {
      return (await loadDocument(ctx, type, id)).toJSON() as EntityDocument<T>;
    },

    /**
     * Applies `changes` (a field set to null is cleared) to the version the
     * caller saw, `rev`. A stale `rev` means someone else saved in between.
     */
    async update<T extends EntityType>(
      type: T,
      id: string,
      rev: string,
      changes: Record<string, unknown>,
    ): Promise<EntityDocument<T>> {
      requireRole(ctx, 'editor', 'edit entries');
      const descriptor = entities[type];
      return runWrite(ctx, async () => {
        const current = await loadDocument(ctx, type, id);
        assertRevision(type, current.toJSON() as DocumentData, rev);
        const merged: DocumentData = { ...editableFields(type, current.toJSON() as DocumentData) };
        for (const [field, value] of Object.entries(changes)) {
          if (value === null) delete merged[field];
          else merged[field] = value;
        }
        const fields = parseOrThrow(descriptor.fieldsSchema, merged, `This ${descriptor.label.toLowerCase()}`);
        const before = current.toJSON() as DocumentData;
        const next = { ...envelopeOf(before), ...fields };
        if (diffFields(Object.keys(descriptor.fields), before, next).length === 0) {
          return before as EntityDocument<T>;
        }
        if (before.deletedAt === null) await assertCrossDocumentRules(ctx, type, fields, id);
        else await assertCrossDocumentRules(ctx, type, withoutUniqueFields(type, fields), id);
        return replaceEntity(ctx, type, current, next, 'update');
      });
    },

    list(input: ListInput): Promise<ListPage> {
      return listEntities(ctx, input);
    },

    search(input: SearchInput): Promise<SearchHit[]> {
      return searchIndex.search(input);
    },

    counts(): Promise<Record<EntityType, { live: number; trash: number }>> {
      return countsPerType(ctx);
    },
  };
}

export async function loadDocument(ctx: ServiceContext, type: EntityType, id: string) {
  const document = await ctx.database.entities[type].findOne(id).exec();
  if (!document) {
    throw new AppError(
      'NOT_FOUND',
      `No ${entities[type].label.toLowerCase()} with id ${id} exists. It may have been deleted permanently.`,
    );
  }
  return document;
}

export function assertRevision(type: EntityType, current: DocumentData, rev: string): void {
  if (current.rev === rev) return;
  const by = (current.updatedBy as { name?: string } | null)?.name ?? 'someone';
  throw new AppError(
    'CONFLICT',
    `This ${entities[type].label.toLowerCase()} was changed by ${by} at ${String(current.updatedAt)} after you opened it. ` +
      'Reload it to see that change, then apply yours again.',
  );
}

/** The envelope of a stored document, without its editable fields. */
export function envelopeOf(document: DocumentData): DocumentData {
  const { id, rev, createdAt, createdBy, updatedAt, updatedBy, deletedAt, deletedBy } = document;
  return { id, rev, createdAt, createdBy, updatedAt, updatedBy, deletedAt, deletedBy };
}

/** NOTE: names of trashed entries need not be unique; restoring checks them again. */
function withoutUniqueFields(type: EntityType, fields: DocumentData): DocumentData {
  const copy = { ...fields };
  for (const field of entities[type].uniqueFields as string[]) delete copy[field];
  return copy;
}
