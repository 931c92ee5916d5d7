import { idleWork, type IdleWork, type IdleWorkFile } from './idle-work';
import { CATCH_UP_PAGE_DOCUMENTS } from './replica-batch';
import type { SqliteDatabase } from './sqlite-file';
import { quoteIdentifier } from './statements';

/** The indexes a first bulk write dropped, by name, with their table and the SQL that makes them again. */
const LIST_TABLE = 'curio_deferred_indexes';
/**
 * The indexes are made once no page was pulled for this long. Over a slow link the app leaves the file
 * alone for a moment between pages; made then, each index would cost every page after it its row-by-row
 * updates, and the sync would be slower than with no deferral. A link this slow between pages is slower
 * than the client's writes anyway.
 */
const PULLS_PAUSED_MS = 1000;

/** An index dropped for good (no longer kept) is not made again. Call inside the drop's transaction. */
export function forgetDeferredIndex(db: SqliteDatabase, indexName: string): void {
  db.prepare(`DELETE FROM ${LIST_TABLE} WHERE name = ?`).run(indexName);
}

/** What the indexes' deferral needs of a table (`CollectionTable`). */
export interface DeferrableTable {
  readonly name: string;
  /** The SQL indexes a pulled write keeps up to date all the same. */
  readonly indexesKeptThroughInitialSync: string[];
  /** Whether the table holds documents already (then its first bulk pulled write is no initial sync's). */
  holdsDocuments(): boolean;
}

/** What it needs of the database file (`DatabaseFile`). */
export interface DeferredIndexesFile extends IdleWorkFile {
  readonly connection: SqliteDatabase;
  readonly writerForIdleWork: SqliteDatabase;
}

/**
 * An initial sync fills empty tables page by page. Kept up to date row by row, each of an entity table's
 * indexes (list columns, dates, names ignoring case, durations) took a leaf page per document and wrote it
 * to the WAL again at every commit: a fifth of the sync's time. So the first bulk pulled write into an
 * empty table drops the table's indexes, all but the primary key's and the (lwt, id) one the replication
 * reads (a meta table's too: RxDB reads those by id), and lists them, in its own transaction; once no page
 * was pulled for a second and the app leaves the file alone (`idleWork`) they are made again, one per
 * transaction, each from one sort of the rows.
 * Meanwhile every query still answers right, reading the table through. The list is in the file: an app stopped before they were made makes
 * them after its next open. docs/decisions.md, "Initial sync: a table's indexes made once its pages pause".
 */
export class DeferredIndexes {
  /** Tables a bulk pulled write was seen for in this process: the check runs once per table. */
  private readonly seen = new WeakSet<DeferrableTable>();
  private lastPulledWriteAt = -Infinity;
  private readonly work: IdleWork;
  private readonly droppable;
  private readonly list;
  private readonly anyListed;
  private readonly firstListed;
  private readonly unlist;
  private readonly tableExists;
  private readonly indexExists;

  constructor(private readonly file: DeferredIndexesFile) {
    const db = file.connection;
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${LIST_TABLE} (name TEXT PRIMARY KEY NOT NULL, table_name TEXT NOT NULL, sql TEXT NOT NULL) WITHOUT ROWID`,
    );
    // The primary key's index has no SQL (SQLite's own); a unique index keeps a promise, so it stays too.
    this.droppable = db.prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? " +
        'AND name NOT IN (SELECT value FROM json_each(?)) ' +
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
    );
    this.list = db.prepare(`INSERT OR REPLACE INTO ${LIST_TABLE} (name, table_name, sql) VALUES (?, ?, ?)`);
    this.anyListed = db.prepare(`SELECT EXISTS (SELECT 1 FROM ${LIST_TABLE})`).pluck();
    this.firstListed = db.prepare(`SELECT name, table_name, sql FROM ${LIST_TABLE} LIMIT 1`);
    this.unlist = db.prepare(`DELETE FROM ${LIST_TABLE} WHERE name = ?`);
    this.tableExists = db
      .prepare("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)")
      .pluck();
    this.indexExists = db
      .prepare("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?)")
      .pluck();
    this.work = idleWork(file, {
      pending: () => !!this.anyListed.get(),
      step: () => this.makeOne(),
      what: "a table's indexes",
      waitMs: () => PULLS_PAUSED_MS - (performance.now() - this.lastPulledWriteAt),
    });
    // Indexes the last run left listed.
    this.work.schedule();
  }

  /** Call inside a pulled write's transaction, before it writes `documents` documents into `table`. */
  beforePulledWrite(table: DeferrableTable, documents: number): void {
    this.lastPulledWriteAt = performance.now();
    // Into an empty table, a catch-up's page is an initial sync's.
    if (documents < CATCH_UP_PAGE_DOCUMENTS || this.seen.has(table)) return;
    this.seen.add(table);
    if (table.holdsDocuments()) return;
    const indexes = this.droppable.all(table.name, JSON.stringify(table.indexesKeptThroughInitialSync)) as {
      name: string;
      sql: string;
    }[];
    for (const index of indexes) {
      this.list.run(index.name, table.name, index.sql);
      this.file.connection.exec(`DROP INDEX ${quoteIdentifier(index.name)}`);
    }
    if (indexes.length > 0) this.work.schedule();
  }

  /** Makes every listed index now; resolves once none is listed. */
  makeAll(): Promise<void> {
    return this.work.finish();
  }

  close(): void {
    this.work.close();
  }

  /** Makes the first listed index, in a transaction of its own (a table dropped since: nothing to make). */
  private makeOne(): void {
    // Pulled writes held open are committed first: this is a write of its own.
    this.file.writerForIdleWork.transaction(() => {
      const next = this.firstListed.get() as { name: string; table_name: string; sql: string } | undefined;
      if (!next) return;
      if (this.tableExists.get(next.table_name) && !this.indexExists.get(next.name))
        this.file.connection.exec(next.sql);
      this.unlist.run(next.name);
    })();
  }
}
