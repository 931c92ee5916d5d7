import { Subject } from 'rxjs';
import { getPrimaryFieldOfPrimaryKey, type RxJsonSchema } from 'rxdb';
import type { OrderColumn } from '../../shared/order-column';
import { storedJson } from '../../shared/sent-json';
import {
  META_DOCUMENT_ROW,
  META_SCHEMA_TITLE,
  unlinkBeforeDrop,
  type AssumedMasters,
  type LeftOut,
  type PullWrite,
} from './assumed-masters';
import { forgetDeferredIndex } from './deferred-indexes';
import { forgetTableDocuments, tableDocuments, type TableDocuments } from './document-cache';
import { INDEX_FORMAT, indexStringMonad } from './index-string';
import type { SqliteDatabase } from './sqlite-file';
import { forgetStatements, quoteIdentifier, statement } from './statements';
import type { ChangeBulk, DocData, SqlPlan } from './stored-document';

/**
 * How a large write reaches what is derived from a table's rows (the search
 * index and links of main/services, kept by triggers): `write` runs inside the
 * write's transaction, calls `writeRows()` and then brings the derived rows of
 * `ids` up to date itself, in one statement per derived table instead of one
 * trigger run per row. Writes smaller than `minDocuments` write row by row.
 */
export interface BulkWriteHook {
  minDocuments: number;
  /**
   * `replaced`: the ids among `ids` that may have derived rows already (a row was stored under them, or
   * the write holds them twice); the others are new to the table, so there is nothing of theirs to remove.
   */
  write(ids: string[], docs: DocData[], replaced: ReadonlySet<string>, writeRows: () => void): void;
}

/** Per collection: RxDB passes a collection's `instanceCreationOptions` to its storage instance. */
export interface SqliteInstanceOptions {
  /**
   * Declared indexes (as the schema declares them) no query reads. They stay in the RxDB schema,
   * since removing one is a schema version; the storage keeps no column or SQL index for them, so
   * writes do not pay for them, and queries plan over the indexes it keeps (query.ts).
   */
  unkeptIndexes?: readonly (readonly string[])[];
  /**
   * Declared indexes the screens read on every change (the counts), kept up to date page by page through
   * a pulled initial sync; the table's other indexes are made once its pages pause (deferred-indexes.ts).
   */
  keptThroughInitialSync?: readonly (readonly string[])[];
  /**
   * Declared indexes whose columns a save (a one-document write inside a transaction of the app's own)
   * leaves empty, to be filled after its COMMIT: by the next query or count of the table, which fills them
   * first, or once the app leaves the file alone. Each spares the save a page of its flushed commit; for
   * indexes only a screen's filters read (the audit's). docs/decisions.md, "A save leaves the audit's
   * filter columns to after its commit".
   */
  filledAfterSave?: readonly (readonly string[])[];
  /**
   * Index columns of the caller's own, for orders RxDB's index strings cannot give (durations by length):
   * each a string per document from `encode`, with an SQL index, written like the declared indexes' columns
   * (an UPDATE sets it only when its string changes). RxDB's queries never plan over them: their `key` is
   * no field list, and the caller reads them in SQL (`columnFor([key])`).
   */
  orderColumns?: readonly OrderColumn[];
}

/** The index strings of stored rows by id, in the order of `CollectionTable.indexColumnNames`. */
export type StoredIndexStrings = Map<string, unknown[]>;

interface IndexColumn {
  key: string;
  column: string;
  toIndexString: (doc: DocData) => string;
  /** Left empty by a save, filled after its commit (`SqliteInstanceOptions.filledAfterSave`). */
  afterSave: boolean;
}

/**
 * The tables whose saves may have left index columns empty, by name: a table's mark is written by the first
 * such save of a process, in that save's transaction, and taken away once they are filled at a clean close
 * (or at the next open, after a killed process).
 */
const LEFT_EMPTY_TABLE = 'curio_left_empty';

/**
 * Rows new to a table that one statement writes in a large write (a pulled page, an import): one statement per
 * row cost each row a statement's start and end, and, since the entity tables have triggers, a statement journal
 * holding every page the row touched. docs/decisions.md, "Rows new to a table written 50 to a statement".
 */
const ROWS_PER_STATEMENT = 50;

/** Rows whose index columns, left empty by saves, one step of their filling fills: a few milliseconds. */
export const ROWS_FILLED_PER_STEP = 1_000;

