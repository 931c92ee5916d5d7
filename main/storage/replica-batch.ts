import type { PullWrite } from './assumed-masters';
import type { SqliteDatabase } from './sqlite-file';
import { forgetRolledBackWrites } from './rxdb-rollback';
import type { DocData } from './stored-document';

/**
 * A pulled write of this many documents or more is a page of a catch-up (the server's pages are 1,000 or
 * more); fewer are live changes, or a catalog too small for the difference to matter.
 */
export const CATCH_UP_PAGE_DOCUMENTS = 100;
/** Rows written (documents and RxDB's replication rows) after which a batch commits. */
const BATCH_ROWS = 10_000;
/** The longest a batch stays open: what a killed process may lose of pulled writes, pulled again at its next start. */
const BATCH_MS = 1_000;
/**
 * How long a batch past BATCH_MS waits at most for the meta rows of the page it has just written: RxDB writes
 * them right after, unless other collections' pages come first or its write of them failed.
 */
const PAGE_META_ROWS_WAIT_MS = BATCH_MS;
/**
 * Rows committed by batches after which the checkpoint thread copies the WAL back: about 30 MB of WAL, so
 * that the write connection's own checkpoint (at 160 MB, sqlite-file.ts) finds little left to copy.
 */
const CHECKPOINT_ROWS = BATCH_ROWS;
/**
 * Rows since the last checkpoint that make the end of a catch-up ask for one (half a batch, ~15 MB of WAL):
 * a catch-up, not a trickle of edits. What is left below it is copied by a later checkpoint.
 */
const SETTLE_CHECKPOINT_ROWS = BATCH_ROWS / 2;

/** A write of the batch to one table: its documents as stored, by id once someone asks (`lastWritten`). */
interface LastWrite {
  docs: readonly DocData[];
  primaryPath: string;
  /** The pull whose documents these are (assumed-masters.ts). */
  pull?: PullWrite;
  byId?: Map<string, DocData>;
}

/**
 * Writes that only mirror the server (pulled documents, RxDB's replication rows and checkpoints), held in
 * one open SQLite transaction across several of RxDB's writes and committed together. A pulled page of
 * 1,000 videos changes ~1,000 leaf pages in each index ordered by a field (title, date), and every commit
 * writes each changed page to the WAL again; five pages per commit write most of them once
 * (docs/decisions.md, "Pulled pages committed together").
 * Safe because, as with `synchronous = NORMAL` for these writes, a lost batch is a suffix of commits: its
 * checkpoint goes with it and the next start pulls the documents again; a replication row written after a
 * push is pushed again, which the server takes as the same write (PUSH-4). A batch rolled back while the
 * app runs is announced (`onRollBack`), so the replication can start again from the checkpoint in the file.
 * Readers on the write connection see the batch as soon as it is written, so RxDB's own reads and the
 * screens never see less than their events told them. Any other write commits the batch first
 * (`DatabaseFile.writer`).
 */
