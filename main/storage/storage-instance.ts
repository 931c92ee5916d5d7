import type { Observable } from 'rxjs';
import {
  categorizeBulkWriteRows,
  now,
  type BulkWriteRow,
  type PreparedQuery,
  type RxJsonSchema,
  type RxStorageBulkWriteResponse,
  type RxStorageCountResult,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
  type RxStorageQueryResult,
} from 'rxdb';
import { pullTag, type PullWrite } from './assumed-masters';
import type { CollectionTable } from './collection-table';
import type { ChangeBulk, DocData } from './stored-document';
import type { DatabaseFile } from './database-file';
import { fileErrorFrom } from './errors';
import { runCount, runQuery } from './query';
import type { SqliteDatabase } from './sqlite-file';
import { statement } from './statements';
import { CATCH_UP_PAGE_DOCUMENTS } from './replica-batch';
import { currentTransaction } from './transaction';
import { cacheWritten, documentsOf, readDocuments, readStoredRows, type StoredRow } from './documents';
import { bumpStaleLwt } from './write-helpers';

type Row = BulkWriteRow<Record<string, unknown>>;
type Query = PreparedQuery<Record<string, unknown>>;

export interface SqliteInternals {
  /** The database file (for tests and tools; not part of RxDB's contract). */
  file: DatabaseFile;
  table: CollectionTable;
}

/** RxDB's storage instance contract for one collection, over its SQLite table. */
export class SqliteStorageInstance implements RxStorageInstance<
  Record<string, unknown>,
  SqliteInternals,
  object,
  RxStorageDefaultCheckpoint
