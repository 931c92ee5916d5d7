import type { CollectionTable } from './collection-table';
import { cachedDocument, tableDocuments } from './document-cache';
import type { SqliteDatabase } from './sqlite-file';
import { quoteIdentifier, statement } from './statements';
import type { DocData } from './stored-document';

/**
 * RxDB's replication keeps, per replicated document, a meta row whose `docData` is the document as the
 * server last sent it (the "assumed master state": the push's `assumedMasterState`, the base of the
 * three-way merge in main/sync/conflict-handler.ts). Right after a pull it is the very document stored
 * in the collection's own table, so a third of a synced profile was that document twice
 * (docs/decisions.md, "The server's version is kept once").
 *
 * While a meta row's `docData` is exactly the stored document without RxDB's `_meta`, `_rev` and
 * `_attachments`, the row holds the stored document's `_rev` instead (a string where RxDB keeps an
 * object, and in the column `base_rev`), and every read puts the document back. Before the stored row
 * changes or goes, however it is written (a local edit, a pull, a restore, a cleanup of tombstones, raw
 * SQL), a trigger on the collection's table copies the document as it was into the meta row, in the
 * same statement, so the reference never outlives the version it names. The link between a meta table
 * and its collection's table is kept in the file (`curio_meta_links`), so a copy of the file (a
 * snapshot) resolves its references as the profile did.
 */

/** The schema title of RxDB's replication meta collections (replication-protocol/meta-instance). */
export const META_SCHEMA_TITLE = 'RxReplicationProtocolMetaData';
/**
 * The `isCheckpoint` of a meta row about a document, the end of its id (`<document id>|0`); a checkpoint's
 * row ends in `|1`.
 */
export const META_DOCUMENT_ROW = '0';

/** RxDB's fields of a stored document that its `docData` never holds (writeDocToDocState drops them). */
const STORED_ONLY = ['_meta', '_rev', '_attachments'] as const;

/** The documents of `table`'s rows as last written, by id, when known without reading them (ReplicaBatch). */
export type WrittenDocuments = (table: string) => ReadonlyMap<string, DocData> | undefined;

/** What a meta row stores: the JSON of `data`, and the `_rev` of the stored document it refers to (or null). */
export interface EncodedMeta {
  data: string;
  base: string | null;
}

/** A meta table's link to the table of the collection it replicates. */
export class AssumedMasters {
  constructor(
    readonly db: SqliteDatabase,
    /** The collection table's SQL name. */
    readonly entityTable: string,
    /** The documents a table's rows hold as last written, by id, where that is known without a read. */
    private readonly lastWritten: WrittenDocuments = () => undefined,
  ) {}

  /**
   * The rows of meta documents, in their order: a reference where a document's `docData` is exactly the
   * stored document of the same id (same fields in the same order with the same values, as JSON), else the
   * document as it is. The stored revisions of all of them are read in one statement: writing meta rows
   * changes no stored document, so what was read before the first row is what each row meets.
   */
  encodeAll(docs: readonly DocData[]): EncodedMeta[] {
    const ids: string[] = [];
    for (const doc of docs) if (mayRefer(doc)) ids.push(doc.itemId as string);
    const stored = this.storedDocuments(ids);
    return docs.map((doc) => {
      const document = mayRefer(doc) ? stored.get(doc.itemId as string) : undefined;
      if (!document || !sameAsStored(doc.docData as Record<string, unknown>, document))
        return { data: JSON.stringify(doc), base: null };
      const rev = document._rev;
      // Replaced in place: the keys keep their order, so the document read back is the one written.
      return { data: JSON.stringify({ ...doc, docData: rev }), base: rev };
    });
  }

  /**
   * The meta document with its `docData` put back from the stored document it refers to, read on `db`:
   * the connection the meta row was read on (a reader sees committed rows only, and both rows alike).
   */
  resolve(doc: DocData, db: SqliteDatabase): DocData {
    const rev = doc.docData;
    if (typeof rev !== 'string') return doc;
    const id = doc.itemId as string;
    const sql = `SELECT rev, data FROM ${quoteIdentifier(this.entityTable)} WHERE id = ?`;
    const row = statement(db, sql).raw(true).get(id) as [string, string] | undefined;
    if (!row || row[0] !== rev) {
      // NOTE: cannot happen while the triggers keep the copies; a wrong base would merge silently, so say so.
      throw new Error(
        `The replication's record of the server's version of "${id}" (${this.entityTable}) refers to a version ` +
          'that is no longer stored. Sign out and in again to sync this profile afresh.',
      );
    }
    const master = JSON.parse(row[1]) as Record<string, unknown>;
    for (const key of STORED_ONLY) delete master[key];
    doc.docData = master;
    return doc;
  }