export class ReplicaBatch {
  private rows = 0;
  /** Rows committed by batches since the last checkpoint asked for. */
  private committedRows = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Ids written per collection, so a failed commit can clear RxDB's caches of them. */
  private touched = new Map<string, string[][]>();
  /** The batch's last write to each table (`lastWritten`). */
  private lastWrites = new Map<string, LastWrite>();
  /**
   * Tables whose last write was a catch-up page's documents: a full batch waits for the page's meta rows, which
   * RxDB writes next (after a checkpoint's row, maybe) and which are left out only while the batch that wrote
   * the page is open (assumed-masters.ts).
   */
  private pagesAwaitingMetaRows = new Set<string>();
  /** BATCH_MS passed while a page awaited its meta rows: the batch commits right after them. */
  private overdue = false;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly databaseName: string,
    /** The batch was rolled back by `error`: forgets what the storage cached of it and tells who listens. */
    private readonly onRollBack: (error: unknown) => void,
    /** Asks for the WAL to be copied back into the file off the main thread (`WalCheckpointer.request`). */
    private readonly checkpoint: () => void,
  ) {}

  /** Rows committed by batches since the last checkpoint asked for. */
  get rowsSinceCheckpoint(): number {
    return this.committedRows;
  }

  get open(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Runs `write` inside the batch and commits a full batch: `write` returns the rows it wrote (a catch-up's meta
   * rows left out are none, so a batch holds as many written rows either way), and a catch-up page's documents
   * wait for their meta rows (`pagesAwaitingMetaRows`), past BATCH_MS too. A failure rolls the whole batch back (a
   * savepoint per write would copy every page the batch already changed into its journal) and is announced:
   * RxDB then holds a checkpoint ahead of the file until its replication starts again.
   */
  write(collectionName: string, ids: string[], write: () => number): void {
    if (!this.open) {
      this.db.exec('BEGIN IMMEDIATE');
      this.timer = setTimeout(() => this.commitFromTimer(), BATCH_MS);
      this.timer.unref();
    }
    // The write's own list, kept as it is: a page's ids one by one into a set cost ~0.1 s a sync.
    const touched = this.touched.get(collectionName);
    if (touched) touched.push(ids);
    else this.touched.set(collectionName, [ids]);
    let rows: number;
    try {
      rows = write();
    } catch (error) {
      this.rollBack(error);
      throw error;
    }
    this.rows += rows;
    if ((this.rows >= BATCH_ROWS || this.overdue) && this.pagesAwaitingMetaRows.size === 0) this.commit();
  }

  /** Call after a write of the batch stored `docs` in table `table` (`lastWritten`). */
  wrote(table: string, primaryPath: string, docs: readonly DocData[], pull?: PullWrite): void {
    if (!this.open) return;
    this.lastWrites.set(table, { docs, primaryPath, pull });
    if (pull && docs.length >= CATCH_UP_PAGE_DOCUMENTS) this.pagesAwaitingMetaRows.add(table);
  }

  /** Call in a write of RxDB's meta rows of a page the batch wrote to `table` (a catch-up's meta write). */
  wroteMetaRowsOf(table: string): void {
    this.pagesAwaitingMetaRows.delete(table);
  }

  /** The pull that made the open batch's last write to `table` (none: not a pull's, or none open). */
  lastPull(table: string): PullWrite | undefined {
    return this.open ? this.lastWrites.get(table)?.pull : undefined;
  }

  /**
   * The documents the open batch last wrote to `table`, by id: each is exactly what its row holds, without
   * reading it. Only writes of the batch reach the file while it is open (any other commits it first), so
   * nothing changed those rows since; the next write to the table replaces them, the batch's end forgets
   * them. RxDB writes a pulled page's meta rows right after its documents (assumed-masters.ts compares them).
   */
  lastWritten(table: string): ReadonlyMap<string, DocData> | undefined {
    const write = this.open ? this.lastWrites.get(table) : undefined;
    // By id once asked for: only a collection's own table is, never a meta table's.
    return write && (write.byId ??= new Map(write.docs.map((doc) => [doc[write.primaryPath] as string, doc])));
  }

  /** `table` was dropped or left: what the batch wrote to it no longer stands. */
  forgetWrites(table: string): void {
    this.lastWrites.delete(table);
  }

  /** Commits the open batch, if any. A failed COMMIT rolls it back, forgets what it wrote, and throws. */
  commit(): void {
    if (!this.open) return;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      this.rollBack(error);
      throw error;
    }
    this.committedRows += this.rows;
    this.reset();
    if (this.committedRows >= CHECKPOINT_ROWS) this.checkpointNow();
  }

  /**
   * The replication is in sync: commits the batch, and after a catch-up has the WAL copied back into the
   * file now, while nobody waits, rather than inside the user's next save (which would copy up to 160 MB).
   */
  settle(): void {
    this.commit();
    if (this.committedRows >= SETTLE_CHECKPOINT_ROWS) this.checkpointNow();
  }

  /** Asks the checkpoint thread to copy the WAL back now. */
  checkpointNow(): void {
    this.committedRows = 0;
    this.checkpoint();
  }

  private rollBack(error: unknown): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    const touched = new Map([...this.touched].map(([name, lists]) => [name, lists.flat()]));
    forgetRolledBackWrites(this.databaseName, touched);
    this.reset();
    this.onRollBack(error);
  }

  private reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.rows = 0;
    this.touched = new Map();
    this.lastWrites = new Map();
    this.pagesAwaitingMetaRows = new Set();
    this.overdue = false;
  }

  private commitFromTimer(): void {
    if (this.pagesAwaitingMetaRows.size > 0 && !this.overdue) {
      this.overdue = true;
      this.timer = setTimeout(() => this.commitFromTimer(), PAGE_META_ROWS_WAIT_MS);
      this.timer.unref();
      return;
    }
    try {
      this.commit();
    } catch (error) {
      console.error('Curio: pulled changes could not be committed and were rolled back.', error);
    }
  }
}
