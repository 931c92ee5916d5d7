import type { RxCollection } from 'rxdb';
import type { Doc } from '../../shared/merge';
import { sameRevision } from './conflict-handler';

/**
 * CLIENT-16: the push rows whose document was written here since RxDB read them.
 * NOTE: RxDB retries a failed push with the rows it read before the first attempt, for as long as the
 * server cannot be reached. A row replaced meanwhile (a discard put back the server's version, a newer
 * edit was saved) is no longer the state to send: sent, it would put a discarded change on the server,
 * and counted, it would show a discarded entry as waiting again.
 */
export async function replacedRows<Row extends { newDocumentState: Doc }>(
  collection: RxCollection<Doc>,
  rows: Row[],
): Promise<Set<Row>> {
  const ids = rows.map((row) => String(row.newDocumentState.id));
  const current = await collection.storageInstance.findDocumentsById(ids, true);
  const here = new Map(current.map((document) => [String(document.id), document as unknown as Doc]));
  return new Set(
    rows.filter((row) => {
      const local = here.get(String(row.newDocumentState.id));
      return !local || !sameRevision(local, row.newDocumentState);
    }),
  );
}
