import { ENTITY_TYPES, type EntityType } from '../../shared/entities/registry';
import { jsonEqual } from '../../shared/merge';
import type { ServiceContext } from '../services';
import { appendAudit, diffFields, replaceEntity, runWrite } from '../services';
import { auditedFields } from '../services/writes';
import { salvageDatabaseFile } from '../storage/salvage';
import { liveDocuments, ownFields } from './readable-export';

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
export function localOnlyChanges(catalogFile: string): { changes: LocalOnlyChange[]; unreadable: number } {
  const collections = salvageDatabaseFile(catalogFile);
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
 * the server does not have is inserted as it was; for one it has, the fields
 * changed here (against the base) are laid over the server's version, so
 * edits made elsewhere to other fields are kept. The writes then sync as any
 * local edit, through the usual conflict handling.
 */
export async function carryOver(ctx: ServiceContext, changes: LocalOnlyChange[]): Promise<number> {
  let carried = 0;
  for (const { type, local, base } of changes) {
    await runWrite(ctx, async () => {
      const current = await ctx.database.entities[type].findOne(String(local.id)).exec();
      if (!current) {
        await ctx.database.entities[type].insert(local);
        await appendAudit(ctx, 'import', type, local, diffFields(auditedFields(type), null, local));
        carried++;
        return;
      }
      const server = current.toJSON() as Doc;
      if (server.rev === local.rev) return;
      const next: Doc = { ...server };
      for (const [field, value] of Object.entries(local)) {
        if (field === 'rev' || field === 'id') continue;
        if (!base || !jsonEqual(base[field], value)) next[field] = value;
      }
      await replaceEntity(ctx, type, current, next, 'import');
      carried++;
    });
  }
  return carried;
}