  /**
   * The stored documents of `ids` in the collection's table (absent: no row): those the open batch last wrote
   * there as written; the others from the document cache where it holds the stored revision, else parsed
   * from the row. One statement reads the revisions of those others, a second the rows the cache lacks.
   */
  private storedDocuments(ids: string[]): Map<string, DocData> {
    const documents = new Map<string, DocData>();
    const written = this.lastWritten(this.entityTable);
    if (written) {
      // A pulled page's meta rows follow its documents: reading back what was just written would cost a
      // fifth of these rows' encoding (docs/decisions.md, "Meta rows compared with the page just written").
      const unread: string[] = [];
      for (const id of ids) {
        const doc = written.get(id);
        if (doc) documents.set(id, doc);
        else unread.push(id);
      }
      ids = unread;
    }
    if (ids.length === 0) return documents;
    const cache = tableDocuments(`${this.db.name}|${this.entityTable}`);
    const missing: string[] = [];
    for (const [id, rev] of this.rowsOf(ids, 'rev')) {
      const cached = cachedDocument(cache, id, rev);
      if (cached) documents.set(id, cached);
      else missing.push(id);
    }
    for (const [id, data] of this.rowsOf(missing, 'data')) documents.set(id, JSON.parse(data) as DocData);
    return documents;
  }

  /** `[id, column]` of the stored rows of `ids`: one lookup per id for a few, else one statement for all. */
  private rowsOf(ids: string[], column: 'rev' | 'data'): [string, string][] {
    if (ids.length === 0) return [];
    const quoted = quoteIdentifier(this.entityTable);
    if (ids.length <= SINGLE_LOOKUP_LIMIT) {
      const one = statement(this.db, `SELECT id, ${column} FROM ${quoted} WHERE id = ?`).raw(true);
      const rows: [string, string][] = [];
      for (const id of ids) {
        const row = one.get(id) as [string, string] | undefined;
        if (row) rows.push(row);
      }
      return rows;
    }
    const sql = `SELECT t.id, t.${column} FROM json_each(?) AS j CROSS JOIN ${quoted} AS t ON t.id = j.value`;
    return statement(this.db, sql).raw(true).all(JSON.stringify(ids)) as [string, string][];
  }
}

/** Above this many ids one statement with a JSON array beats one lookup per id (as in documents.ts). */
const SINGLE_LOOKUP_LIMIT = 8;

/** A replicated document's meta row whose `docData` may be a stored document (not a checkpoint). */
function mayRefer(doc: DocData): boolean {
  return doc.isCheckpoint === META_DOCUMENT_ROW && isPlainObject(doc.docData);
}

/**
 * True if `master` is, as JSON, `stored` without RxDB's stored-only fields: the same keys in the same
 * order and equal JSON values, so `JSON.stringify` writes both alike. Anything JSON cannot carry as it
 * is (undefined, a non-finite number, a class instance) counts as different unless both fields hold the very
 * same value: such a base stays a copy.
 */
function sameAsStored(master: Record<string, unknown>, stored: DocData): boolean {
  const masterKeys = Object.keys(master);
  let i = 0;
  for (const key of Object.keys(stored)) {
    if ((STORED_ONLY as readonly string[]).includes(key)) continue;
    if (masterKeys[i] !== key || !sameJson(master[key], stored[key])) return false;
    i++;
  }
  return i === masterKeys.length;
}

