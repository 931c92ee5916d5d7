import type { EntityType } from '../../shared/entities/registry';
import { quoteIdentifier, type SqliteInternals } from '../storage';
import type { ServiceContext } from './context';
import { mustRebuild, rebuilt } from './derived-tables';
import { folded } from './search-store';

/**
 * The titles that purge (permanent delete) audit entries recorded, word-indexed (FTS5, folded as the search
 * folds), so the audit's Entry filter finds a deleted entry by the words typed, reading only the entries
 * that match them: never every permanent delete (docs/decisions.md, "Audit Entry filter: deleted entries
 * found through an index"). Its rowids are its own, in the order the entries were recorded here (the fill
 * follows the audit table's order, the trigger appends), so newest recorded is highest. NOTE: not the audit
 * row's rowid: SQLite may renumber the rowids of a table without an INTEGER PRIMARY KEY when a file is copied
 * with VACUUM INTO (a change of encryption), which would make the trigger replace another entry's title.
 */
const FTS = 'curio_purged_titles';
const STATE = 'curio_purged_titles_state';
const FTS_OPTIONS = `tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'`;

/** One purge entry whose title has every typed word. */
export interface PurgedTitle {
  /** The index's rowid: the order recorded here, and the cursor of the next page. */
  row: number;
  entityId: string;
  title: string;
  at: string;
}

/** Per database file: opened (built if missing) once per process. */
const opened = new WeakMap<object, Promise<void>>();

function auditInternals(ctx: ServiceContext): SqliteInternals {
  return ctx.database.audit.storageInstance.internals as SqliteInternals;
}

/**
 * Creates the index and the triggers that keep it (a purge entry stored, by a write here or a pulled page,
 * adds its title; audit entries are never changed), and fills it from the trail when it is new. The core's
 * open awaits it (prepareIndexes); later calls return at once.
 */
export function preparePurgedTitles(ctx: ServiceContext): Promise<void> {
  const { file, table } = auditInternals(ctx);
  let ready = opened.get(file);
  if (!ready) {
    ready = build(file, table.name);
    opened.set(file, ready);
    ready.catch(() => opened.delete(file));
  }
  return ready;
}

async function build(file: SqliteInternals['file'], tableName: string): Promise<void> {
  await file.waitForWriteTurn();
  const db = file.writer;
  const fingerprint = JSON.stringify({ version: 2, FTS_OPTIONS, tableName });
  const derived = { state: STATE, prefix: FTS, fingerprint, triggers: 2 };
  if (!mustRebuild(db, derived)) return;
  const audit = quoteIdentifier(tableName);
  const purge = (alias: string) => `${alias}.deleted = 0 AND json_extract(${alias}.data, '$.action') = 'purge'`;
  const row = (alias: string) =>
    `${alias}.id, json_extract(${alias}.data, '$.entityType'), json_extract(${alias}.data, '$.entityId'), ` +
    `json_extract(${alias}.data, '$.entityTitle'), json_extract(${alias}.data, '$.at'), ` +
    folded(`json_extract(${alias}.data, '$.entityTitle')`);
  db.transaction(() => {
    db.exec(`DROP TABLE IF EXISTS ${FTS}`);
    db.exec(
      `CREATE VIRTUAL TABLE ${FTS} USING fts5(audit_id UNINDEXED, entity_type UNINDEXED, entity_id UNINDEXED, entity_title UNINDEXED, ` +
        `at UNINDEXED, words, ${FTS_OPTIONS})`,
    );
    for (const event of ['INSERT', 'DELETE']) db.exec(`DROP TRIGGER IF EXISTS ${FTS}_${event}`);
    db.exec(
      `CREATE TRIGGER ${FTS}_INSERT AFTER INSERT ON ${audit} WHEN ${purge('new')} BEGIN
         INSERT INTO ${FTS} (audit_id, entity_type, entity_id, entity_title, at, words) VALUES (${row('new')});
       END`,
    );
    // Audit entries are not deleted in use (they are the trail), so this scan of the index is rare.
    db.exec(
      `CREATE TRIGGER ${FTS}_DELETE AFTER DELETE ON ${audit} WHEN ${purge('old')} BEGIN
         DELETE FROM ${FTS} WHERE audit_id = old.id;
       END`,
    );
    db.exec(
      `INSERT INTO ${FTS} (audit_id, entity_type, entity_id, entity_title, at, words) ` +
        `SELECT ${row('t')} FROM ${audit} t WHERE ${purge('t')} ORDER BY t.rowid`,
    );
    rebuilt(db, derived);
  })();
}

/**
 * Purge entries of `type` whose title has a word starting with each of `words` (folded query words), most
 * recently recorded first, at most `limit`, below the row `before`. A superset of the exact match (the
 * index splits words at symbols too): the caller checks each. Words without a letter or digit are not
 * indexed and are left to that check; with none left nothing is asked.
 */
export async function findPurgedTitles(
  ctx: ServiceContext,
  type: EntityType,
  words: string[],
  limit: number,
  before: number | null,
): Promise<PurgedTitle[]> {
  const indexed = words.filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (indexed.length === 0) return [];
  await preparePurgedTitles(ctx);
  const match = indexed.map((word) => `"${word.replace(/"/g, '""')}"*`).join(' ');
  // NOTE: in rowid order FTS5 stops at the LIMIT: the read grows with the page, not with the deletes.
  return auditInternals(ctx)
    .file.readConnection()
    .prepare(
      `SELECT rowid AS row, entity_id AS entityId, entity_title AS title, at FROM ${FTS}
       WHERE ${FTS} MATCH ? AND entity_type = ?${before === null ? '' : ' AND rowid < ?'} ORDER BY rowid DESC LIMIT ?`,
    )
    .all(...[match, type, ...(before === null ? [] : [before]), limit]) as PurgedTitle[];
}
