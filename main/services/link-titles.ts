import type { AuditEntry } from '../../shared/audit';
import { entities, titleOf, type EntityType } from '../../shared/entities/registry';
import { linkedIdsOf, type LinkTitles } from '../../shared/readable';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';

/** An audit entry with the titles of the entries its changes link to, so screens show names, not ids. */
export type TitledAuditEntry = AuditEntry & { titles: LinkTitles };

/** How many ids one lookup asks for. */
const LOOKUP_BATCH = 500;

/**
 * The titles of many linked entries, one query per linked type and batch (trashed entries
 * included: their titles still name them). An id found nowhere, not even in the audit, is absent.
 */
export async function titlesOf(ctx: ServiceContext, wanted: Map<EntityType, Set<string>>): Promise<LinkTitles> {
  const titles: LinkTitles = {};
  for (const [type, set] of wanted) {
    const ids = [...set];
    for (let start = 0; start < ids.length; start += LOOKUP_BATCH) {
      // By primary key, past RxDB's caches: one read of each document.
      const found = await ctx.database.entities[type].storageInstance.findDocumentsById(
        ids.slice(start, start + LOOKUP_BATCH),
        false,
      );
      for (const document of found) titles[document.id as string] = titleOf(type, document as DocumentData);
    }
  }
  // An entry deleted permanently is still named by its last audit entry (its title when it went).
  for (const set of wanted.values()) {
    for (const id of set) {
      if (titles[id] !== undefined) continue;
      const [last] = await ctx.database.audit
        .find({
          selector: { entityId: id },
          sort: [{ entityId: 'desc' }, { at: 'desc' }, { id: 'desc' }],
          limit: 1,
          index: ['entityId', 'at', 'id'],
        })
        .exec();
      if (last) titles[id] = String(last.get('entityTitle'));
    }
  }
  return titles;
}

/** The ids documents of one type link to, per linked type. */
export function linkedIdsOfDocuments(
  type: EntityType,
  documents: DocumentData[],
  except: LinkTitles = {},
): Map<EntityType, Set<string>> {
  const wanted = new Map<EntityType, Set<string>>();
  for (const reference of entities[type].references) {
    const target = reference.target as EntityType;
    const ids = wanted.get(target) ?? new Set<string>();
    for (const document of documents) {
      const value = document[reference.field];
      for (const id of (Array.isArray(value) ? value : value ? [value] : []) as string[])
        if (except[id] === undefined) ids.add(id);
    }
    if (ids.size > 0) wanted.set(target, ids);
  }
  return wanted;
}

/** Audit entries with their links' titles, looked up once for the whole page. */
export async function withTitles(ctx: ServiceContext, entries: AuditEntry[]): Promise<TitledAuditEntry[]> {
  const wanted = new Map<EntityType, Set<string>>();
  for (const entry of entries) linkedIdsOf(entry.entityType as EntityType, entry.changes, wanted);
  const all = wanted.size === 0 ? {} : await titlesOf(ctx, wanted);
  return entries.map((entry) => {
    const own: LinkTitles = {};
    for (const ids of linkedIdsOf(entry.entityType as EntityType, entry.changes).values())
      for (const id of ids) if (all[id] !== undefined) own[id] = all[id];
    return { ...entry, titles: own };
  });
}