> {
  readonly internals: SqliteInternals;
  private closed = false;

  constructor(
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: RxJsonSchema<DocData>,
    readonly options: object,
    private readonly file: DatabaseFile,
    private readonly table: CollectionTable,
  ) {
    this.internals = { file, table };
  }

  bulkWrite(rows: Row[], context: string): Promise<RxStorageBulkWriteResponse<Record<string, unknown>>> {
    this.ensureOpen();
    if (this.file.mustWait()) return this.file.waitForWriteTurn().then(() => this.bulkWrite(rows, context));
    try {
      return Promise.resolve(this.writeNow(rows, context));
    } catch (error) {
      return Promise.reject(fileErrorFrom(error, this.file.path));
    }
  }

  /**
   * A write of the app's own into the transaction that the current async context holds, done at once:
   * `bulkWrite` without its promise. A save writes its entry and audit entry this way, with RxDB's part of a
   * write done by the caller (main/database/own-writes.ts). Outside such a transaction a write may have to
   * wait for another's, so it must use `bulkWrite`.
   */
  writeInTransaction(rows: Row[], context: string): RxStorageBulkWriteResponse<Record<string, unknown>> {
    this.ensureOpen();
    if (!currentTransaction(this.file)) {
      throw new Error(
        `A write to collection "${this.collectionName}" outside a transaction was made with writeInTransaction; use bulkWrite.`,
      );
    }
    try {
      return this.writeNow(rows, context);
    } catch (error) {
      throw fileErrorFrom(error, this.file.path);
    }
  }

  /** Runs synchronously, so nothing else can interleave between the read of the revisions and the write. */
  private writeNow(rows: Row[], context: string): RxStorageBulkWriteResponse<Record<string, unknown>> {
    const { table, file } = this;
    const transaction = currentTransaction(file);
    // Pulled writes join the batch held open; any other write commits it first (see replica-batch.ts).
    const held = !transaction && isReplicaWrite(this.collectionName, context);
    if (held) file.used();
    const db = held ? file.connection : file.writer;
    bumpStaleLwt(rows, table.newestLwt());
    const ids = rows.map((row) => row.document[table.primaryPath] as string);
    // NOTE: a save's new document (no previous version) has an id made for it, so no stored row is read for
    // it: a plain INSERT lets the primary key refuse an id the table holds after all, and only then is the
    // write made as any other, against the stored row (a conflict, or RxDB's insert over a deleted one).
    if (transaction && rows.length === 1 && !rows[0]!.previous) {
      try {
        return this.writeRead(rows, context, ids, NOTHING_STORED, db, transaction, held, true);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
      }
    }
    const updated = table.masters?.leftOut ? updatedIds(rows, table.primaryPath) : undefined;
    return this.writeRead(rows, context, ids, readStoredRows(table, db, ids, updated), db, transaction, held, false);
  }

  /**
   * The write of `rows` against `stored`, what the table holds of them (`readStoredRows`); `insertOnly` for
   * rows stored as new with a plain INSERT (see `writeNow`).
   */
  private writeRead(
    rows: Row[],
    context: string,
    ids: string[],
    stored: ReturnType<typeof readStoredRows>,
    db: SqliteDatabase,
    transaction: ReturnType<typeof currentTransaction>,
    held: boolean,
    insertOnly: boolean,
  ): RxStorageBulkWriteResponse<Record<string, unknown>> {
    const { table, file } = this;
    const categorized = categorizeBulkWriteRows(
      this,
      table.primaryPath as never,
      stored.revisions as never,
      rows,
      context,
    );
    const conflicts = categorized.errors.filter((error) => error.status === 409);
    if (conflicts.length > 0) {
      // The revision stubs above stand in for the stored documents; conflicts carry the real ones.
      const stored = readDocuments(
        table,
        db,
        conflicts.map((error) => error.documentId),
        true,
      );
      const byId = new Map(stored.map((doc) => [doc[table.primaryPath] as string, doc]));
      for (const error of conflicts) (error as { documentInDb?: DocData }).documentInDb = byId.get(error.documentId);
    }
    const docs = [...categorized.bulkInsertDocs, ...categorized.bulkUpdateDocs].map((row) => row.document as DocData);
    if (docs.length > 0) {
      const { indexStrings } = stored;
      if (held)
        file.replicaBatch.write(this.collectionName, ids, () => {
          file.deferredIndexes.beforePulledWrite(table, docs.length);
          const pull = this.pullOf(context);
          // RxDB's meta rows of the page its pull may just have written to this meta table's collection.
          const pageTable = context === CATCH_UP_META_WRITE ? table.masters?.entityTable : undefined;
          if (pageTable) file.replicaBatch.wroteMetaRowsOf(pageTable);
          const entityPull = pageTable && file.replicaBatch.lastPull(pageTable);
          let written = docs.length;
          if (entityPull && docs.length >= CATCH_UP_PAGE_DOCUMENTS)
            written = table.writeCatchUpMetaRows(docs, indexStrings, entityPull);
          else if (pull) table.writePulledDocuments(docs, indexStrings, pull.tag);
          else table.writeDocuments(docs, indexStrings);
          file.replicaBatch.wrote(table.name, table.primaryPath, docs, pull);
          return written;
        });
      // NOTE: one row inside an open transaction needs no savepoint of its own: SQLite undoes a failed
      // statement, its triggers' work included, and a throw here rolls the whole transaction back.
      else if (transaction && docs.length === 1 && insertOnly) table.insertSavedDocument(docs[0]!);
      else if (transaction && docs.length === 1) table.writeSavedDocument(docs[0]!, indexStrings);
      else table.writeDocumentsAtomically(docs, indexStrings);
      cacheWritten(table, docs, held && docs.length >= CATCH_UP_PAGE_DOCUMENTS);
      transaction?.wrote(this.collectionName, table.primaryPath, docs);
    }
    transaction?.touch(this.collectionName, ids);

    const bulk = categorized.eventBulk as ChangeBulk;
    if (bulk.events.length > 0 && categorized.newestRow) {
      const newest = categorized.newestRow.document as DocData;
      bulk.checkpoint = { id: newest[table.primaryPath], lwt: newest._meta.lwt };
      if (transaction) transaction.pendingEvents.push({ table, bulk });
      else table.changes$.next(bulk);
    }
    return { error: categorized.errors };
  }

  /**
   * The pull a write of RxDB's downstream is (its context names the replication's key), for a collection's own
   * table: its rows are marked with the key's tag (assumed-masters.ts). Call inside the batch.
   */
  private pullOf(context: string): PullWrite | undefined {
    if (!context.startsWith(DOWNSTREAM_WRITE) || this.table.isMetaTable) return undefined;
    const key = context.slice(DOWNSTREAM_WRITE.length);
    return { key, tag: pullTag(this.file.connection, key) };
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<DocData[]> {
    return this.read((db) => readDocuments(this.table, db, ids, withDeleted));
  }

  async query(preparedQuery: Query): Promise<RxStorageQueryResult<Record<string, unknown>>> {
    await this.fillColumnsLeftEmpty();
    return { documents: this.read((db) => runQuery(this.table, db, preparedQuery)) };
  }

  async count(preparedQuery: Query): Promise<RxStorageCountResult> {
    await this.fillColumnsLeftEmpty();
    return { count: this.read((db) => runCount(this.table, db, preparedQuery)), mode: 'fast' };
  }

  /**
   * A query plans over the index columns, so those a save left empty (collection-table.ts, `filledAfterSave`)
   * are filled first, when the write turn is this context's: no row is missed, and the read right after
   * sees them filled.
   */
  private async fillColumnsLeftEmpty(): Promise<void> {
    // None left (as good as always outside the audit): no wait for the write turn.
    const leftOut = this.table.masters?.leftOut !== undefined;
    if (!this.table.hasColumnsLeftEmpty && !leftOut) return;
    this.ensureOpen();
    await this.file.waitForWriteTurn();
    try {
      this.file.fillColumnsLeftEmpty(this.table);
      // A query of a meta table must see the rows a catch-up left out: only RxDB's reads by id put them back.
      this.file.putBackLeftOutRows(this.table);
    } catch (error) {
      throw fileErrorFrom(error, this.file.path);
    }
  }

  /** Runs a read on the right connection; a damaged file surfaces as an error naming it. */
  private read<T>(fn: (db: SqliteDatabase) => T): T {
    this.ensureOpen();
    try {
      return fn(this.file.readConnection());
    } catch (error) {
      throw fileErrorFrom(error, this.file.path);
    }
  }

  async getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: DocData[]; checkpoint: RxStorageDefaultCheckpoint }> {
    // Read through the (lwt, id) column, which a save may leave empty (the audit's): filled first, as for a query.
    await this.fillColumnsLeftEmpty();
    this.ensureOpen();
    const { table } = this;
    const db = this.file.readConnection();
    const column = table.lwtColumn;
    const sql = `SELECT id, rev, deleted FROM ${table.quoted} WHERE ${column} > ? ORDER BY ${column} LIMIT ?`;
    const since = checkpoint ?? { id: '', lwt: 0 };
    const rows = statement(db, sql).all(table.checkpointString(since.lwt, since.id), limit) as StoredRow[];
    const documents = documentsOf(table, db, rows);
    const last = documents[documents.length - 1];
    return { documents, checkpoint: last ? { id: last[table.primaryPath] as string, lwt: last._meta.lwt } : since };
  }

  changeStream(): Observable<ChangeBulk> {
    return this.table.changes$.asObservable();
  }

  async cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureOpen();
    await this.file.waitForWriteTurn();
    this.file.fillColumnsLeftEmpty(this.table);
    const before = now() - minimumDeletedTime;
    const sql = `DELETE FROM ${this.table.quoted} WHERE ${this.table.lwtColumn} <= ? AND deleted = 1`;
    statement(this.file.writer, sql).run(this.table.checkpointString(before, '\uffff'));
    return true;
  }

  getAttachmentData(): Promise<Blob> {
    return Promise.reject(new Error(attachmentsUnsupported(this.collectionName)));
  }

  async remove(): Promise<void> {
    this.ensureOpen();
    await this.file.waitForWriteTurn();
    this.file.replicaBatch.commit();
    this.table.drop();
    this.file.forgetTable(this.table);
    await this.close();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.file.release();
    return Promise.resolve();
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error(`The storage of collection "${this.collectionName}" is closed.`);
  }
}

