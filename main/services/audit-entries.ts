import type { EntityType } from '../../shared/entities/registry';
import type { ServiceContext } from './context';
import { findPurgedTitles, type PurgedTitle } from './purged-titles';
import type { SearchHit, SearchIndex } from './search-index';
import { foldTerm, matchRanges, tokenize } from './search-text';

/** Where an entry the audit names is now. */
export type AuditedEntryState = 'live' | 'trash' | 'deleted';

/** One entry the audit's Entry filter offers: a search hit's words, and where the entry is now. */
export interface AuditedEntryHit extends Pick<SearchHit, 'type' | 'id' | 'title' | 'matched' | 'field' | 'ranges'> {
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
 * NOTE: reads the purge entries matching the words through their own word index (purged-titles.ts), a page
 * at a time, until `limit` are found: the cost grows with the page, not with the permanent deletes.
 */
async function findDeletedEntries(
  ctx: ServiceContext,
  type: EntityType,
  query: string,
  limit: number,
): Promise<AuditedEntryHit[]> {
  const words = tokenize(query).map(foldTerm);
  if (words.length === 0) return [];
  const gone = new Map<string, PurgedTitle>();
  const seen = new Set<string>();
  for (let before: number | null = null; gone.size < limit;) {
    const page = await findPurgedTitles(ctx, type, words, limit, before);
    // The index splits words at symbols too: each candidate is checked against the words as typed.
    const fresh = page.filter((entry) => {
      if (seen.has(entry.entityId) || !titleMatches(entry.title, words)) return false;
      seen.add(entry.entityId);
      return true;
    });
    const existing = await ctx.database.entities[type].findByIds(fresh.map((entry) => entry.entityId)).exec();
    for (const entry of fresh) if (!existing.has(entry.entityId) && gone.size < limit) gone.set(entry.entityId, entry);
    if (page.length < limit) break;
    before = page[page.length - 1]!.row;
  }
  return [...gone.values()]
    .sort((a, b) => b.at.localeCompare(a.at) || b.row - a.row)
    .map((entry) => {
      const terms = new Set(
        tokenize(entry.title)
          .map(foldTerm)
          .filter((titleWord) => words.some((word) => titleWord.startsWith(word))),
      );
      return {
        type,
        id: entry.entityId,
        title: entry.title,
        matched: entry.title,
        field: 'title',
        ranges: matchRanges(entry.title, terms),
        state: 'deleted',
      };
    });
}

/** Every query word starts a word of the title (both folded). */
function titleMatches(title: string, words: string[]): boolean {
  const titleWords = tokenize(title).map(foldTerm);
  return words.every((word) => titleWords.some((titleWord) => titleWord.startsWith(word)));
}
