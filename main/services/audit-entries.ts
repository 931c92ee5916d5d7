import type { AuditEntry } from '../../shared/audit';
import type { EntityType } from '../../shared/entities/registry';
import type { ServiceContext } from './context';
import type { SearchIndex } from './search-index';
import { foldTerm, matchRanges, tokenize, type MatchRange } from './search-text';

/** Where an entry the audit names is now. */
export type AuditedEntryState = 'live' | 'trash' | 'deleted';

/** One entry the audit's Entry filter offers: a search hit's words, and where the entry is now. */
export interface AuditedEntryHit {
  type: EntityType;
  id: string;
  title: string;
  matched: string;
  field: string;
  ranges: MatchRange[];
  state: AuditedEntryState;
}

export interface AuditedEntryInput {
  type: EntityType;
  query: string;
  limit?: number;
}

/**
 * The entries of one type whose trail the audit screen can show, by title: live and trashed ones from
 * the search index, then those deleted permanently, found in the trail itself (their purge entry keeps
 * the title they had). NOTE: when both kinds fill the page, the deleted ones keep at least half of it,
 * so a crowd of live namesakes cannot hide the entry whose history is most wanted.
 */
export async function findAuditedEntries(
  ctx: ServiceContext,
  searchIndex: SearchIndex,
  input: AuditedEntryInput,
): Promise<AuditedEntryHit[]> {
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 200);
  const [hits, deleted] = await Promise.all([
    searchIndex.search({ query: input.query, types: [input.type], includeTrash: true, limit }),
    findDeletedEntries(ctx, input.type, input.query, limit),
  ]);
  const shownDeleted = deleted.slice(0, Math.max(limit - hits.length, Math.ceil(limit / 2)));
  const shownHits = hits.slice(0, limit - shownDeleted.length).map((hit): AuditedEntryHit => ({
    type: hit.type,
    id: hit.id,
    title: hit.title,
    matched: hit.matched,
    field: hit.field,
    ranges: hit.ranges,
    state: hit.inTrash ? 'trash' : 'live',
  }));
  return [...shownHits, ...shownDeleted];
}

/**
 * Entries of `type` deleted permanently whose title at deletion has a word starting with each word of
 * `query` (folded as the search folds them), most recently deleted first. An entry whose delete lost to
 * an edit elsewhere (a delete conflict) still exists and is not one of them.
 * NOTE: reads the purge entries down the (action, at, id) index: it grows with permanent deletes, not
 * with the trail, and needs no index or table of its own.
 */
async function findDeletedEntries(
  ctx: ServiceContext,
  type: EntityType,
  query: string,
  limit: number,
): Promise<AuditedEntryHit[]> {
  const words = tokenize(query).map(foldTerm);
  if (words.length === 0) return [];
  const purges = await ctx.database.audit
    .find({
      selector: { action: 'purge', entityType: type },
      sort: [{ action: 'desc' }, { at: 'desc' }, { id: 'desc' }],
      index: ['action', 'at', 'id'],
    })
    .exec();
  const latest = new Map<string, AuditEntry>();
  for (const doc of purges) {
    const entry = doc.toJSON() as AuditEntry;
    if (!latest.has(entry.entityId)) latest.set(entry.entityId, entry);
  }
  const matching = [...latest.values()].filter((entry) => {
    const titleWords = tokenize(entry.entityTitle).map(foldTerm);
    return words.every((word) => titleWords.some((titleWord) => titleWord.startsWith(word)));
  });
  if (matching.length === 0) return [];
  const existing = await ctx.database.entities[type].findByIds(matching.map((entry) => entry.entityId)).exec();
  const gone = matching.filter((entry) => !existing.has(entry.entityId)).slice(0, limit);
  return gone.map((entry) => {
    const terms = new Set(
      tokenize(entry.entityTitle)
        .map(foldTerm)
        .filter((titleWord) => words.some((word) => titleWord.startsWith(word))),
    );
    return {
      type,
      id: entry.entityId,
      title: entry.entityTitle,
      matched: entry.entityTitle,
      field: 'title',
      ranges: matchRanges(entry.entityTitle, terms),
      state: 'deleted',
    };
  });
}
