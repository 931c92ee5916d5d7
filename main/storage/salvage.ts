import { leftOutDocument, META_DOCUMENT_ROW, type LeftOut } from './assumed-masters';
import { openConnection, type DatabaseKey } from './encryption';
import { registeredTables } from './integrity';
import { quoteIdentifier } from './statements';
import type { SqliteDatabase } from './sqlite-file';
import type { DocData } from './stored-document';

/** The documents that could be read from one collection of a damaged file. */
export interface SalvagedCollection {
  collection: string;
  /** The schema version the documents are stored at (the newest table of the collection). */
  version: number;
  /** Parsed documents (RxDB tombstones included, with `_deleted`), in row order. */
  documents: Record<string, unknown>[];
  /** Rows that exist but could not be read or parsed. */
  skipped: number;
}

/**
 * Reads every readable document of a possibly damaged Curio file, row by
 * row, with a read-only connection: each row is fetched on its own by rowid
 * so one damaged page costs the rows on it, not the table. A table whose
 * registry or size cannot be read at all counts as one skipped row (its
 * size is unknown). The newest schema version of each collection wins. An encrypted file needs its `key`.
 */
export function salvageDatabaseFile(filePath: string, key: DatabaseKey): SalvagedCollection[] {
  const db: SqliteDatabase = openConnection(filePath, key, { readonly: true, fileMustExist: true });
  try {
    const links = metaLinks(db);
    return [...newestTables(db)].map(([collection, { version, table }]) => {
      const salvaged = salvageTable(db, table);
      const link = links.get(table);
      if (link) {
        for (const document of salvaged.documents) resolveMaster(db, link.entityTable, document);
        if (link.leftOut) salvaged.documents.push(...leftOutMasters(db, link.entityTable, link.leftOut, salvaged));
      }
      return { collection, version, ...salvaged };
    });
  } finally {
    db.close();
  }
}

interface MetaLink {
  entityTable: string;
  leftOut?: LeftOut;
}

/**
 * Meta table to collection table, for the meta rows that refer to stored documents or that a catch-up left
 * out (assumed-masters.ts).
 */
function metaLinks(db: SqliteDatabase): Map<string, MetaLink> {
  let rows: [string, string, number | null, string | null][];
  try {
    rows = db.prepare('SELECT meta_table, entity_table, pull_tag, left_out_rev FROM curio_meta_links').raw().all() as [
      string,
      string,
      number | null,
      string | null,
    ][];
  } catch {
    try {
      // A file of format 3 to 5: no row was left out.
      rows = (
        db.prepare('SELECT meta_table, entity_table FROM curio_meta_links').raw().all() as [string, string][]
      ).map(([meta, entity]) => [meta, entity, null, null]);
    } catch {
      // A file of format 2 or earlier, or a damaged registry: every meta row holds its copy.
      return new Map();
    }
  }
  return new Map(
    rows.map(([meta, entityTable, tag, rev]) => [
      meta,
      { entityTable, leftOut: tag !== null && rev ? { tag, rev } : undefined },
    ]),
  );
}

/**
 * The meta rows a catch-up left out, put back from the stored documents its pull wrote and nothing changed since:
 * those the salvaged meta rows lack. A stored row that cannot be read leaves its meta row out, as the document is lost.
 */
function leftOutMasters(
  db: SqliteDatabase,
  entityTable: string,
  leftOut: LeftOut,
  salvaged: { documents: Record<string, unknown>[] },
): Record<string, unknown>[] {
  const held = new Set(salvaged.documents.map((document) => document.id));
  const masters: Record<string, unknown>[] = [];
  try {
    const rows = db
      .prepare(`SELECT id, lwt, data FROM ${quoteIdentifier(entityTable)} WHERE deleted = 0 AND pulled_by = ?`)
      .raw()
      .iterate(leftOut.tag) as Iterable<[string, number, string]>;
    for (const [id, lwt, data] of rows) {
      if (held.has(`${id}|${META_DOCUMENT_ROW}`)) continue;
      try {
        masters.push(leftOutDocument(JSON.parse(data) as DocData, id, lwt, leftOut.rev) as Record<string, unknown>);
      } catch {
        // An unreadable document: its meta row is left out with it.
      }
    }
  } catch {
    // The table cannot be read through: what was read so far stands.
  }
  return masters;
}

