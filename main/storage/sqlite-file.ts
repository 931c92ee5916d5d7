import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { LEFT_OUT_COLUMNS, LINKS_TABLE_SQL, PULL_KEYS_TABLE_SQL } from './assumed-masters';
import { openConnection, type DatabaseKey } from './encryption';
import { fileErrorFrom, StorageFileError } from './errors';

/** PRAGMA application_id of every Curio database file: 'CURI' in ASCII. */
export const CURIO_APPLICATION_ID = 0x43555249;
/**
 * PRAGMA user_version: the layout of the tables below. Bump with a migration (see migrate()).
 * 2: curio_collections has `index_format` (the encoding of each table's index columns, index-string.ts).
 * 3: curio_meta_links; a replication meta row may refer to the stored document instead of copying it
 *    (assumed-masters.ts), which an earlier Curio would misread as the server's version.
 * 4: a table may hold order columns of the app's own (`SqliteInstanceOptions.orderColumns`: durations by
 *    length), which an earlier Curio's writes would leave stale.
 * 5: entity tables hold a column per name looked up ignoring case (shared/entities/folded-names.ts), which
 *    an earlier Curio's writes would leave stale: a name it saved would be missed as taken.
 * 6: a catch-up may leave a pulled document's meta row out (curio_meta_links `pull_tag`, `left_out_rev`,
 *    curio_pull_keys, the `pulled_by` column; assumed-masters.ts): an earlier Curio would take every such
 *    document for a local change never sent, and its writes would leave the column stale.
 */
export const FORMAT_VERSION = 6;
export const FILE_EXTENSION = '.curio.sqlite';

/**
 * The WAL size (pages of 4 KiB) at which a commit copies the WAL back into the file. A pulled page changes
 * a leaf page of each ordered index per document; between two checkpoints a leaf that many commits
 * changed is copied once, so 160 MB rather than 40 MB made the storage's part of a 70,000-video sync
 * 15 % faster (docs/decisions.md, "Pulled pages committed together"). Local saves do not use it: they
 * commit under SQLite's 1,000 pages, so their WAL starts over (SAVE_CHECKPOINT_PAGES in transaction.ts).
 */
const CHECKPOINT_PAGES = 40_000;

/** Tables registered before the column existed hold format 1 (RxDB's padded index strings). */
const INDEX_FORMAT_COLUMN = 'index_format INTEGER NOT NULL DEFAULT 1';

export type SqliteDatabase = Database.Database;

/** Where the file of one RxDB database lives. */
export function databaseFilePath(directory: string, databaseName: string): string {
  // Database names are RxDB names ([a-z0-9_$()+/-]); '/' would leave the folder.
  return path.join(path.resolve(directory), databaseName.replace(/[^A-Za-z0-9_.-]/g, '_') + FILE_EXTENSION);
}

/**
 * Opens (or creates) a Curio database file for writing, encrypted with `key` (null: plain). Refuses,
 * with an error naming the path, a missing or read-only folder, any file that is not a Curio database
 * and a file encrypted with another key (KEY_MISSING), before anything is written to it.
 */
