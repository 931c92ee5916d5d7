import { createRevision, now, type RxCollection } from 'rxdb';
import type { Doc } from '../../shared/merge';
import type { ReplicatedCollection } from '../../shared/protocol';

/** The write context of `sendWaitingAgain`: not a pulled write, so the waiting count keeps the documents. */
export const SEND_AGAIN_CONTEXT = 'curio-send-waiting-again';

/**
 * Makes RxDB's push see the waiting documents (`collection/id` keys) again, after a pull-only run (a
 * viewer's). NOTE: without a push handler RxDB's push answers every local change as sent without sending it
 * and moves its checkpoint past them (it only skips the metadata), so a promoted user's waiting changes were
 * never pushed. Each is stored again unchanged (a new storage revision, the same fields and `rev`); the
 * push then reads it and sends it against the version the server last had, which the server takes or
 * answers as a conflict to merge (PUSH-2, CLIENT-3).
 */
export async function sendWaitingAgain(
  collections: Record<ReplicatedCollection, RxCollection<Doc>>,
  keys: string[],
): Promise<void> {
  const byCollection = new Map<string, string[]>();
  for (const key of keys) {
    const slash = key.indexOf('/');
    const name = key.slice(0, slash);
    byCollection.set(name, [...(byCollection.get(name) ?? []), key.slice(slash + 1)]);
  }
  for (const [name, ids] of byCollection) {
    const collection = collections[name as ReplicatedCollection];
    if (!collection) continue;
    const instance = collection.storageInstance;
    const stored = await instance.findDocumentsById(ids, true);
    if (stored.length === 0) continue;
    const token = collection.database.token;
    await instance.bulkWrite(
      stored.map((previous) => ({
        previous,
        document: { ...previous, _rev: createRevision(token, previous), _meta: { ...previous._meta, lwt: now() } },
      })),
      SEND_AGAIN_CONTEXT,
    );
  }
}
