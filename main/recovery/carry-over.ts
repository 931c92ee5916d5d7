import { randomUUID } from 'node:crypto';
import { ENTITY_TYPES, type EntityType } from '../../shared/entities/registry';
import { mergeEntity, snapshotOf } from '../../shared/merge';
import type { ServiceContext } from '../services';
import { appendAudit, diffFields, replaceEntity, runWrite } from '../services';
import { auditedFields } from '../services/writes';
import { recordConflict } from '../sync';
import { liveDocuments, ownFields, salvageDatabaseFile, type DatabaseKey } from '../storage';

type Doc = Record<string, unknown>;

/** A change read from the old file that the server never received. */
export interface LocalOnlyChange {
  type: EntityType;
  /** The entry as it was in the old file. */
  local: Doc;
  /** What the server had when this device last heard from it (null: never sent). */
  base: Doc | null;
}

/**
 * The local-only changes in an old (damaged) catalog file: entries whose
 * revision differs from the version the replication last saw on the server
 * (its assumed master state, kept in the replication's meta tables), or that
 * the server never had. Unreadable rows are counted, not guessed.
 */
export function localOnlyChanges(
  catalogFile: string,
  key: DatabaseKey,
): { changes: LocalOnlyChange[]; unreadable: number } {
  const collections = salvageDatabaseFile(catalogFile, key);
  const masters = new Map<string, Doc>();
  let unreadable = 0;
  for (const collection of collections) {
    if (!collection.collection.startsWith('rx-replication-meta-')) continue;
    for (const meta of collection.documents) {
      if (meta.isCheckpoint === '0' && typeof meta.itemId === 'string' && meta.docData)
        masters.set(meta.itemId, meta.docData as Doc);
    }
  }
  const changes: LocalOnlyChange[] = [];
  for (const collection of collections) {
    const type = collection.collection as EntityType;
    if (!ENTITY_TYPES.includes(type)) continue;
    unreadable += collection.skipped;
    for (const local of liveDocuments(collection)) {
      const base = masters.get(String(local.id)) ?? null;
      if (base && base.rev === local.rev) continue;
      changes.push({ type, local: ownFields(local), base: base ? ownFields(base) : null });
    }
  }
  return { changes, unreadable };
}

/**
 * Writes the local-only changes into the fresh store, each audited: an entry
 * the server does not have is inserted as it was; one it has gets the sync's
 * own three-way merge against the base (shared/merge): fields changed only
 * here are laid over the server's version, edits made elsewhere are kept, and
 * a field changed on both sides keeps the server's value and is recorded as a
 * conflict, as the sync would record it (nothing overwrites a change unseen
 * here). The writes then sync as any local edit.
 */
export async function carryOver(ctx: ServiceContext, changes: LocalOnlyChange[]): Promise<CarryOverResult> {
  const result: CarryOverResult = { carried: 0, conflicts: 0 };
  for (const { type, local, base } of changes) {
    await runWrite(ctx, async () => {
      const current = await ctx.database.entities[type].findOne(String(local.id)).exec();
      if (!current) {
        await ctx.database.entities[type].insert(local);
        await appendAudit(ctx, 'import', type, local, diffFields(auditedFields(type), null, local));
        result.carried++;
        return;
      }
      const server = current.toJSON() as Doc;
      if (server.rev === local.rev) return;
      const merge = { actor: ctx.session().actor, now: ctx.now().toISOString(), newRev: randomUUID };
      const { document, conflict } = mergeEntity(type, { base, local, server }, merge);
      // The merge hands back the server's own state when nothing of the local change survives it.
      const kept =
        document === server ? server : await replaceEntity(ctx, type, current, snapshotOf(document)!, 'import');
      if (document !== server) result.carried++;
      if (conflict) {
        await recordConflict(ctx.database.conflicts, { ...conflict, merged: snapshotOf(kept) });
        result.conflicts++;
      }
    });
  }
  return result;
}

export interface CarryOverResult {
  /** Entries written here (inserted, or merged over the server's version). */
  carried: number;
  /** Fields changed both here and on the server: recorded for the conflicts screen, the server's value kept. */
  conflicts: number;
}