/**
 * One RxDB collection (at one schema version) as one SQLite table: the
 * document as JSON plus one column per schema index holding the document's
 * index string, each with an SQL index, so RxDB's query plans become range
 * scans. Shared by every open storage instance of that collection, which is
 * why the change stream lives here.
 */
export class CollectionTable {
  readonly name: string;
  readonly primaryPath: string;
  readonly changes$ = new Subject<ChangeBulk>();
  /** SQL plans by query (see query.ts), dropped when the index columns change. */
  readonly planCache = new Map<string, SqlPlan>();
  private columns: IndexColumn[] = [];
  private writeSql = '';
  /** `writeSql` for `ROWS_PER_STATEMENT` rows at once (see `writeRows`). */
  private batchWriteSql = '';
  /** `writeSql` without its upsert clause: refuses an id the table holds (`insertSavedDocument`). */
  private insertSql = '';
  /** UPDATE statements by the set of index columns they write (see `updateSql`). */
  private readonly updateSqls = new Map<number, string>();
  private cachedDocuments: TableDocuments | undefined;
  private lwtString: (doc: DocData) => string = () => '';
  private maxLwt: number | undefined;
  private bulkWriteHook: BulkWriteHook | undefined;
  private atomicWrite: ((docs: DocData[], stored?: StoredIndexStrings) => void) | undefined;
  /**
   * A replication meta table's link to its collection's table: its rows refer to stored documents instead
   * of copying them where they can (assumed-masters.ts). Undefined for every other table.
   */
  masters: AssumedMasters | undefined;

  /** Keys (fields joined by commas) of the declared indexes this table keeps no column for. */
  private readonly unkept: Set<string>;
  /** Keys of the declared indexes a pulled initial sync keeps up to date page by page (deferred-indexes.ts). */
  private readonly keptThroughInitialSync: string[];
  /** Keys of the declared indexes whose columns a save leaves empty (`SqliteInstanceOptions.filledAfterSave`). */
  private readonly filledAfterSave: Set<string>;
  private readonly orderColumns: readonly OrderColumn[];
  /** The columns of those indexes. */
  private afterSaveColumns: IndexColumn[] = [];
  /**
   * The rows this process's saves left columns empty in, by id, until a fill of its own transaction has
   * committed them: a fill inside another's transaction is undone with it, so its ids stay due.
   */
  private readonly emptyIds = new Set<string>();
  /** Whether this process wrote the table's mark in `LEFT_EMPTY_TABLE` (a rollback may have undone it). */
  private marked = false;
  /** Told when a save leaves columns empty while none were: the file schedules their filling. */
  onColumnsLeftEmpty: (() => void) | undefined;

  /** See `SqliteInstanceOptions`: which declared indexes the table keeps no SQL index for, and which it keeps through an initial sync. */
  constructor(
    readonly db: SqliteDatabase,
    readonly collectionName: string,
    readonly schema: RxJsonSchema<DocData>,
    options: SqliteInstanceOptions = {},
  ) {
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
    this.unkept = new Set((options.unkeptIndexes ?? []).map((declared) => this.storedKey(declared)));
    this.keptThroughInitialSync = (options.keptThroughInitialSync ?? []).map((declared) => this.storedKey(declared));
    this.filledAfterSave = new Set((options.filledAfterSave ?? []).map((declared) => this.storedKey(declared)));
    this.orderColumns = options.orderColumns ?? [];
    this.name = tableNameFor(db, collectionName, schema.version);
  }

  get quoted(): string {
    return quoteIdentifier(this.name);
  }

  /**
   * A declared index's key as the table stores it, as RxDB does: `_deleted` first, the primary key last;
   * RxDB's own (lwt, id) index as it is.
   */
  private storedKey(declared: readonly string[]): string {
    if (declared.join(',') === this.lwtIndex.join(',')) return declared.join(',');
    const index = declared[0] === '_deleted' ? [...declared] : ['_deleted', ...declared];
    if (!index.includes(this.primaryPath)) index.push(this.primaryPath);
    return index.join(',');
  }

