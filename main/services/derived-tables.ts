import { idleWork, quoteIdentifier, type SqliteInternals } from '../storage';

/** A written document as the storage has it: the entity's fields plus RxDB's (`_deleted`, …). */
export type WrittenDocument = Record<string, unknown>;

type Sqlite = SqliteInternals['file']['writer'];
type Table = SqliteInternals['table'];

/**
 * Holds one row while a bulk write runs, only inside that write's
 * transaction (never committed): the derived tables' triggers skip then, and
 * the bulk write fills them for its rows itself (see `fillInBulk`).
 */
const PAUSED = 'curio_derived_paused';
/** The WHEN condition of every trigger that keeps a derived table. */
export const UNLESS_BULK_WRITE = `NOT EXISTS (SELECT 1 FROM ${PAUSED})`;
/**
 * Writes of this many documents or more fill the derived tables per write
 * instead of per row. One row per write costs the same both ways (a local
 * save keeps its triggers); a pulled page of 1,000 fills ~5x cheaper
 * (docs/decisions.md, "Initial sync: search index filled per pulled page").
 */
const BULK_MIN_DOCUMENTS = 8;
/** What each derived table does for a bulk write, by table, then by derived table name. */
const bulkFills = new WeakMap<Table, Map<string, BulkFill>>();

/**
 * Brings the derived rows of written documents up to date: their ids, the documents as written, the ids
 * that may have derived rows to remove first (the others are new to the table), and whether the table
 * held no document before the write (then every row it holds is one of the write's).
 */
type BulkFill = (
  ids: string[],
  docs: WrittenDocument[],
  replaced: ReadonlySet<string>,
  intoEmptyTable: boolean,
) => void;

/**
 * Tables that triggers derive from the entity tables (search index, links)
 * are rebuilt when what they derive from changes: `fingerprint` names it (the
 * entity tables and the fields read) and is kept in the `state` table. A table
 * recreated under the same name would have lost its triggers, so their count
 * (those named `<prefix>_…`) is checked too.
 */
export function mustRebuild(
  db: Sqlite,
  derived: { state: string; prefix: string; fingerprint: string; triggers: number },
): boolean {
  db.exec(`CREATE TABLE IF NOT EXISTS ${derived.state} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  db.exec(`CREATE TABLE IF NOT EXISTS ${PAUSED} (paused INTEGER PRIMARY KEY)`);
  const stored = db.prepare(`SELECT value FROM ${derived.state} WHERE key = 'fingerprint'`).get() as
    { value: string } | undefined;
  const triggers = db
    .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'`)
    .get(`${derived.prefix.replace(/[\\%_]/g, '\\$&')}\\_%`) as { n: number };
  return stored?.value !== derived.fingerprint || triggers.n !== derived.triggers;
}

/** Records what a rebuild derived from; call inside the rebuild's transaction. */
export function rebuilt(db: Sqlite, derived: { state: string; fingerprint: string }): void {
  db.prepare(`INSERT OR REPLACE INTO ${derived.state} (key, value) VALUES ('fingerprint', ?)`).run(derived.fingerprint);
}

/**
 * From now on, a bulk write into `table` pauses the triggers of the derived
 * tables and then calls `fill` (and every other derived table's fill) with the
 * written ids, in the same transaction: `fill` must make the derived rows of
 * those ids exactly what the triggers would have made (removing those of
 * tombstones). `name` identifies the derived table, so opening it again
 * replaces its fill.
 */
export function fillInBulk(table: Table, name: string, fill: BulkFill): void {
  let fills = bulkFills.get(table);
  if (!fills) bulkFills.set(table, (fills = new Map()));
  fills.set(name, fill);
  const all = fills;
  const pause = table.db.prepare(`INSERT INTO ${PAUSED} (paused) VALUES (1)`);
  const resume = table.db.prepare(`DELETE FROM ${PAUSED}`);
  table.setBulkWriteHook({
    minDocuments: BULK_MIN_DOCUMENTS,
    write(ids, docs, replaced, writeRows) {
      const intoEmptyTable = !table.holdsDocuments();
      // A failure anywhere here rolls the whole write back, the pause row with it.
      pause.run();
      writeRows();
      resume.run();
      for (const fillRows of all.values()) fillRows(ids, docs, replaced, intoEmptyTable);
    },
  });
}

