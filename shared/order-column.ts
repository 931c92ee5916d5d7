/**
 * An index column of the app's own in the local storage (main/storage, `SqliteInstanceOptions.orderColumns`):
 * a string per document from `encode`, with an SQL index, for the orders and lookups RxDB's index strings
 * cannot give (durations by length, names ignoring case).
 */
export interface OrderColumn {
  /** Its key among the storage's index columns: never a field list, so RxDB never plans over it. */
  key: string;
  encode(document: Record<string, unknown>): string;
}