  /**
   * Creates the table and any index column the schema has and the table lacks, and rebuilds the
   * index columns of a table written in an earlier index format. Idempotent; one transaction, so a
   * killed process leaves the table as it was and the next open does it again.
   */
  ensureSchema(): void {
    const db = this.db;
    const keys = (this.schema.indexes ?? [])
      .map((index) => (Array.isArray(index) ? index : [index]) as string[])
      .filter((index) => !this.unkept.has(index.join(',')));
    // Changes since a checkpoint, cleanup and the newest write all range over (lwt, id).
    if (!keys.some((index) => index.join(',') === this.lwtIndex.join(','))) keys.push(this.lwtIndex);
    const wanted = [
      ...keys.map((index) => ({ key: index.join(','), toIndexString: indexStringMonad(this.schema, index) })),
      ...this.orderColumns.map(({ key, encode }) => ({ key, toIndexString: encode })),
    ];
    db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS ${LEFT_EMPTY_TABLE} (table_name TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID`);
      const row = db
        .prepare('SELECT indexes, index_format FROM curio_collections WHERE collection = ? AND version = ?')
        .get(this.collectionName, this.schema.version) as { indexes: string; index_format: number } | undefined;
      const stored: string[] = row ? (JSON.parse(row.indexes) as string[]) : [];
      if (!row) {
        db.exec(`CREATE TABLE ${this.quoted} (
          id TEXT PRIMARY KEY NOT NULL, rev TEXT NOT NULL, deleted INTEGER NOT NULL,
          lwt REAL NOT NULL, data TEXT NOT NULL${this.marksPulls ? `, ${PULLED_BY} INTEGER` : ''})`);
      } else if (this.marksPulls) {
        const own = db.prepare(`PRAGMA table_info(${this.quoted})`).all() as { name: string }[];
        if (!own.some(({ name }) => name === PULLED_BY))
          db.exec(`ALTER TABLE ${this.quoted} ADD COLUMN ${PULLED_BY} INTEGER`);
      }
      const stale = !!row && row.index_format < INDEX_FORMAT;
      this.dropUnkeptIndexes(stored);
      const toFill: IndexColumn[] = [];
      this.columns = wanted.map(({ key, toIndexString }) => {
        let position = stored.indexOf(key);
        const isNew = position < 0;
        if (isNew) position = stored.push(key) - 1;
        const column: IndexColumn = {
          key,
          column: `ix${position}`,
          toIndexString,
          afterSave: this.filledAfterSave.has(key),
        };
        if (isNew) db.exec(`ALTER TABLE ${this.quoted} ADD COLUMN ${column.column} TEXT`);
        if (isNew || stale) toFill.push(column);
        return column;
      });
      this.afterSaveColumns = this.columns.filter((column) => column.afterSave);
      if (row && toFill.length > 0) this.fillIndexColumns(toFill);
      else for (const column of toFill) this.createIndex(column);
      this.fillColumnsLeftBefore();
      db.prepare(
        'INSERT INTO curio_collections (collection, version, table_name, indexes, index_format) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (collection, version) DO UPDATE SET indexes = excluded.indexes, index_format = excluded.index_format',
      ).run(this.collectionName, this.schema.version, this.name, JSON.stringify(stored), INDEX_FORMAT);
    })();
    this.maxLwt = undefined;
    this.emptyIds.clear();
    this.marked = false;
    this.planCache.clear();
    this.updateSqls.clear();
    this.lwtString = indexStringMonad(this.schema, this.lwtIndex);
    this.buildWriteSql();
  }

  /** Links a meta table to its collection's table (undefined: unlinks it); see assumed-masters.ts. */
  setAssumedMasters(masters: AssumedMasters | undefined): void {
    this.masters = masters;
    this.updateSqls.clear();
    this.buildWriteSql();
  }

  /**
   * The row's own columns a write sets, before the index columns: a meta table's reference (`base_rev`), any
   * other's pull (`pulled_by`), both of assumed-masters.ts.
   */
  private get ownColumns(): string[] {
    if (this.masters) return ['rev', 'deleted', 'lwt', 'data', 'base_rev'];
    return this.marksPulls ? ['rev', 'deleted', 'lwt', 'data', PULLED_BY] : ['rev', 'deleted', 'lwt', 'data'];
  }

  /** Whether rows record the pull that wrote them (`pulled_by`): a collection's own table's do, a meta table's not. */
  private get marksPulls(): boolean {
    return !this.isMetaTable;
  }

  private buildWriteSql(): void {
    const names = [...this.ownColumns, ...this.columns.map((column) => column.column)];
    this.insertSql =
      `INSERT INTO ${this.quoted} (id${names.map((n) => ', ' + n).join('')}) ` +
      `VALUES (?${names.map(() => ', ?').join('')})`;
    const onConflict = ` ON CONFLICT (id) DO UPDATE SET ` + names.map((n) => `${n} = excluded.${n}`).join(', ');
    this.writeSql = this.insertSql + onConflict;
    const moreValues = `, (?${names.map(() => ', ?').join('')})`;
    this.batchWriteSql = this.insertSql + moreValues.repeat(ROWS_PER_STATEMENT - 1) + onConflict;
  }

  /** The index ordering documents by last write: RxDB adds it to every schema. */
  get lwtIndex(): string[] {
    return ['_meta.lwt', this.primaryPath];
  }

  /** The index string of a checkpoint `{ id, lwt }` in the (lwt, id) column, for range scans from it. */
  checkpointString(lwt: number, id: string): string {
    return this.lwtString({ [this.primaryPath]: id, _meta: { lwt } } as DocData);
  }

  get lwtColumn(): string {
    return this.columnFor(this.lwtIndex)!;
  }

  /**
   * The SQL indexes a pulled initial sync keeps up to date page by page (deferred-indexes.ts): the (lwt, id)
   * one the replication reads changes through, and those `keptThroughInitialSync` names. A replication's meta
   * table keeps none: RxDB reads it by id alone.
   */
  get indexesKeptThroughInitialSync(): string[] {
    if (this.isMetaTable) return [];
    const keys = [this.lwtIndex.join(','), ...this.keptThroughInitialSync];
    return this.columns.filter((column) => keys.includes(column.key)).map((column) => `${this.name}_${column.column}`);
  }

  /**
   * True if the table holds a document's row (a tombstone counts). A meta table's checkpoint rows do not
   * count: the replication writes them before the first page of an initial sync.
   */
  holdsDocuments(): boolean {
    const rows = this.isMetaTable ? ` WHERE id LIKE '%|${META_DOCUMENT_ROW}'` : '';
    return !!statement(this.db, `SELECT EXISTS (SELECT 1 FROM ${this.quoted}${rows})`).pluck().get();
  }

  /** True for a table of RxDB's replication meta data (assumed-masters.ts). */
  get isMetaTable(): boolean {
    return this.schema.title === META_SCHEMA_TITLE;
  }

  /** Where the parsed documents of this table live in the document cache. */
  get cacheKey(): string {
    return `${this.db.name}|${this.name}`;
  }

  /** Parsed documents of this table (see document-cache.ts). */
  get documents(): TableDocuments {
    return (this.cachedDocuments ??= tableDocuments(this.cacheKey));
  }

  /** The column holding the index strings of `index`, if the schema declares that index. */
  columnFor(index: string[]): string | undefined {
    const key = index.join(',');
    return this.columns.find((column) => column.key === key)?.column;
  }

  /** Large writes go through `hook` from now on (undefined: none do). */
  setBulkWriteHook(hook: BulkWriteHook | undefined): void {
    this.bulkWriteHook = hook;
  }

  /**
   * `writeDocuments` in a transaction of its own, or a savepoint inside an open one: all documents or
   * none. Made once per table (better-sqlite3 builds a wrapper per `transaction()` call).
   */
  get writeDocumentsAtomically(): (docs: DocData[], stored?: StoredIndexStrings) => void {
    return (this.atomicWrite ??= this.db.transaction((docs: DocData[], stored?: StoredIndexStrings) =>
      this.writeDocuments(docs, stored),
    ));
  }

  /**
   * Writes a save's document (`writeDocuments`, one document, inside a transaction of the app's own), leaving
   * the columns of `filledAfterSave` indexes empty: each would cost the save's flushed commit a page. They are
   * filled before the table's next query (`fillColumnsLeftEmpty`) or once the app leaves the file alone.
   */
  writeSavedDocument(doc: DocData, stored: StoredIndexStrings): void {
    this.writeDocuments([doc], stored, true);
    this.markLeftEmpty(doc[this.primaryPath] as string);
  }

  /**
   * `writeSavedDocument` for a document new to the table, with a plain INSERT: SQLite refuses an id the table
   * holds already (SQLITE_CONSTRAINT_PRIMARYKEY) and undoes the statement, where the upsert would replace it.
   */
  insertSavedDocument(doc: DocData): void {
    this.writeRows([doc], undefined, true, true);
    this.markLeftEmpty(doc[this.primaryPath] as string);
  }

  /**
   * Remembers row `id` as left empty, and marks the table in the file (once a process, in the save's own
   * transaction): what a killed process left empty is then found at the next open, by a scan.
   */
  private markLeftEmpty(id: string): void {
    if (this.afterSaveColumns.length === 0) return;
    if (!this.marked) {
      statement(this.db, `INSERT OR IGNORE INTO ${LEFT_EMPTY_TABLE} (table_name) VALUES (?)`).run(this.name);
      this.marked = true;
    }
    const first = this.emptyIds.size === 0;
    this.emptyIds.add(id);
    if (first) this.onColumnsLeftEmpty?.();
  }

  /** True while rows may hold index columns a save left empty: a query must fill them first. */
  get hasColumnsLeftEmpty(): boolean {
    return this.emptyIds.size > 0;
  }

  /**
   * Fills the index columns saves left empty, in up to `limit` rows; true once none is left. Call with the
   * write turn; it writes in a transaction of its own, or a savepoint of the open one.
   */
  fillColumnsLeftEmpty(limit = Infinity): boolean {
    if (this.emptyIds.size === 0) return true;
    // NOTE: a fill inside an open transaction (a query inside a save) is undone if that transaction rolls back,
    // so its rows are forgotten only by a fill whose own transaction committed.
    const ownTransaction = !this.db.inTransaction;
    const ids = [...this.emptyIds].slice(0, Math.min(limit, this.emptyIds.size));
    this.db.transaction(() => {
      for (let i = 0; i < ids.length; i += ROWS_FILLED_PER_STEP)
        this.fillRowsOf(this.afterSaveColumns, ids.slice(i, i + ROWS_FILLED_PER_STEP));
    })();
    if (!ownTransaction) return ids.length === this.emptyIds.size;
    for (const id of ids) this.emptyIds.delete(id);
    return this.emptyIds.size === 0;
  }

  /**
   * Before the file closes: fills what saves left empty and takes the table's mark away, in one transaction,
   * so the next open has nothing to look for. Should it fail, the mark stays and that open fills them.
   */
  fillLeftEmptyBeforeClose(): void {
    // Not only when `marked`: a rollback clears that flag, and the mark of an earlier save may stand.
    if (this.afterSaveColumns.length === 0) return;
    this.db.transaction(() => {
      this.fillRowsOf(this.afterSaveColumns, [...this.emptyIds]);
      statement(this.db, `DELETE FROM ${LEFT_EMPTY_TABLE} WHERE table_name = ?`).run(this.name);
    })();
    this.emptyIds.clear();
    this.marked = false;
  }

  /** Fills `columns` in the rows of `ids` where the first of them is empty (they are left empty together). */
  private fillRowsOf(columns: IndexColumn[], ids: string[]): void {
    if (ids.length === 0) return;
    const empty = statement(
      this.db,
      `SELECT id, data FROM ${this.quoted} WHERE id IN (SELECT value FROM json_each(?)) AND ${columns[0]!.column} IS NULL`,
    );
    this.fillRows(columns, empty.raw().all(JSON.stringify(ids)) as [string, string][]);
  }

  /** Writes `columns` of each row (id, stored JSON) from its document. */
  private fillRows(columns: IndexColumn[], rows: [string, string][]): void {
    const assignments = columns.map((column) => `${column.column} = ?`).join(', ');
    const update = statement(this.db, `UPDATE ${this.quoted} SET ${assignments} WHERE id = ?`);
    for (const [id, data] of rows) {
      const doc = JSON.parse(data) as DocData;
      update.run([...columns.map((column) => column.toIndexString(doc)), id]);
    }
  }

  /**
   * Fills `columns` in up to `limit` rows where the first of them is empty (they are left empty together);
   * the number of rows filled. Without an index holding the empty rows this reads the whole table: only at
   * open, for what an earlier process left (see `fillColumnsLeftBefore`).
   */
  private fillEmptyRows(columns: IndexColumn[], limit: number): number {
    const empty = statement(this.db, `SELECT id, data FROM ${this.quoted} WHERE ${columns[0]!.column} IS NULL LIMIT ?`);
    const rows = empty.raw().all(limit) as [string, string][];
    this.fillRows(columns, rows);
    return rows.length;
  }

  /**
   * Writes documents (insert or replace by primary key). Call inside an SQLite transaction. `stored`: the
   * index strings of the rows these documents replace (`readStoredRows`), so an update writes only the
   * index columns whose value changes.
   */
  writeDocuments(docs: DocData[], stored?: StoredIndexStrings, leaveAfterSaveColumns = false): void {
    this.write(docs, stored, leaveAfterSaveColumns, null);
  }

  /**
   * Writes documents a replication's pull brought (`writeDocuments`), marking their rows with the pull's tag
   * (`pulled_by`): while that mark stands, the row is the server's version, which spares a catch-up its meta rows
   * (assumed-masters.ts). Every other write clears the mark.
   */
  writePulledDocuments(docs: DocData[], stored: StoredIndexStrings, pulledBy: number): void {
    this.write(docs, stored, false, pulledBy);
  }

  private write(docs: DocData[], stored: StoredIndexStrings | undefined, leaveEmpty: boolean, pulledBy: number | null) {
    const hook = this.bulkWriteHook;
    if (!hook || docs.length < hook.minDocuments) {
      this.writeRows(docs, stored, leaveEmpty, false, pulledBy);
      return;
    }
    const ids = docs.map((doc) => doc[this.primaryPath] as string);
    hook.write(ids, docs, replacedIds(ids, stored), () => this.writeRows(docs, stored, leaveEmpty, false, pulledBy));
  }

  /**
   * Writes a catch-up page's meta rows (a replication meta table's, right after `pull` wrote the page's
   * documents), leaving out those the table need not hold (assumed-masters.ts, `encodeAll`): a pulled document's
   * first meta row, which its stored row says in full. Call inside the batch's transaction. Returns the rows
   * written.
   */
  writeCatchUpMetaRows(docs: DocData[], stored: StoredIndexStrings, pull: PullWrite): number {
    return this.writeRows(docs, stored, false, false, null, pull);
  }

  /** The names of the index columns, in the order of the index strings `writeDocuments` compares. */
  get indexColumnNames(): string[] {
    return this.columns.map((column) => column.column);
  }

  /**
   * NOTE: SQLite rewrites the entry of every index whose column an UPDATE sets, even to the same value,
   * which costs that index's page in the WAL. An edit of a title left five of a video's six indexes as
   * they were and still wrote all of them, so rows already stored get an UPDATE of the columns that change.
   */
  private writeRows(
    docs: DocData[],
    stored: StoredIndexStrings | undefined,
    leaveAfterSaveColumns: boolean,
    insertOnly = false,
    pulledBy: number | null = null,
    pull?: PullWrite,
  ): number {
    const upsert = statement(this.db, insertOnly ? this.insertSql : this.writeSql);
    const columns = this.columns;
    const masters = this.masters;
    // id and the own columns, then the index columns.
    const first = 1 + this.ownColumns.length;
    const width = first + columns.length;
    const values: unknown[] = new Array(width);
    // The values of rows new to the table, written `ROWS_PER_STATEMENT` at a time.
    const batch: unknown[] = [];
    // The meta rows of the whole write are checked against their stored documents at once (one read).
    const encoded = masters?.encodeAll(docs, pull);
    let leftOut: LeftOut | undefined;
    let leftOutRows = 0;
    for (let k = 0; k < docs.length; k++) {
      const doc = docs[k]!;
      const id = doc[this.primaryPath] as string;
      if (encoded?.[k]!.leftOut && !stored?.has(id)) {
        leftOut = encoded[k]!.leftOut;
        leftOutRows++;
        continue;
      }
      values[0] = id;
      values[1] = doc._rev;
      values[2] = doc._deleted ? 1 : 0;
      values[3] = doc._meta.lwt;
      if (encoded) {
        values[4] = encoded[k]!.data;
        values[5] = encoded[k]!.base;
      } else {
        values[4] = storedJson(doc);
        if (this.marksPulls) values[5] = pulledBy;
      }
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i]!;
        values[first + i] = leaveAfterSaveColumns && column.afterSave ? null : column.toIndexString(doc);
      }
      const before = stored?.get(id);
      if (before) {
        if (!this.updateChanged(values, before, first)) upsert.run(values);
        // A later document with the same id in this write compares against what this one stored.
        stored!.set(id, values.slice(first));
      } else if (insertOnly) {
        upsert.run(values);
      } else {
        // NOTE: written after the rows that follow it here and replace stored ones. Those have other ids (none is
        // stored under this one), so their order does not matter; a later document with this id joins the batch.
        for (let i = 0; i < width; i++) batch.push(values[i]);
        if (batch.length === width * ROWS_PER_STATEMENT) {
          statement(this.db, this.batchWriteSql).run(batch);
          batch.length = 0;
        }
      }
      if (this.maxLwt !== undefined && doc._meta.lwt > this.maxLwt) this.maxLwt = doc._meta.lwt;
    }
    for (let start = 0; start < batch.length; start += width) upsert.run(batch.slice(start, start + width));
    // In every write that left rows out, so that a batch rolled back cannot leave them without their record.
    if (leftOut) masters!.recordLeftOut(leftOut);
    return docs.length - leftOutRows;
  }

  /**
   * Updates a stored row with `values` (bound as the upsert binds them), setting only the index columns
   * that differ from `before`; false if no row has that id.
   */
  private updateChanged(values: unknown[], before: readonly unknown[], first: number): boolean {
    let changed = 0;
    const bound = values.slice(1, first);
    for (let i = 0; i < before.length; i++) {
      if (values[first + i] === before[i]) continue;
      changed |= 1 << i;
      bound.push(values[first + i]);
    }
    bound.push(values[0]);
    return statement(this.db, this.updateSql(changed)).run(bound).changes === 1;
  }

  /** `UPDATE` of the row's own columns and of the index columns in `changed` (bit i: column i). */
  private updateSql(changed: number): string {
    let sql = this.updateSqls.get(changed);
    if (sql === undefined) {
      const names = this.columns.filter((_, i) => changed & (1 << i)).map((column) => column.column);
      const set = [...this.ownColumns, ...names].map((name) => `${name} = ?`).join(', ');
      sql = `UPDATE ${this.quoted} SET ${set} WHERE id = ?`;
      this.updateSqls.set(changed, sql);
    }
    return sql;
  }

  /** The newest last-write time in the table (0 if empty). Call with the write turn. */
  newestLwt(): number {
    if (this.maxLwt === undefined) {
      // Read through the index, which leaves out rows whose column a save left empty: those are filled first.
      this.fillColumnsLeftEmpty();
      const sql = `SELECT lwt FROM ${this.quoted} WHERE ${this.lwtColumn} IS NOT NULL ORDER BY ${this.lwtColumn} DESC LIMIT 1`;
      const row = statement(this.db, sql).get() as { lwt: number } | undefined;
      this.maxLwt = row?.lwt ?? 0;
    }
    return this.maxLwt;
  }

  /** Forget cached facts after a rollback. */
  invalidate(): void {
    this.maxLwt = undefined;
    // The mark may have been written in the transaction rolled back. (A fill it undid left its ids due.)
    this.marked = false;
  }

  drop(): void {
    this.db.transaction(() => {
      unlinkBeforeDrop(this.db, this.name);
      this.db.exec(`DROP TABLE IF EXISTS ${this.quoted}`);
      statement(this.db, `DELETE FROM ${LEFT_EMPTY_TABLE} WHERE table_name = ?`).run(this.name);
      this.db
        .prepare('DELETE FROM curio_collections WHERE collection = ? AND version = ?')
        .run(this.collectionName, this.schema.version);
    })();
    forgetStatements(this.db, this.name);
    forgetTableDocuments(this.cacheKey);
    this.cachedDocuments = undefined;
  }

  /**
   * Computes the index strings of every stored document for `columns` (new ones, or all of them after
   * a format change) in one pass, keyed by id in pages (the table may be large; an OFFSET would rescan
   * it), with their SQL indexes dropped meanwhile: building an index once is cheaper than keeping it
   * up to date row by row.
   */
  private fillIndexColumns(columns: IndexColumn[]): void {
    const db = this.db;
    for (const column of columns) db.exec(`DROP INDEX IF EXISTS ${this.indexName(column)}`);
    const page = db.prepare(`SELECT id, data FROM ${this.quoted} WHERE id > ? ORDER BY id LIMIT 1000`);
    const assignments = columns.map((column) => `${column.column} = ?`).join(', ');
    const update = db.prepare(`UPDATE ${this.quoted} SET ${assignments} WHERE id = ?`);
    const values: unknown[] = new Array(columns.length + 1);
    let last = '';
    for (;;) {
      const rows = page.all(last) as { id: string; data: string }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const doc = JSON.parse(row.data) as DocData;
        for (let i = 0; i < columns.length; i++) values[i] = columns[i]!.toIndexString(doc);
        values[columns.length] = row.id;
        update.run(values);
      }
      last = rows[rows.length - 1]!.id;
    }
    for (const column of columns) this.createIndex(column);
  }

  /**
   * Drops the SQL index of every stored column whose index is no longer kept and marks its entry in
   * `stored` as unkept: its column stays (rewriting the table would cost more than the column's bytes)
   * but is no longer written, so kept again later it gets a new column, filled like any new one.
   */
  private dropUnkeptIndexes(stored: string[]): void {
    stored.forEach((key, position) => {
      if (!this.unkept.has(key)) return;
      const name = `${this.name}_ix${position}`;
      this.db.exec(`DROP INDEX IF EXISTS ${quoteIdentifier(name)}`);
      forgetDeferredIndex(this.db, name);
      stored[position] = `${UNKEPT_MARK}${key}`;
    });
  }

  /**
   * NOTE: SQLite puts a row whose indexed column is NULL into the index all the same, so a column a save
   * leaves empty would still cost its index's page. Its index leaves empty rows out (every query plan ranges
   * over the column, which SQLite reads as excluding NULL, so the plans keep using it), and one more index
   * holds only the rows left empty, for the filling to find them.
   */
  private createIndex(column: IndexColumn): void {
    const leftOut = column.afterSave ? ` WHERE ${column.column} IS NOT NULL` : '';
    this.db.exec(`CREATE INDEX IF NOT EXISTS ${this.indexName(column)} ON ${this.quoted} (${column.column})${leftOut}`);
  }

  /** An earlier release's index of the rows a save left empty (dropped at open; the file's mark took its place). */
  private get leftEmptyIndexName(): string {
    return `${this.name}_left_empty`;
  }

  /**
   * At open: fills what saves left empty before the last close (a killed process, whose mark is still in the
   * file, or an earlier release's, whose index of those rows is), and brings the indexes in line with which
   * columns are filled after the save, for a release that changed them. From here on, only this process's
   * saves leave columns empty.
   * NOTE: no index lists the rows left empty, as an earlier release's did: that index cost every save a page
   * of its flushed commit. A process that ends cleanly fills them and takes its mark away before it closes,
   * so only the open after a killed process reads the table through to find them.
   */
  private fillColumnsLeftBefore(): void {
    const afterSave = this.afterSaveColumns;
    const indexSql = statement(this.db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck();
    const leftEmptyIndex = indexSql.get(this.leftEmptyIndexName) !== undefined;
    const mark = statement(this.db, `SELECT EXISTS (SELECT 1 FROM ${LEFT_EMPTY_TABLE} WHERE table_name = ?)`).pluck();
    if (afterSave.length > 0 && (leftEmptyIndex || mark.get(this.name)))
      while (this.fillEmptyRows(afterSave, ROWS_FILLED_PER_STEP) > 0);
    if (leftEmptyIndex) this.db.exec(`DROP INDEX ${quoteIdentifier(this.leftEmptyIndexName)}`);
    statement(this.db, `DELETE FROM ${LEFT_EMPTY_TABLE} WHERE table_name = ?`).run(this.name);
    this.fillEmptyColumns();
    for (const column of this.columns) {
      const sql = indexSql.get(`${this.name}_${column.column}`) as string | undefined;
      // Absent: made later (deferred-indexes.ts), from the SQL listed there; brought in line at the next open.
      if (sql === undefined || sql.includes(' WHERE ') === column.afterSave) continue;
      this.db.exec(`DROP INDEX ${this.indexName(column)}`);
      this.createIndex(column);
    }
  }

  /**
   * Fills the index columns left empty by writes other than the storage's own: an earlier release's, or the
   * triggers that put back a meta row a catch-up left out (assumed-masters.ts). Call inside a transaction.
   */
  fillEmptyColumns(): void {
    for (const column of this.columns) {
      if (!column.afterSave) while (this.fillEmptyRows([column], ROWS_FILLED_PER_STEP) > 0);
    }
  }

  private indexName(column: IndexColumn): string {
    return quoteIdentifier(`${this.name}_${column.column}`);
  }
}

/**
 * The ids of a write that may already have rows derived from them: those stored before it (`stored`; all
 * of them when unknown) and any the write holds twice. An initial sync's pages are all new, so what is
 * derived from them (search, links) is added without first looking for rows to remove.
 */
function replacedIds(ids: string[], stored: StoredIndexStrings | undefined): Set<string> {
  if (!stored) return new Set(ids);
  const replaced = new Set<string>();
  const seen = new Set<string>();
  for (const id of ids) {
    if (stored.has(id) || seen.has(id)) replaced.add(id);
    seen.add(id);
  }
  return replaced;
}

/** The column of the pull that wrote a row as it is (assumed-masters.ts, `LeftOut`); null after any other write. */
const PULLED_BY = 'pulled_by';

/** Marks an entry of `curio_collections.indexes` whose column is no longer written (never a field name). */
const UNKEPT_MARK = 'unkept:';

/** The table of a collection: the stored name if it exists, else a new unique one. */
function tableNameFor(db: SqliteDatabase, collectionName: string, version: number): string {
  const row = db
    .prepare('SELECT table_name FROM curio_collections WHERE collection = ? AND version = ?')
    .get(collectionName, version) as { table_name: string } | undefined;
  if (row) return row.table_name;
  const base = `c_${collectionName.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60)}_v${version}`;
  const taken = db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?');
  let name = base;
  for (let n = 2; taken.get(name); n++) name = `${base}_${n}`;
  return name;
}
