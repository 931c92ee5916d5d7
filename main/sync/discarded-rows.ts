import type { RxCollection } from 'rxdb';
import type { Doc } from '../../shared/merge';
import { sameRevision } from './conflict-handler';

/**
 * CLIENT-16: the push rows whose document went back to the server's version since RxDB read them: a
 * discard put back the version the server last had, or removed an entry the server never had.
 * NOTE: RxDB retries a failed push with the rows it read before the first attempt, for as long as the
 * server cannot be reached. Sent, such a row would put a discarded change on the server; counted, it
 * would show a discarded entry as waiting again. A row followed by a newer local edit is still sent,
 * as RxDB does: the newer state builds on it, and it may have reached the server already.
 */
export async function discardedRows<Row extends { assumedMasterState: Doc | null; newDocumentState: Doc }>(
  collection: RxCollection<Doc>,
  rows: Row[],
): Promise<Set<Row>> {
  const ids = rows.map((row) => String(row.newDocumentState.id));
  const current = await collection.storageInstance.findDocumentsById(ids, true);
  const here = new Map(current.map((document) => [String(document.id), document as unknown as Doc]));
  return new Set(
    rows.filter((row) => {
      const local = here.get(String(row.newDocumentState.id));
      if (local && sameRevision(local, row.newDocumentState)) return false;
      const server = row.assumedMasterState;
      return server ? local !== undefined && sameRevision(local, server) : !local || local._deleted === true;
    }),
  );
}
