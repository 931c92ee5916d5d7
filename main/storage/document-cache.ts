import type { DocData } from './stored-document';

/** How many parsed documents the process keeps per table. */
const CAPACITY_PER_TABLE = 5_000;

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

export function cacheDocument(documents: TableDocuments, id: string, doc: DocData): void {
  if (documents.size >= CAPACITY_PER_TABLE && !documents.has(id)) {
    documents.delete(documents.keys().next().value as string);
  }
  documents.set(id, doc);
}

/** Forgets a whole table (after it was dropped). */
export function forgetTableDocuments(tableKey: string): void {
  tables.delete(tableKey);
}
