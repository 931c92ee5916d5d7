import type { BulkWriteRow } from 'rxdb';
import type { CollectionTable, DocData } from './collection-table';
import type { SqliteDatabase } from './sqlite-file';
import { statement } from './statements';

/** Above this many ids one statement with a JSON array beats one lookup per id. */
const SINGLE_LOOKUP_LIMIT = 8;

/**
 * The stored revision of each id, as stand-in documents for RxDB's
 * categorizeBulkWriteRows, which only compares `_rev` (the full document is
 * loaded only for conflicts). Saves parsing every updated document's JSON.
 */
export function readRevisions(table: CollectionTable, db: SqliteDatabase, ids: string[]): Map<string, DocData> {
  const found = new Map<string, DocData>();
  const rows =
    ids.length <= SINGLE_LOOKUP_LIMIT
      ? ids.flatMap((id) => statement(db, `SELECT id, rev, deleted FROM ${table.quoted} WHERE id = ?`).all(id))
      : statement(db, `SELECT id, rev, deleted FROM ${table.quoted} WHERE id IN (SELECT value FROM json_each(?))`).all(
          JSON.stringify(ids),
        );
  for (const row of rows as { id: string; rev: string; deleted: number }[]) {
    found.set(row.id, { _rev: row.rev, _deleted: row.deleted === 1 } as DocData);
  }
  return found;
}

export function readDocuments(
  table: CollectionTable,
  db: SqliteDatabase,
  ids: string[],
  withDeleted: boolean,
): DocData[] {
  const filter = withDeleted ? '' : ' AND deleted = 0';
  let rows: string[];
  if (ids.length === 1) {
    rows = statement(db, `SELECT data FROM ${table.quoted} WHERE id = ?${filter}`).pluck().all(ids[0]) as string[];
  } else if (ids.length === 0) {
    rows = [];
  } else {
    rows = statement(db, `SELECT data FROM ${table.quoted} WHERE id IN (SELECT value FROM json_each(?))${filter}`)
      .pluck()
      .all(JSON.stringify(ids)) as string[];
  }
  return rows.map((data) => JSON.parse(data) as DocData);
}

/**
 * NOTE: replication reads changes by checkpoint `(lwt, id)`, so a write must
 * never land with a last-write time at or below one already stored: a reader
 * past that checkpoint would skip it. RxDB stamps `lwt` when the write is
 * called; a write that waited for a transaction (or a clock that went back)
 * would break that order, so such documents are restamped just above the
 * newest. RxDB's write result holds these same document objects, so it sees
 * the new stamp too.
 */
export function bumpStaleLwt(rows: BulkWriteRow<Record<string, unknown>>[], newest: number): void {
  const bumped = Math.round((newest + 0.01) * 100) / 100;
  for (const row of rows) {
    const doc = row.document as DocData;
    if (doc._meta.lwt > newest) continue;
    const meta = { ...doc._meta, lwt: bumped };
    if (Object.isFrozen(doc)) row.document = { ...doc, _meta: meta } as typeof row.document;
    else doc._meta = meta;
  }
}