function sameJson(a: unknown, b: unknown): boolean {
  // The very same value (a pulled document's fields are the server's version's own values, RxDB copies the
  // object shallowly): JSON.stringify writes it alike both times, whatever it holds.
  if (a === b) return true;
  if (a === null || typeof a === 'string' || typeof a === 'boolean') return a === b;
  if (typeof a === 'number') return Number.isFinite(a) && a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  const otherKeys = Object.keys(b);
  if (keys.length !== otherKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== otherKeys[i] || !sameJson(a[keys[i]!], b[keys[i]!])) return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The table of links (meta table to collection table); created with the file (sqlite-file.ts). */
export const LINKS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS curio_meta_links (
  meta_table TEXT PRIMARY KEY NOT NULL,
  entity_table TEXT NOT NULL
)`;

/**
 * The link of a meta table opened in this process: the one kept in the file, else (outside a
 * transaction, `mayCreate`) a new one to the only open table whose schema the meta schema was made
 * from. Undefined: the meta table keeps whole copies, as RxDB writes them.
 */
export function linkMetaTable(
  meta: CollectionTable,
  openTables: Iterable<CollectionTable>,
  mayCreate: boolean,
  lastWritten?: WrittenDocuments,
): AssumedMasters | undefined {
  const db = meta.db;
  const kept = db.prepare('SELECT entity_table FROM curio_meta_links WHERE meta_table = ?').pluck().get(meta.name) as
    string | undefined;
  if (kept !== undefined) return new AssumedMasters(db, kept, lastWritten);
  if (!mayCreate || !meta.isMetaTable || meta.schema.encrypted?.length) return undefined;
  const replicated = JSON.stringify(
    (meta.schema.properties as { docData?: { properties?: unknown } }).docData?.properties,
  );
  const candidates = [...openTables].filter(
    (table) =>
      !table.isMetaTable &&
      table.schema.version === meta.schema.version &&
      JSON.stringify(table.schema.properties) === replicated,
  );
  if (candidates.length !== 1) return undefined;
  const entity = candidates[0]!;
  db.transaction(() => {
    const columns = db.prepare(`PRAGMA table_info(${meta.quoted})`).all() as { name: string }[];
    if (!columns.some((column) => column.name === 'base_rev'))
      db.exec(`ALTER TABLE ${meta.quoted} ADD COLUMN base_rev TEXT`);
    createTriggers(db, meta.name, entity.name);
    db.prepare('INSERT INTO curio_meta_links (meta_table, entity_table) VALUES (?, ?)').run(meta.name, entity.name);
  })();
  return new AssumedMasters(db, entity.name, lastWritten);
}

/** The copy a trigger writes into the meta row: the old stored document without RxDB's stored-only fields. */
const OLD_MASTER = `json(json_remove(OLD.data, ${STORED_ONLY.map((key) => `'$.${key}'`).join(', ')}))`;

function createTriggers(db: SqliteDatabase, metaTable: string, entityTable: string): void {
  const meta = quoteIdentifier(metaTable);
  const body =
    `BEGIN UPDATE ${meta} SET data = json_set(data, '$.docData', ${OLD_MASTER}), base_rev = NULL ` +
    `WHERE id = OLD.id || '|${META_DOCUMENT_ROW}' AND base_rev = OLD.rev; END`;
  const entity = quoteIdentifier(entityTable);
  db.exec(
    `CREATE TRIGGER IF NOT EXISTS ${triggerName(metaTable, 'update')} BEFORE UPDATE OF rev, data ON ${entity} ${body}`,
  );
  db.exec(`CREATE TRIGGER IF NOT EXISTS ${triggerName(metaTable, 'delete')} BEFORE DELETE ON ${entity} ${body}`);
}

function triggerName(metaTable: string, event: 'update' | 'delete'): string {
  return quoteIdentifier(`curio_master_${event}_${metaTable}`);
}

/**
 * Before a table is dropped (its collection removed or migrated, a replication removed): a meta table's
 * triggers and link go; a collection table's references are first copied into every meta table that
 * holds some (a DROP fires no trigger). Returns the meta tables whose link ended.
 */
export function unlinkBeforeDrop(db: SqliteDatabase, table: string): string[] {
  const links = db
    .prepare('SELECT meta_table, entity_table FROM curio_meta_links WHERE meta_table = ? OR entity_table = ?')
    .all(table, table) as { meta_table: string; entity_table: string }[];
  for (const link of links) {
    if (link.entity_table === table) {
      const entity = quoteIdentifier(link.entity_table);
      const master = `json(json_remove(e.data, ${STORED_ONLY.map((key) => `'$.${key}'`).join(', ')}))`;
      db.exec(
        `UPDATE ${quoteIdentifier(link.meta_table)} AS m SET data = json_set(m.data, '$.docData', ${master}), base_rev = NULL ` +
          `FROM ${entity} AS e WHERE m.base_rev IS NOT NULL AND m.id = e.id || '|${META_DOCUMENT_ROW}' AND m.base_rev = e.rev`,
      );
    }
    for (const event of ['update', 'delete'] as const)
      db.exec(`DROP TRIGGER IF EXISTS ${triggerName(link.meta_table, event)}`);
    db.prepare('DELETE FROM curio_meta_links WHERE meta_table = ?').run(link.meta_table);
  }
  return links.map((link) => link.meta_table);
}