export function attachmentsUnsupported(collectionName: string): string {
  return (
    `Collection "${collectionName}" declares attachments, which the Curio SQLite storage does not support. ` +
    'Store files as data URLs in document fields instead (see the design: photos are kept in the document).'
  );
}

/** The ids of the rows written over a previous version. */
function updatedIds(rows: readonly Row[], primaryPath: string): Set<string> {
  const ids = new Set<string>();
  for (const row of rows) if (row.previous) ids.add(row.document[primaryPath] as string);
  return ids;
}

/** RxDB's context of the meta rows its downstream writes after a pulled page (replication-protocol/downstream.js). */
const CATCH_UP_META_WRITE = 'replication-down-write-meta';
/** RxDB's context of its downstream's writes of pulled documents, followed by the replication's key. */
const DOWNSTREAM_WRITE = 'replication-downstream-';

/** What a write of documents new to the table finds stored of them: nothing. */
const NOTHING_STORED: ReturnType<typeof readStoredRows> = { revisions: new Map(), indexStrings: new Map() };

/**
 * NOTE: writes that only mirror the server (pulled documents, RxDB's
 * replication bookkeeping) are held in a batch committed without fsync
 * (replica-batch.ts). In WAL mode commits survive a crash only as a prefix, so
 * losing such a write loses the checkpoint after it too: the documents are
 * pulled again, an unconfirmed push is sent again (a harmless retry, PUSH-4).
 * Local edits commit in their own transaction with `synchronous = FULL`.
 */
function isReplicaWrite(collectionName: string, context: string): boolean {
  return context.startsWith(DOWNSTREAM_WRITE) || collectionName.startsWith('rx-replication-meta');
}