/** A resource opened on first use and shared after; a failed open is tried again by the next caller. */
export function openOnce<T>(open: () => Promise<T>): () => Promise<T> {
  let opening: Promise<T> | undefined;
  return () => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
}

/** `idsAfter` of a waiting list over the entity tables of `tables` (type to SQL table name), by primary key. */
export function idsInOrder(
  db: Sqlite,
  tables: ReadonlyMap<string, string>,
): (type: string, after: string, limit: number) => string[] {
  const statements = new Map(
    [...tables].map(([type, table]) => [
      type,
      db.prepare(`SELECT id FROM ${quoteIdentifier(table)} WHERE id > ? ORDER BY id LIMIT ?`).pluck(),
    ]),
  );
  return (type, after, limit) => (statements.get(type)?.all(after, limit) as string[] | undefined) ?? [];
}

/**
 * Entries a catch-up makes the derived rows of per transaction: ~30 ms of the main thread each, and five
 * times as many while a reader waits for it (fewer commits; the reader waits for all of them anyway).
 */
const CATCH_UP_CHUNK = 2_000;
const CATCH_UP_CHUNK_READ_WAITING = 10_000;

/**
 * Entries whose derived rows are not made yet, listed inside the transaction that wrote them, so a crash
 * leaves them listed for the next open: one by one in a table of their own (id, type), or a whole entity
 * table at once in a second one (type, and the id after which its rows are still to be made; '' for all of
 * them), for a bulk write into an empty table: an initial sync's pages then list nothing per entry. A reader
 * of the derived table calls `catchUp` first and never sees a listed entry's old rows.
 */
export interface WaitingList {
  /**
   * Lists entries a bulk write wrote into the entity table of `type` (`intoEmptyTable`: it held no document
   * before), or nothing when the whole table is listed from its first row; call inside that write's
   * transaction.
   */
  mark(type: string, ids: readonly string[], intoEmptyTable: boolean): void;
  /** Makes the rows of every listed entry, a chunk per transaction; resolves once none is listed. */
  catchUp(): Promise<void>;
  close(): void;
}

/** The tables of the waiting list `table`: entries one by one, and whole entity tables. */
export function waitingListTables(table: string): { entries: string; wholeTables: string } {
  return { entries: table, wholeTables: `${table}_tables` };
}

/**
 * A derived table's waiting list: `table` (created if missing, with its table of whole entity tables) lists
 * the entries, `fill` makes the rows of some of them as a bulk write would (rows they have already are
 * replaced), `idsAfter` reads an entity table's ids in order from one on (for a whole table listed),
 * `changes` are the entity tables' writes, which schedule the catch-up. Nobody waiting, it runs only while
 * the app leaves the file alone (storage's `idleWork`): a catch-up between the pages of an initial sync
 * would only move its work onto the sync, and one between a save's reads would make the save wait
 * (docs/decisions.md, "Initial sync: search index and back-links made once the pulled pages pause").
 */
