import { addRxPlugin, type RxCollection, type RxPlugin, type RxQuery } from 'rxdb';
import type { DocData } from './stored-document';

/**
 * NOTE: RxDB caches document states and query results in each collection and
 * updates them from the write results and change events. A rolled-back
 * transaction emits no events, so without this RxDB would keep showing the
 * documents it wrote (findOne by id reads its document cache first). This
 * plugin remembers the open collections so a rollback can drop the cached
 * states of the documents it touched and make cached queries run again.
 *
 * NOTE: the same caches would make a transaction read its own writes stale:
 * a transaction's events wait for COMMIT, so RxDB's document cache (which
 * findOne/findByIds by id and `getLatest()` read first) and its cached query
 * results still hold the versions from before the write, and writing such a
 * copy again fails as a 409 conflict. So inside a transaction (and only in its
 * async context) the latest version of a document it wrote is the written one,
 * and queries of a collection it wrote run on the storage (which reads the
 * transaction's connection) instead of the shared query cache. The caches
 * themselves are left as committed: other readers never see uncommitted data
 * through them, and COMMIT's events bring them up to date.
 */
const collectionsByDatabase = new Map<string, Set<RxCollection>>();

/** The current async context's uncommitted writes to a collection (transaction.ts). */
type WrittenLookup = (databaseName: string, collectionName: string) => ReadonlyMap<string, DocData> | undefined;
let writtenInCurrentTransaction: WrittenLookup = () => undefined;

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
        readOwnWrites(collection);
      },
    },
  },
};

/** Installs the plugin; `written` finds the current async context's uncommitted writes. */
export function installRollbackPlugin(written: WrittenLookup): void {
  writtenInCurrentTransaction = written;
  addRxPlugin(plugin);
}

interface DocCacheInternals {
  processTasks(): void;
  cacheItemByDocId: Map<string, unknown>;
  getLatestDocumentData(id: string): DocData;
  getLatestDocumentDataIfExists(id: string): DocData | undefined;
}

interface CollectionInternals {
  _docCache: DocCacheInternals;
  _queryCache: {
    _map: Map<string, { _latestChangeEvent: number; exec(): Promise<unknown> }>;
    getByQuery(query: RxQuery): RxQuery;
  };
}

/** Makes reads inside a transaction see the documents it wrote (see the NOTE above). */
function readOwnWrites(collection: RxCollection): void {
  const { _docCache: cache, _queryCache: queries } = collection as unknown as CollectionInternals;
  const databaseName = collection.database.name;
  const written = (id: string) => writtenInCurrentTransaction(databaseName, collection.name)?.get(id);
  const latest = cache.getLatestDocumentData.bind(cache);
  const latestIfExists = cache.getLatestDocumentDataIfExists.bind(cache);
  cache.getLatestDocumentData = (id) => written(id) ?? latest(id);
  cache.getLatestDocumentDataIfExists = (id) => written(id) ?? latestIfExists(id);
  // A query run here is not cached: its result may hold uncommitted documents, and a cached one would
  // answer from before the write (no event has counted it yet).
  const cached = queries.getByQuery.bind(queries);
  queries.getByQuery = (query) => (writtenInCurrentTransaction(databaseName, collection.name) ? query : cached(query));
}

/** Forgets RxDB's cached states of the documents a rolled-back transaction wrote. */
export function forgetRolledBackWrites(databaseName: string, touched: ReadonlyMap<string, Iterable<string>>): void {
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
