import {
  createRevision,
  isWriteAllowed,
  now,
  throwIfIsStorageWriteError,
  type BulkWriteRow,
  type RxDocumentData,
  type RxStorageWriteError,
} from 'rxdb';
import type { WritesInTransaction } from '../../shared/rx-zod-validator';
import type { AnyCollection, DocumentData } from './index';

type WriteError = RxStorageWriteError<DocumentData>;

/** The contexts RxDB gives an insert and a document's own save; the storage's and the change events' context. */
const INSERT_CONTEXT = 'rx-collection-bulk-insert';
const SAVE_CONTEXT = 'rx-document-save-data';

/**
 * Writes `document` into `collection` at once, inside the transaction that the current async context holds (a
 * save's `runWrite`): a new document, or the next version of `previous`, the stored one. RxDB's own fields
 * (_rev, _meta and the like) carry over from `previous`; ours are replaced whole. Fails as RxDB's writes do: a
 * document that another write replaced meanwhile with CONFLICT, one its schema refuses as invalid.
 *
 * NOTE: not through RxDB's collection and the wrapper it puts around the storage. Their promises, queue
 * and copies cost a save ~0.1 ms of its ~0.7 ms, and each promise costs more here: the transaction's
 * AsyncLocalStorage tracks every one (docs/decisions.md, "A save writes straight into its transaction").
 * This does the wrapper's part of a write instead: the revision after `previous`, a write time from RxDB's
 * clock. The storage checks the document, as for every write, and emits its change event at COMMIT.
 */
export function writeInTransaction(
  collection: AnyCollection,
  document: DocumentData,
  previous?: RxDocumentData<DocumentData>,
): void {
  isWriteAllowed(collection);
  const { token } = collection.database;
  const row: BulkWriteRow<DocumentData> = previous
    ? {
        previous,
        document: {
          ...rxFieldsOf(previous),
          ...document,
          _meta: { ...previous._meta, lwt: now() },
          _rev: createRevision(token, previous),
        } as RxDocumentData<DocumentData>,
      }
    : { document: { ...document, _deleted: false, _attachments: {}, _meta: { lwt: now() }, _rev: `1-${token}` } };
  const { error } = storageOf(collection).writeInTransaction([row], previous ? SAVE_CONTEXT : INSERT_CONTEXT);
  throwIfIsStorageWriteError(collection, String(document.id), row.document, error[0] as WriteError | undefined);
}

/** RxDB's own bookkeeping fields of a stored document (_rev, _meta, _deleted, _attachments). */
function rxFieldsOf(document: DocumentData): DocumentData {
  const rx: DocumentData = {};
  for (const key in document) if (key.startsWith('_')) rx[key] = document[key];
  return rx;
}

/** The storage under RxDB's wrapper of `collection`: the checked SQLite instance. */
function storageOf(collection: AnyCollection): WritesInTransaction {
  const storage = (collection.storageInstance as { originalStorageInstance?: Partial<WritesInTransaction> })
    .originalStorageInstance;
  if (!storage?.writeInTransaction) {
    throw new Error(`The storage of collection "${collection.name}" does not take writes inside a transaction.`);
  }
  return storage as WritesInTransaction;
}