export function waitingList(options: {
  file: SqliteInternals['file'];
  table: string;
  fill: (type: string, ids: string[]) => void;
  /** Up to `limit` ids of the entity table of `type` after `after` (any id is after ''), in order. */
  idsAfter: (type: string, after: string, limit: number) => string[];
  changes: readonly { subscribe(next: () => void): { unsubscribe(): void } }[];
  /** What the rows are, for the log: "the search index". */
  what: string;
  /** Entries made per transaction, nobody waiting / a reader waiting (tests take fewer). */
  chunk?: { idle: number; readerWaiting: number };
}): WaitingList {
  const { file, fill, idsAfter } = options;
  const chunk = options.chunk ?? { idle: CATCH_UP_CHUNK, readerWaiting: CATCH_UP_CHUNK_READ_WAITING };
  const { entries, wholeTables } = waitingListTables(options.table);
  // Statements on the connection as it is: a check before every read must not commit pulled writes held open.
  const db = file.connection;
  db.exec(`CREATE TABLE IF NOT EXISTS ${entries} (id TEXT PRIMARY KEY NOT NULL, type TEXT NOT NULL) WITHOUT ROWID`);
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${wholeTables} (type TEXT PRIMARY KEY NOT NULL, after TEXT NOT NULL) WITHOUT ROWID`,
  );
  const mark = db.prepare(`INSERT OR IGNORE INTO ${entries} (id, type) SELECT value, ? FROM json_each(?)`);
  const anyWaiting = db
    .prepare(`SELECT EXISTS (SELECT 1 FROM ${entries}) OR EXISTS (SELECT 1 FROM ${wholeTables})`)
    .pluck();
  const firstWaiting = db.prepare(`SELECT type, id FROM ${entries} LIMIT ?`).raw();
  const unmark = db.prepare(`DELETE FROM ${entries} WHERE id IN (SELECT value FROM json_each(?))`);
  const listedFromStart = db
    .prepare(`SELECT EXISTS (SELECT 1 FROM ${wholeTables} WHERE type = ? AND after = '')`)
    .pluck();
  const listWhole = db.prepare(`INSERT OR REPLACE INTO ${wholeTables} (type, after) VALUES (?, '')`);
  const wholeListed = db.prepare(`SELECT type, after FROM ${wholeTables}`).raw();
  const madeUpTo = db.prepare(`UPDATE ${wholeTables} SET after = ? WHERE type = ?`);
  const unlistWhole = db.prepare(`DELETE FROM ${wholeTables} WHERE type = ?`);

  /** Makes the rows of up to `limit` entries of the whole tables listed; how many it made. */
  const catchUpWholeTables = (limit: number): number => {
    let made = 0;
    for (const [type, after] of wholeListed.all() as [string, string][]) {
      if (made >= limit) break;
      const ids = idsAfter(type, after, limit - made);
      if (ids.length > 0) fill(type, ids);
      if (ids.length < limit - made) unlistWhole.run(type);
      else madeUpTo.run(ids[ids.length - 1], type);
      made += ids.length;
    }
    return made;
  };

  /** Makes the rows of the first listed entries in one transaction. Needs the write turn. */
  const catchUpChunk = (readerWaiting: boolean) => {
    // Pulled writes held open are committed first: the catch-up is a write of its own.
    file.writerForIdleWork.transaction(() => {
      const limit = readerWaiting ? chunk.readerWaiting : chunk.idle;
      const left = limit - catchUpWholeTables(limit);
      if (left <= 0) return;
      const rows = firstWaiting.all(left) as [string, string][];
      const byType = new Map<string, string[]>();
      for (const [type, id] of rows) {
        let ids = byType.get(type);
        if (!ids) byType.set(type, (ids = []));
        ids.push(id);
      }
      for (const [type, ids] of byType) fill(type, ids);
      unmark.run(JSON.stringify(rows.map(([, id]) => id)));
    })();
  };

  const work = idleWork(file, {
    pending: () => !!anyWaiting.get(),
    step: catchUpChunk,
    what: options.what,
  });
  const watching = options.changes.map((changes) => changes.subscribe(() => work.schedule()));
  // Entries a crash (or the end of the last run) left listed.
  work.schedule();

  return {
    mark(type, ids, intoEmptyTable) {
      // NOTE: once the catch-up of a whole table has begun, an entry written since may sort before where
      // it is, so it is listed one by one again (an entry made twice is made the same).
      if (listedFromStart.get(type)) return;
      if (intoEmptyTable) listWhole.run(type);
      else mark.run(type, JSON.stringify(ids));
    },
    catchUp: () => work.finish(),
    close() {
      work.close();
      for (const subscription of watching) subscription.unsubscribe();
    },
  };
}
