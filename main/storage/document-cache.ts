import type { DocData } from './stored-document';

/** How many parsed documents the process keeps per table, at least (up to a quarter more between evictions). */
export const CAPACITY_PER_TABLE = 5_000;
/** Evicted together once the table's documents pass the capacity by this many. */
const EVICTION_BATCH = CAPACITY_PER_TABLE / 4;

/**
 * Parsed documents by table and id. Parsing JSON is the largest cost of a
 * read, and RxDB never changes a document without a new `_rev`, so an entry
 * whose revision matches the stored one is that document: no invalidation is
 * needed (a rolled-back write just never matches again), and entries stay
 * valid across closing and reopening. The oldest entries go first; nothing is
 * loaded on open.
 * NOTE: the cached objects are handed out as they are, as RxDB's memory
 * storage does; RxDB treats storage results as immutable.
 */
const tables = new Map<string, Map<string, DocData>>();

export type TableDocuments = Map<string, DocData>;

export function tableDocuments(tableKey: string): TableDocuments {
  let documents = tables.get(tableKey);
  if (!documents) tables.set(tableKey, (documents = new Map()));
  return documents;
}

export function cachedDocument(documents: TableDocuments, id: string, rev: string): DocData | undefined {
  const doc = documents.get(id);
  return doc && doc._rev === rev ? doc : undefined;
}

/**
 * NOTE: the oldest entries go a batch at a time, with one iterator. Deleting the first key of a Map one
 * write at a time (`keys().next()`) made each write step over every entry deleted before it, until V8
 * compacted the table: 4 µs a document, 0.8 s of the 100,000-document initial sync.
 */
export function cacheDocument(documents: TableDocuments, id: string, doc: DocData): void {
  documents.set(id, doc);
  if (documents.size > CAPACITY_PER_TABLE + EVICTION_BATCH) keepNewest(documents, CAPACITY_PER_TABLE);
}

/**
 * Keeps only the newest `count` documents of a table, the oldest going with one iterator (see above). Also for a
 * catch-up's pages (storage-instance.ts): a page's documents are read back once, by the replication's meta rows
 * written right after them, and the next pages bring other documents. Kept five pages long, every pulled
 * document outlived V8's young generation, to be copied by its collections and moved to the old one (their
 * pauses were a fifth of the initial sync's time).
 */
export function keepNewest(documents: TableDocuments, count: number): void {
  let excess = documents.size - count;
  if (excess <= 0) return;
  for (const oldest of documents.keys()) {
    documents.delete(oldest);
    if (--excess === 0) break;
  }
}

/** Forgets a whole table (after it was dropped). */
export function forgetTableDocuments(tableKey: string): void {
  tables.delete(tableKey);
}
