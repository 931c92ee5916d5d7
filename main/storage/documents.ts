import type { CollectionTable, StoredIndexStrings } from './collection-table';
import { cacheDocument, cachedDocument, keepNewest } from './document-cache';
import type { SqliteDatabase } from './sqlite-file';
import { statement } from './statements';
import type { DocData } from './stored-document';

/** Above this many ids one statement with a JSON array beats one lookup per id. */
const SINGLE_LOOKUP_LIMIT = 8;

export interface StoredRow {
  id: string;
  rev: string;
  deleted: number;
}

/**
 * Rows of the given ids in table `quoted` as arrays of the given columns (raw arrays: building an object per row
 * costs more than the lookup itself): one lookup per id for a few, else one statement for all. `where`: a further
 * condition on the row, naming its columns through the alias `t`.
 */
export function rowsById(
  quoted: string,
  db: SqliteDatabase,
  ids: readonly string[],
  columns: string,
  where = '',
): unknown[][] {
  if (ids.length === 0) return [];
  const prefixed = columns
    .split(', ')
    .map((column) => `t.${column}`)
    .join(', ');
  const also = where ? ` AND ${where}` : '';
  if (ids.length <= SINGLE_LOOKUP_LIMIT) {
    const one = statement(db, `SELECT ${prefixed} FROM ${quoted} AS t WHERE t.id = ?${also}`).raw();
    const rows: unknown[][] = [];
    for (const id of ids) {
      const row = one.get(id) as unknown[] | undefined;
      if (row) rows.push(row);
    }
    return rows;
  }
  const sql = `SELECT ${prefixed} FROM json_each(?) AS j CROSS JOIN ${quoted} AS t ON t.id = j.value${also}`;
  return statement(db, sql).raw().all(JSON.stringify(ids)) as unknown[][];
}

/**
 * What a write needs of the stored rows of `ids`: their revisions, as stand-in documents for RxDB's
 * categorizeBulkWriteRows, which only compares `_rev` (the full document is loaded only for conflicts),
 * and their index strings, so an update writes only the index columns that change.
 */
export function readStoredRows(
  table: CollectionTable,
  db: SqliteDatabase,
  ids: string[],
  /** Of a meta table's rows, those written with a previous version: only these may be rows a catch-up left out. */
  updated?: ReadonlySet<string>,
): { revisions: Map<string, DocData>; indexStrings: StoredIndexStrings } {
  const revisions = new Map<string, DocData>();
  const indexStrings: StoredIndexStrings = new Map();
  const columns = ['id', 'rev', 'deleted', ...table.indexColumnNames].join(', ');
  for (const row of rowsById(table.quoted, db, ids, columns)) {
    const id = row[0] as string;
    revisions.set(id, { _rev: row[1], _deleted: row[2] === 1 } as DocData);
    indexStrings.set(id, row.slice(3));
  }
  // A meta row a catch-up left out is stored as far as RxDB can tell, and an update of it is inserted (it has no
  // index strings). NOTE: not for a first meta row: that is RxDB writing the very row left out, as it does for
  // each page right after its documents, which would otherwise conflict with itself.
  if (updated && updated.size > 0) {
    const candidates = ids.filter((id) => updated.has(id));
    for (const doc of leftOutDocuments(table, db, candidates, revisions)) revisions.set(doc.id as string, doc);
  }
  return { revisions, indexStrings };
}

/** The meta documents of `ids` a catch-up left out of a meta table (none found in `found`), put back. */
function leftOutDocuments(
  table: CollectionTable,
  db: SqliteDatabase,
  ids: string[],
  found: { has(id: string): boolean },
): DocData[] {
  if (!table.masters?.leftOut || ids.length === 0) return [];
  const missing = ids.filter((id) => !found.has(id));
  return missing.length === 0 ? [] : table.masters.leftOutDocuments(missing, db);
}

export function readDocuments(
  table: CollectionTable,
  db: SqliteDatabase,
  ids: string[],
  withDeleted: boolean,
): DocData[] {
  const rows: StoredRow[] = [];
  const found = new Set<string>();
  for (const [id, rev, deleted] of rowsById(table.quoted, db, ids, 'id, rev, deleted')) {
    found.add(id as string);
    if (withDeleted || deleted === 0) rows.push({ id: id as string, rev: rev as string, deleted: deleted as number });
  }
  const docs = documentsOf(table, db, rows);
  for (const doc of leftOutDocuments(table, db, ids, found)) docs.push(doc);
  return docs;
}

/** The documents of stored rows, in their order: from the cache, else parsed from the file. */
export function documentsOf(
  table: CollectionTable,
  db: SqliteDatabase,
  rows: { id: string; rev: string }[],
): DocData[] {
  const docs: DocData[] = new Array(rows.length);
  const missing: number[] = [];
  const cache = table.documents;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const doc = cachedDocument(cache, row.id, row.rev);
    if (doc) docs[i] = doc;
    else missing.push(i);
  }
  if (missing.length > 0) {
    const ids = missing.map((i) => rows[i]!.id);
    const data = new Map<string, string>();
    for (const [id, json] of rowsById(table.quoted, db, ids, 'id, data')) data.set(id as string, json as string);
    for (const i of missing) docs[i] = parseAndCache(table, db, rows[i]!.id, data.get(rows[i]!.id)!);
  }
  return docs;
}

/**
 * A document read together with its row on `db`. NOTE: while a statement iterates, no second one can run
 * on its connection, so rows of a meta table that refer to stored documents (`table.masters`) are read
 * with `all()` instead.
 */
export function documentOfRow(
  table: CollectionTable,
  db: SqliteDatabase,
  row: { id: string; rev: string; data: string },
): DocData {
  return cachedDocument(table.documents, row.id, row.rev) ?? parseAndCache(table, db, row.id, row.data);
}

function parseAndCache(table: CollectionTable, db: SqliteDatabase, id: string, data: string): DocData {
  let doc = JSON.parse(data) as DocData;
  if (table.masters) doc = table.masters.resolve(doc, db);
  cacheDocument(table.documents, id, doc);
  return doc;
}

/**
 * Remembers written documents, so reading them back costs no parsing. `onlyThese`: a catch-up's page, whose
 * documents are the only ones of the table kept (`keepNewest`).
 */
export function cacheWritten(table: CollectionTable, docs: DocData[], onlyThese = false): void {
  const cache = table.documents;
  for (const doc of docs) cacheDocument(cache, doc[table.primaryPath] as string, doc);
  if (onlyThese) keepNewest(cache, docs.length);
}