/**
 * Puts back the server's version a meta row refers to, from the stored document of the same revision;
 * if that row cannot be read, the meta row is left without one (as if never pulled): the document it
 * describes cannot be read either, so nothing is taken for a local change because of it.
 */
function resolveMaster(db: SqliteDatabase, entityTable: string, meta: Record<string, unknown>): void {
  if (typeof meta.docData !== 'string') return;
  try {
    const row = db
      .prepare(`SELECT rev, data FROM ${quoteIdentifier(entityTable)} WHERE id = ?`)
      .raw()
      .get(meta.itemId) as [string, string] | undefined;
    if (row && row[0] === meta.docData) {
      const master = JSON.parse(row[1]) as Record<string, unknown>;
      for (const key of ['_meta', '_rev', '_attachments']) delete master[key];
      meta.docData = master;
      return;
    }
  } catch {
    // Unreadable: left without a version, as below.
  }
  delete meta.docData;
}

/** Each collection's newest table (the schema version its documents are stored at), by collection name. */
function newestTables(db: SqliteDatabase): Map<string, { version: number; table: string }> {
  const newest = new Map<string, { version: number; table: string }>();
  for (const { collection, version, table_name } of registeredTables(db))
    if ((newest.get(collection)?.version ?? -1) < version) newest.set(collection, { version, table: table_name });
  return newest;
}

/** A document as a backup holds it: without RxDB's bookkeeping (`_rev`, `_meta`, `_deleted`, ...). */
export function ownFields(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_')));
}

/** Live documents (not RxDB tombstones) of a salvaged collection. */
export function liveDocuments(collection: SalvagedCollection | undefined): Record<string, unknown>[] {
  return (collection?.documents ?? []).filter((document) => document._deleted !== true);
}

/**
 * The live (not deleted) documents of each collection of a healthy Curio file, counted in its newest
 * table: a snapshot's size in entries without reading its documents.
 */
export function liveDocumentCounts(filePath: string, key: DatabaseKey): Record<string, number> {
  const db: SqliteDatabase = openConnection(filePath, key, { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(
      [...newestTables(db)].map(([collection, { table }]) => [
        collection,
        db
          .prepare(`SELECT count(*) FROM ${quoteIdentifier(table)} WHERE deleted = 0`)
          .pluck()
          .get() as number,
      ]),
    );
  } finally {
    db.close();
  }
}

function salvageTable(db: SqliteDatabase, table: string): Omit<SalvagedCollection, 'collection' | 'version'> {
  const documents: Record<string, unknown>[] = [];
  let skipped = 0;
  let maxRowid: number;
  try {
    maxRowid = Number(
      (db.prepare(`SELECT max(rowid) AS m FROM ${quoteIdentifier(table)}`).get() as { m: number | null }).m ?? 0,
    );
  } catch {
    return { documents: scanUntilBroken(db, table), skipped: 1 };
  }
  const byRowid = db.prepare(`SELECT data FROM ${quoteIdentifier(table)} WHERE rowid = ?`).pluck();
  for (let rowid = 1; rowid <= maxRowid; rowid++) {
    try {
      const data = byRowid.get(rowid) as string | undefined;
      if (data === undefined) continue;
      const parsed = JSON.parse(data) as unknown;
      if (typeof parsed === 'object' && parsed !== null) documents.push(parsed as Record<string, unknown>);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { documents, skipped };
}

/** The rows a plain scan reaches before the first damaged page. */
function scanUntilBroken(db: SqliteDatabase, table: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  try {
    for (const data of db
      .prepare(`SELECT data FROM ${quoteIdentifier(table)}`)
      .pluck()
      .iterate())
      try {
        found.push(JSON.parse(data as string) as Record<string, unknown>);
      } catch {
        // An unreadable row among readable ones: skipped, as the caller reports.
      }
  } catch {
    // The scan stops at the damage; what came before is kept.
  }
  return found;
}
