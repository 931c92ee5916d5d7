import type { RxCollection, RxConflictHandler, WithDeleted } from 'rxdb';
import type { ConflictRecord } from '../../shared/conflict';
import { resolveConflict, type Doc, type MergeContext } from '../../shared/merge';
import type { ReplicatedCollection } from '../../shared/protocol';

/**
 * Rows the server refused, by collection and id, with the refused revision.
 * The push handler reports them as conflicts whose "server state" is the
 * state to go back to; the conflict handler then takes that state as is
 * (the refused content already lives in a `refused` conflict record).
 * Rows whose change was discarded here before they could be sent (CLIENT-16)
 * go the same way.
 */
export class RefusedRows {
  private readonly revs = new Map<string, string>();

  add(collection: string, id: string, rev: string): void {
    this.revs.set(`${collection}:${id}`, rev);
  }

  /** Whether `document` is a refused revision; forgets it once asked. */
  take(collection: string, document: Doc): boolean {
    const key = `${collection}:${String(document.id)}`;
    if (this.revs.get(key) !== document.rev) return false;
    this.revs.delete(key);
    return true;
  }
}

export interface ConflictHandlerDeps {
  /** Who writes merged documents and detects conflicts: the signed-in user. */
  mergeContext(): MergeContext;
  refused: RefusedRows;
  record(conflict: ConflictRecord): Promise<void>;
}

/**
 * Every replicated document carries `rev`, a new random id on every write,
 * so two states are the same exactly when their revisions (and deletion) are.
 */
export function sameRevision(a: Doc, b: Doc): boolean {
  return a.rev === b.rev && (a._deleted === true) === (b._deleted === true);
}

/** The RxDB conflict handler of one replicated collection: the design's three-way merge. */
export function createConflictHandler(
  collection: ReplicatedCollection,
  deps: ConflictHandlerDeps,
): RxConflictHandler<Doc> {
  return {
    isEqual: (a, b) => sameRevision(a, b),
    async resolve(input) {
      const server = input.realMasterState as Doc;
      const local = input.newDocumentState as Doc;
      if (deps.refused.take(collection, local)) return server as WithDeleted<Doc>;
      const outcome = resolveConflict(
        collection,
        { base: (input.assumedMasterState as Doc | undefined) ?? null, local, server },
        deps.mergeContext(),
      );
      if (outcome.conflict) await deps.record(outcome.conflict);
      return { ...outcome.document, _deleted: outcome.document._deleted === true } as WithDeleted<Doc>;
    },
  };
}

/**
 * Inserts a conflict record unless one with its id exists: the id is derived
 * from the entity and both revisions, so a conflict seen twice (a retried
 * push, another device) is recorded once and a closed record stays closed.
 */
export async function recordConflict(conflicts: RxCollection<Doc>, conflict: ConflictRecord): Promise<void> {
  try {
    await conflicts.insert(conflict as Doc);
  } catch (error) {
    if ((error as { code?: string }).code !== 'CONFLICT') throw error;
  }
}

/**
 * NOTE: RxDB reads `collection.conflictHandler` when a replication starts, so
 * the sync room installs its handler there instead of the database module
 * passing one at collection creation (which would tie storage to sync).
 */
export function installConflictHandler(target: RxCollection<Doc>, handler: RxConflictHandler<Doc>): void {
  (target as { conflictHandler: RxConflictHandler<Doc> }).conflictHandler = handler;
}
