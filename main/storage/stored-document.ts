import type { EventBulk, RxDocumentData } from 'rxdb';

/**
 * The types every file of the storage shares, kept below all of them so the
 * table, the document cache, the row readers and the query planner import one
 * lower file instead of each other.
 */

/** A document as RxDB hands it to a storage: fields plus `_rev`, `_deleted`, `_meta`, `_attachments`. */
export type DocData = RxDocumentData<Record<string, unknown>>;

/** One change-stream event bulk of a table. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ChangeBulk = EventBulk<any, any>;

/** A query turned into SQL over one index column (see query.ts). */
export interface SqlPlan {
  /** WHERE clause over the index column with its two bound parameters, or '' for a full scan. */
  where: string;
  params: string[];
  orderBy: string;
  /** Rows in the range all match the selector: no matcher needed. */
  exact: boolean;
  /** Rows come out in the query's sort order: no re-sort needed, and the scan may stop early. */
  sorted: boolean;
}