export function openDatabaseFile(filePath: string, key: DatabaseKey): SqliteDatabase {
  ensureWritableDirectory(path.dirname(filePath));
  const existing = fs.existsSync(filePath) && fs.statSync(filePath).size > 0;
  if (existing) verifyMarker(filePath, key);
  let db: SqliteDatabase | undefined;
  try {
    db = openConnection(filePath, key);
    // NOTE: WAL with synchronous=NORMAL: a committed write survives a killed process (not a power
    // loss before the next checkpoint). Transactions, which carry the user's changes, commit with
    // FULL (see transaction.ts). docs/decisions.md, "Local store".
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, expected wal`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    // Every row written to an entity table runs in a statement savepoint (its tables have triggers),
    // and SQLite copies each page the statement changes into a statement journal. On disk (the
    // default, files under /var/tmp) that was ~10 writes per pulled document and a third of a pulled
    // page's write time; in memory it is a copy. docs/decisions.md, "Statement journals in memory".
    db.pragma('temp_store = MEMORY');
    // Checkpoints copy the WAL into the file; at SQLite's default (every 4 MB) they took half the time
    // of large imports. Every 160 MB instead (CHECKPOINT_PAGES), and the WAL is cut back to 64 MB after each one.
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    db.pragma('journal_size_limit = 67108864');
    // Six index B-trees per entity table outgrow SQLite's 2 MB default page cache early; with 64 MB the
    // 100,000-document initial sync ran about 40 % faster (bench:sync, measured with format-1 index strings).
    db.pragma('cache_size = -65536');
    if (existing) migrate(db);
    else initialize(db);
    db.prepare('SELECT count(*) FROM curio_collections').get();
    return db;
  } catch (error) {
    db?.close();
    throw fileErrorFrom(error, filePath);
  }
}

/** A second connection that reads only committed data (used while a transaction is open). */
export function openReader(filePath: string, key: DatabaseKey): SqliteDatabase {
  try {
    return openConnection(filePath, key, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw fileErrorFrom(error, filePath);
  }
}

function ensureWritableDirectory(directory: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(directory);
  } catch {
    throw new StorageFileError(
      'DIRECTORY_MISSING',
      directory,
      `The data folder ${directory} does not exist. Create it or choose another folder.`,
    );
  }
  if (!stat.isDirectory()) {
    throw new StorageFileError('DIRECTORY_MISSING', directory, `The data folder ${directory} is not a folder.`);
  }
  try {
    fs.accessSync(directory, fs.constants.W_OK);
  } catch {
    throw new StorageFileError(
      'DIRECTORY_NOT_WRITABLE',
      directory,
      `The data folder ${directory} is read-only. Make it writable or choose another folder.`,
    );
  }
}

/** Reads the marker with a read-only connection, so a foreign file is never modified. */
function verifyMarker(filePath: string, key: DatabaseKey): void {
  let db: SqliteDatabase | undefined;
  try {
    db = openConnection(filePath, key, { readonly: true, fileMustExist: true });
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (applicationId !== CURIO_APPLICATION_ID) {
      throw new StorageFileError(
        'NOT_A_CURIO_DATABASE',
        filePath,
        `The file ${filePath} is not a Curio database (it belongs to another program or was replaced). ` +
          'It was left untouched; move it away or choose another folder.',
      );
    }
    if (version > FORMAT_VERSION) {
      throw new StorageFileError(
        'NEWER_FORMAT',
        filePath,
        `The database ${filePath} was written by a newer version of Curio (format ${version}). Update Curio to open it.`,
      );
    }
  } catch (error) {
    throw fileErrorFrom(error, filePath);
  } finally {
    db?.close();
  }
}

function initialize(db: SqliteDatabase): void {
  db.transaction(() => {
    db.pragma(`application_id = ${CURIO_APPLICATION_ID}`);
    db.pragma(`user_version = ${FORMAT_VERSION}`);
    db.exec(`CREATE TABLE curio_collections (
      collection TEXT NOT NULL,
      version INTEGER NOT NULL,
      table_name TEXT NOT NULL UNIQUE,
      indexes TEXT NOT NULL,
      ${INDEX_FORMAT_COLUMN},
      PRIMARY KEY (collection, version)
    )`);
    db.exec(LINKS_TABLE_SQL);
    db.exec(PULL_KEYS_TABLE_SQL);
  })();
}

/**
 * Brings a file of an earlier format up to FORMAT_VERSION, each step one transaction (a killed
 * process leaves the file at the step before, and the next open runs it again). An earlier Curio
 * then refuses the file (NEWER_FORMAT) instead of misreading it. Rebuilding the index columns
 * themselves is each table's own step when it is opened (collection-table.ts).
 */
function migrate(db: SqliteDatabase): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version < 2) {
    db.transaction(() => {
      db.exec(`ALTER TABLE curio_collections ADD COLUMN ${INDEX_FORMAT_COLUMN}`);
      db.pragma('user_version = 2');
    })();
  }
  if (version < 3) {
    db.transaction(() => {
      db.exec(LINKS_TABLE_SQL);
      db.pragma('user_version = 3');
    })();
  }
  // The order columns themselves are added and filled by each table when it is opened.
  if (version < 5) db.pragma('user_version = 5');
  if (version < 6) {
    db.transaction(() => {
      const columns = db.prepare('PRAGMA table_info(curio_meta_links)').all() as { name: string }[];
      for (const column of LEFT_OUT_COLUMNS)
        if (!columns.some(({ name }) => column.startsWith(`${name} `)))
          db.exec(`ALTER TABLE curio_meta_links ADD COLUMN ${column}`);
      db.exec(PULL_KEYS_TABLE_SQL);
      db.pragma('user_version = 6');
    })();
  }
}
