import { addRxPlugin, type RxCollection, type RxPlugin } from 'rxdb';

/**
 * NOTE: RxDB caches document states and query results in each collection and
 * updates them from the write results and change events. A rolled-back
 * transaction emits no events, so without this RxDB would keep showing the
 * documents it wrote (findOne by id reads its document cache first). This
 * plugin remembers the open collections so a rollback can drop the cached
 * states of the documents it touched and make cached queries run again.
 */
const collectionsByDatabase = new Map<string, Set<RxCollection>>();

const plugin: RxPlugin = {
  name: 'curio-sqlite-rollback',
  rxdb: true,
  hooks: {
    createRxCollection: {
      after: ({ collection }) => {
        const name = collection.database.name;
        let collections = collectionsByDatabase.get(name);
        if (!collections) collectionsByDatabase.set(name, (collections = new Set()));
        const set = collections;
        set.add(collection);
        collection.onClose.push(() => set.delete(collection));
      },
    },
  },
};

export function installRollbackPlugin(): void {
  addRxPlugin(plugin);
}

interface CollectionInternals {
  _docCache: { processTasks(): void; cacheItemByDocId: Map<string, unknown> };
  _queryCache: { _map: Map<string, { _latestChangeEvent: number; exec(): Promise<unknown> }> };
}

/** Forgets RxDB's cached states of the documents a rolled-back transaction wrote. */
export function forgetRolledBackWrites(databaseName: string, touched: Map<string, Set<string>>): void {
  for (const collection of collectionsByDatabase.get(databaseName) ?? []) {
    const ids = touched.get(collection.name);
    if (!ids) continue;
    const internals = collection as unknown as CollectionInternals;
    internals._docCache.processTasks();
    for (const id of ids) internals._docCache.cacheItemByDocId.delete(id);
    for (const query of internals._queryCache._map.values()) {
      query._latestChangeEvent = -1;
      // Live queries (subscribed lists) refresh now rather than at the next change.
      query.exec().catch(() => undefined);
    }
  }
}
