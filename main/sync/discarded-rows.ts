import type { RxCollection } from 'rxdb';
import type { Doc } from '../../shared/merge';
import { sameRevision } from './conflict-handler';

/**
 * The entries whose waiting changes the user discarded (CLIENT-16), until a push attempt has dealt
 * with them. Only these are ever held back: a conflict resolution also writes the server's version
 * locally, and holding back a row then would tell RxDB the server still had the older version it
 * assumed, so the replica would never catch up with the server.
 */
export class DiscardedEntries {
  private readonly keys = new Set<string>();

  add(collection: string, id: string): void {
    this.keys.add(`${collection}/${id}`);
  }

  /** Forgets the entries of `ids` that were discarded, and says which they were. */
  take(collection: string, ids: string[]): Set<string> {
    const taken = new Set<string>();
    for (const id of ids) if (this.keys.delete(`${collection}/${id}`)) taken.add(id);
    return taken;
  }
}

/**
 * CLIENT-16: the push rows whose change the user discarded since RxDB read them: the discard put back
 * the version the server last had, or removed an entry the server never had.
 * NOTE: RxDB retries a failed push with the rows it read before the first attempt, for as long as the
 * server cannot be reached. Sent, such a row would put a discarded change on the server; counted, it
 * would show a discarded entry as waiting again. A row followed by a newer local edit is still sent,
 * as RxDB does: the newer state builds on it, and it may have reached the server already.
 */
export async function discardedRows<Row extends { assumedMasterState: Doc | null; newDocumentState: Doc }>(
  name: string,
  collection: RxCollection<Doc>,
  discarded: DiscardedEntries,
  rows: Row[],
): Promise<Set<Row>> {
  const ids = discarded.take(
    name,
    rows.map((row) => String(row.newDocumentState.id)),
  );
  if (ids.size === 0) return new Set();
  const current = await collection.storageInstance.findDocumentsById([...ids], true);
  const here = new Map(current.map((document) => [String(document.id), document as unknown as Doc]));
  return new Set(
    rows.filter((row) => {
      const id = String(row.newDocumentState.id);
      if (!ids.has(id)) return false;
      const local = here.get(id);
      if (local && sameRevision(local, row.newDocumentState)) return false;
      const server = row.assumedMasterState;
      return server ? local !== undefined && sameRevision(local, server) : !local || local._deleted === true;
    }),
  );
}
