import { normalizeMangoQuery, prepareQuery, type MangoQuerySelector, type MangoQuerySortPart } from 'rxdb';
import { IN_TRASH, LIVE, type AnyCollection, type DocumentData } from '../database';

const BATCH = 1000;

interface ScanOptions {
  selector: MangoQuerySelector<DocumentData>;
  /** Ascending keyset order: (field, id). */
  field: string;
  /** The schema index for that order, so every batch is one ordered range scan. */
  index: string[];
  batch?: number;
}

/**
 * Every matching document in batches, without loading the collection at once.
 * NOTE: the index is named explicitly: RxDB's planner would otherwise pick an
 * index that does not give this order and the storage would sort every batch.
 * Batches are read from the storage instance, past RxDB's document and query
 * caches: a scan reads each document once, and building RxDocuments for a
 * whole catalog is work a scan does not need.
 */
export async function* scanKeyset(collection: AnyCollection, options: ScanOptions): AsyncGenerator<DocumentData[]> {
  const { field, index } = options;
  const batchSize = options.batch ?? BATCH;
  let after: { value: unknown; id: string } | undefined;
  for (;;) {
    const selector: DocumentData = { ...options.selector };
    if (after && field === 'id') selector.id = { $gt: after.id };
    else if (after) {
      selector[field] = { ...((selector[field] as object | undefined) ?? {}), $gte: after.value };
      selector.$or = [{ [field]: { $gt: after.value } }, { [field]: after.value, id: { $gt: after.id } }];
    }
    const found = await queryStorage(collection, {
      selector,
      sort: field === 'id' ? [{ id: 'asc' }] : [{ [field]: 'asc' }, { id: 'asc' }],
      limit: batchSize,
      index,
    });
    if (found.length === 0) return;
    const documents = found;
    yield documents;
    const last = documents[documents.length - 1]!;
    after = { value: last[field], id: last.id as string };
    if (found.length < batchSize) return;
  }
}

/**
 * Runs a query on the storage instance itself: plain documents of one read,
 * without RxDB's query cache or RxDocuments. For reads that are used once
 * (scans, checks inside a write), not for what the UI observes.
 */
export async function queryStorage(
  collection: AnyCollection,
  mango: { selector: MangoQuerySelector<DocumentData>; sort?: MangoQuerySortPart[]; limit?: number; index?: string[] },
): Promise<DocumentData[]> {
  const query = normalizeMangoQuery(collection.schema.jsonSchema, { ...mango, index: mango.index && [...mango.index] });
  // What RxQuery adds itself: tombstones are not documents, and every index starts with _deleted.
  (query.selector as DocumentData)._deleted = { $eq: false };
  if (query.index) (query.index as string[]).unshift('_deleted');
  const { documents } = await collection.storageInstance.query(prepareQuery(collection.schema.jsonSchema, query));
  return documents.map(withoutRxFields);
}

/**
 * The newest local write stamp (`_meta.lwt`, this device's clock, kept rising by the storage) among the
 * collection's documents; 0 when it has none. Any later write of the collection, an edit here or a
 * document the sync pulls, lands above it.
 */
export async function newestLocalWrite(collection: AnyCollection): Promise<number> {
  const query = normalizeMangoQuery(collection.schema.jsonSchema, {
    selector: { _deleted: { $eq: false } } as MangoQuerySelector<DocumentData>,
    sort: [{ '_meta.lwt': 'desc' }, { id: 'desc' }] as MangoQuerySortPart[],
    limit: 1,
    index: ['_meta.lwt', 'id'],
  });
  const { documents } = await collection.storageInstance.query(prepareQuery(collection.schema.jsonSchema, query));
  return documents[0]?._meta.lwt ?? 0;
}

function withoutRxFields(document: Record<string, unknown>): DocumentData {
  const ours: DocumentData = {};
  for (const key in document) if (!key.startsWith('_')) ours[key] = document[key];
  return ours;
}

/** Every entry of an entity collection: the live ones by id, then the trashed ones by deletion time. */
export async function* scanEntities(collection: AnyCollection, options: { includeTrash: boolean }) {
  yield* scanKeyset(collection, { selector: LIVE, field: 'id', index: ['deletedAt', 'id'] });
  if (options.includeTrash) {
    yield* scanKeyset(collection, { selector: IN_TRASH, field: 'deletedAt', index: ['deletedAt', 'id'] });
  }
}

/** Every audit entry, oldest first. */
export function scanAudit(collection: AnyCollection) {
  return scanKeyset(collection, { selector: {}, field: 'at', index: ['at', 'id'] });
}
