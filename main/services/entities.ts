import { entities, type EntityDocument, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { fieldLabel } from '../../shared/readable';
import { parseOrThrow } from '../../shared/validation';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { countsPerType, listEntities, type ListInput, type ListPage } from './list';
import { applyChanges } from './lost-update';
import { requirePermission } from './permissions';
import { findNamesakes, type Namesakes } from './namesakes';
import { assertCrossDocumentRules } from './rules';
import type { SearchIndex, SearchInput, SearchHit } from './search-index';
import { diffFields, insertEntity, replaceEntity, runWrite } from './writes';

export type EntityService = ReturnType<typeof createEntityService>;

/** Create, read, update, list and search entries of every registered type. */
export function createEntityService(ctx: ServiceContext, searchIndex: SearchIndex) {
  return {
    async create<T extends EntityType>(type: T, input: unknown): Promise<EntityDocument<T>> {
      requirePermission(ctx, 'createEntries');
      const descriptor = entities[type];
      const fields = parseEntityFields(type, input, `This ${descriptor.label.toLowerCase()}`);
      return runWrite(ctx, async () => {
        await assertCrossDocumentRules(ctx, type, fields);
        return insertEntity(ctx, type, fields);
      });
    },

    async get<T extends EntityType>(type: T, id: string): Promise<EntityDocument<T>> {
      return (await loadDocument(ctx, type, id)).toJSON() as EntityDocument<T>;
    },

    /**
     * Applies `changes` (a field set to null is cleared) under the lost-update
     * rule: `bases` names, for each changed field, the value the caller started
     * from (null for empty); a field changed meanwhile by someone else is
     * refused with CONFLICT and both values, other fields merge.
     * NOTE: a caller may name the whole version it read (`rev`) instead; the
     * bases are then that version's values, so a stale `rev` is refused outright.
     * A caller that names whether the entry was in the trash when it read it (`inTrash`) is refused
     * (CONFLICT) once someone has trashed or restored it since: an editor never writes into the trash
     * unseen (docs/decisions.md, "An entry moved to the trash while open ...").
     */
    async update<T extends EntityType>(
      type: T,
      id: string,
      changes: Record<string, unknown>,
      basis: UpdateBasis,
    ): Promise<EntityDocument<T>> {
      requirePermission(ctx, 'editEntries');
      const descriptor = entities[type];
      return runWrite(ctx, async () => {
        const current = await loadDocument(ctx, type, id);
        const before = current.toJSON() as DocumentData;
        if (basis.inTrash !== undefined) assertTrashState(type, before, basis.inTrash, ctx.session().actor.id);
        const merged = await applyChanges(ctx, type, before, changes, basesOf(type, before, changes, basis));
        const fields = parseEntityFields(type, merged, `This ${descriptor.label.toLowerCase()}`);
        const next = { ...envelopeOf(before), ...fields };
        if (diffFields(Object.keys(descriptor.fields), before, next).length === 0) {
          return before as EntityDocument<T>;
        }
        if (before.deletedAt === null) await assertCrossDocumentRules(ctx, type, fields, id, before);
        else await assertCrossDocumentRules(ctx, type, withoutUniqueFields(type, fields), id, before);
        return replaceEntity(ctx, type, current, next, 'update');
      });
    },

    /** Other live entries that share entry `id`'s unique name (after a sync): see namesakes.ts. */
    namesakes(type: EntityType, id: string): Promise<Namesakes> {
      return findNamesakes(ctx, type, id);
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

/**
 * The stored entry `id`, as an RxDocument; NOT_FOUND when there is none. NOTE: read from the storage rather
 * than with `findOne`, whose query a save built anew for every entry it loads.
 */
export async function loadDocument(ctx: ServiceContext, type: EntityType, id: string) {
  const collection = ctx.database.entities[type];
  const [data] = await collection.storageInstance.findDocumentsById([id], false);
  const document = data ? collection._docCache.getCachedRxDocument(data) : null;
  if (!document) {
    throw new AppError(
      'NOT_FOUND',
      `No ${entities[type].label.toLowerCase()} with id ${id} exists. It may have been deleted permanently.`,
    );
  }
  return document;
}

/** What an update names as its starting point: a base per changed field, or the whole version read. */
export interface UpdateBasis {
  bases?: Record<string, unknown> | undefined;
  rev?: string | undefined;
  /** Whether the entry was in the trash when the caller read it; a save is refused once that changed. */
  inTrash?: boolean | undefined;
}

function basesOf(type: EntityType, current: DocumentData, changes: Record<string, unknown>, basis: UpdateBasis) {
  if (basis.bases !== undefined || basis.rev === undefined) return basis.bases;
  assertRevision(type, current, basis.rev);
  return Object.fromEntries(Object.keys(changes).map((field) => [field, current[field] ?? null]));
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

/** An update that started from a live entry (or one in the trash) and finds it moved in or out since. */
function assertTrashState(type: EntityType, current: DocumentData, inTrash: boolean, me: string): void {
  if ((current.deletedAt !== null) === inTrash) return;
  const label = entities[type].label.toLowerCase();
  // The trash keeps who moved the entry there; an edit made in the trash since changes only `updatedBy`.
  const actor = (inTrash ? current.updatedBy : current.deletedBy) as { id?: string; name?: string } | null;
  // The person's own move from another window (or device signed in as them) is theirs, not a third person's.
  const byYou = actor?.id === me;
  const who = byYou ? 'You' : (actor?.name ?? 'Someone');
  const where = byYou ? ' in another window or on another device' : '';
  throw new AppError(
    'CONFLICT',
    inTrash
      ? `${who} restored this ${label} from the trash${where} after you started editing, so nothing was saved. ` +
          'Save again to save your changes to it.'
      : `${who} moved this ${label} to the trash${where} after you started editing, so nothing was saved. ` +
          'Restore it to save your changes to it, or discard them.',
  );
}

/**
 * The editable fields of a `type` entry parsed with its schema, or a VALIDATION error naming each bad
 * field by its label, as the form shows it (`what` is what the message calls the entry).
 */
export function parseEntityFields(type: EntityType, value: unknown, what: string): DocumentData {
  return parseOrThrow(entities[type].fieldsSchema, value, what, (field) => fieldLabel(type, field));
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
