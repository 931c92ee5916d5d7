import type { CollectionTable } from './collection-table';
import { cachedDocument, tableDocuments } from './document-cache';
import { rowsById } from './documents';
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
 *
 * A catch-up's page goes further (file format 6): RxDB's first meta row of each pulled document is not written
 * at all while the stored row is as that pull wrote it (`LeftOut`), since it would say nothing else. Reads by
 * id put it back from the stored row, a trigger writes it (a copy) before the stored row changes or goes,
 * dropping the collection's table writes them all first, and a query of the meta table, which RxDB never
 * sends, puts them all back and ends the leaving out.
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

/**
 * What a meta row stores: the JSON of `data`, and the `_rev` of the stored document it refers to (or null).
 * `leftOut`: a catch-up's row the table need not hold at all (see `encodeAll`), if it holds none of that id.
 */
export interface EncodedMeta {
  data: string;
  base: string | null;
  leftOut?: LeftOut;
}

/**
 * How the rows a catch-up left out are known (docs/decisions.md, "A catch-up's meta rows left out"): the stored
 * row was written by this replication's pull and not since (its `pulled_by` column holds `tag`, the number the
 * file gives the replication's key in `curio_pull_keys`; any other write clears it), it is live, and the meta
 * table holds no row of its id. The row is then RxDB's first meta row of that document, with revision `rev`,
 * whose `docData` is the stored document. Both are kept with the link.
 */
export interface LeftOut {
  tag: number;
  rev: string;
}

/** The pull that wrote a table's last rows in the open batch: RxDB's replication key, and its tag in the file. */
export interface PullWrite {
  key: string;
  tag: number;
}

/** A meta table's link to the table of the collection it replicates. */
export class AssumedMasters {
  constructor(
    readonly db: SqliteDatabase,
    /** The collection table's SQL name. */
    readonly entityTable: string,
    /** The documents a table's rows hold as last written, by id, where that is known without a read. */
    private readonly lastWritten: WrittenDocuments = () => undefined,
    /** The meta table's SQL name. */
    readonly metaTable = '',
    /** What the rows a catch-up left out share, once one was (kept in the link). */
    public leftOut: LeftOut | undefined = undefined,
  ) {}

  /**
   * The rows of meta documents, in their order: a reference where a document's `docData` is exactly the
   * stored document of the same id (same fields in the same order with the same values, as JSON), else the
   * document as it is. The stored revisions of all of them are read in one statement: writing meta rows
   * changes no stored document, so what was read before the first row is what each row meets.
   */
  encodeAll(docs: readonly DocData[], pull?: PullWrite): EncodedMeta[] {
    const ids: string[] = [];
    for (const doc of docs) if (mayRefer(doc)) ids.push(doc.itemId as string);
    const stored = this.storedDocuments(ids);
    const written = pull ? this.lastWritten(this.entityTable) : undefined;
    // What every row this write leaves out shares (`leftOutAs`), made once rather than per row.
    const leftOutHere = pull && this.leftOutAs(pull);
    return docs.map((doc) => {
      const document = mayRefer(doc) ? stored.get(doc.itemId as string) : undefined;
      if (!document || !sameAsStored(doc.docData as Record<string, unknown>, document))
        return { data: JSON.stringify(doc), base: null };
      const rev = document._rev;
      // Only for a document the open batch has just written, by `pull`: its row then says so.
      if (leftOutHere && written?.get(doc.itemId as string) === document && isFirstMetaRow(doc, document, leftOutHere))
        return { data: '', base: rev, leftOut: leftOutHere };
      // Replaced in place: the keys keep their order, so the document read back is the one written.
      return { data: JSON.stringify({ ...doc, docData: rev }), base: rev };
    });
  }

  /**
   * What the rows `pull` may leave out share: RxDB's first meta rows for that replication (revision `1-<key>`),
   * the same as those left out before; undefined if the table leaves out another replication's rows.
   */
  private leftOutAs(pull: PullWrite): LeftOut | undefined {
    const rev = `1-${pull.key}`;
    const known = this.leftOut;
    if (known && (known.tag !== pull.tag || known.rev !== rev)) return undefined;
    return known ?? { tag: pull.tag, rev };
  }

  /**
   * Keeps what the rows just left out share, in the link, and makes the triggers that put such a row back
   * before its stored row changes or goes. Call inside the write that left them out: it is undone with it.
   */
  recordLeftOut(leftOut: LeftOut): void {
    // Each page's write checks rather than writes: a statement that changes nothing, and a lookup of the trigger.
    const record =
      'UPDATE curio_meta_links SET pull_tag = @tag, left_out_rev = @rev WHERE meta_table = @meta ' +
      'AND (pull_tag IS NOT @tag OR left_out_rev IS NOT @rev)';
    statement(this.db, record).run({ tag: leftOut.tag, rev: leftOut.rev, meta: this.metaTable });
    const trigger = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?)";
    if (!statement(this.db, trigger).pluck().get(unquotedTriggerName(this.metaTable, 'left_update')))
      createLeftOutTriggers(this.db, this.metaTable, this.entityTable, leftOut);
    this.leftOut = leftOut;
  }

  /**
   * Puts every row a catch-up left out back (copies, index columns empty), and ends the leaving out: the link
   * no longer records it, and its triggers go, until a catch-up records it again. Call inside a transaction; once
   * it committed, `leftOut` is cleared.
   */
  putBackAll(): void {
    if (!this.leftOut) return;
    putBackLeftOut(this.db, this.metaTable, this.entityTable, this.leftOut);
    this.db
      .prepare('UPDATE curio_meta_links SET pull_tag = NULL, left_out_rev = NULL WHERE meta_table = ?')
      .run(this.metaTable);
    for (const event of ['left_update', 'left_delete'] as const)
      this.db.exec(`DROP TRIGGER IF EXISTS ${triggerName(this.metaTable, event)}`);
  }

  /**
   * The meta documents of `ids` (meta row ids) the table holds no row of and a catch-up left out, read on `db`
   * (the connection the missing rows were looked for on): each put back from its stored document.
   */
  leftOutDocuments(ids: readonly string[], db: SqliteDatabase): DocData[] {
    const leftOut = this.leftOut;
    if (!leftOut) return [];
    const suffix = `|${META_DOCUMENT_ROW}`;
    const itemIds = ids.filter((id) => id.endsWith(suffix)).map((id) => id.slice(0, -suffix.length));
    if (itemIds.length === 0) return [];
    const live = `t.deleted = 0 AND t.pulled_by = ${leftOut.tag}`;
    const rows = rowsById(quoteIdentifier(this.entityTable), db, itemIds, 'id, rev, lwt, data', live) as LeftOutRow[];
    const cache = tableDocuments(`${db.name}|${this.entityTable}`);
    const documents: DocData[] = [];
    for (const [id, rev, lwt, data] of rows) {
      const stored = cachedDocument(cache, id, rev) ?? (JSON.parse(data) as DocData);
      documents.push(leftOutDocument(stored, id, lwt, leftOut.rev));
    }
    return documents;
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

  /** `[id, column]` of the stored rows of `ids`. */
  private rowsOf(ids: string[], column: 'rev' | 'data'): [string, string][] {
    return rowsById(quoteIdentifier(this.entityTable), this.db, ids, `id, ${column}`) as [string, string][];
  }
}

/** A stored row a left-out meta row is put back from: id, rev, lwt, data. */
type LeftOutRow = [string, string, number, string];

/** The keys of RxDB's first meta row of a document, in its order (meta-instance.js `getMetaWriteRow`). */
const FIRST_META_KEYS = ['id', 'isCheckpoint', 'itemId', 'docData', '_attachments', '_deleted', '_rev', '_meta'];

/**
 * True if `doc`, a meta row referring to `stored`, is RxDB's first meta row of a live document (no other field)
 * with the revision of the rows `leftOut` describes.
 */
function isFirstMetaRow(doc: DocData, stored: DocData, leftOut: LeftOut): boolean {
  if (doc._deleted !== false || stored._deleted !== false) return false;
  return doc._rev === leftOut.rev && hasKeysInOrder(doc, FIRST_META_KEYS);
}

/** True if `doc`'s keys are `keys`, in that order; no array is made (it runs for every pulled document). */
function hasKeysInOrder(doc: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in doc) if (key !== keys[i++]) return false;
  return i === keys.length;
}
/** A left-out meta row as RxDB wrote it (but for `_meta.lwt`, taken from the stored row's). */
export function leftOutDocument(stored: DocData, id: string, lwt: number, rev: string): DocData {
  const docData: Record<string, unknown> = {};
  for (const key of Object.keys(stored))
    if (!(STORED_ONLY as readonly string[]).includes(key)) docData[key] = stored[key];
  return {
    id: `${id}|${META_DOCUMENT_ROW}`,
    isCheckpoint: META_DOCUMENT_ROW,
    itemId: id,
    docData,
    _attachments: {},
    _deleted: false,
    _rev: rev,
    _meta: { lwt },
  } as DocData;
}

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
  // The stored document's keys walked in place: one array per document is enough (a sync has 100,000).
  for (const key in stored) {
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
  entity_table TEXT NOT NULL,
  pull_tag INTEGER,
  left_out_rev TEXT
)`;

/** The columns format 6 added to the links (`LeftOut`): null until a catch-up left a row out. */
export const LEFT_OUT_COLUMNS = ['pull_tag INTEGER', 'left_out_rev TEXT'];

/** The numbers the file gives replication keys, for the `pulled_by` column of the rows their pulls write. */
export const PULL_KEYS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS curio_pull_keys (
  tag INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
)`;

/** The tag of replication key `key` in the file (made on first use). Call inside the pull's write. */
export function pullTag(db: SqliteDatabase, key: string): number {
  statement(db, 'INSERT OR IGNORE INTO curio_pull_keys (key) VALUES (?)').run(key);
  return statement(db, 'SELECT tag FROM curio_pull_keys WHERE key = ?').pluck().get(key) as number;
}

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
  const kept = db
    .prepare('SELECT entity_table, pull_tag, left_out_rev FROM curio_meta_links WHERE meta_table = ?')
    .get(meta.name) as { entity_table: string; pull_tag: number | null; left_out_rev: string | null } | undefined;
  if (kept !== undefined) {
    const leftOut =
      kept.pull_tag !== null && kept.left_out_rev ? { tag: kept.pull_tag, rev: kept.left_out_rev } : undefined;
    return new AssumedMasters(db, kept.entity_table, lastWritten, meta.name, leftOut);
  }
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
  return new AssumedMasters(db, entity.name, lastWritten, meta.name);
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

type TriggerEvent = 'update' | 'delete' | 'left_update' | 'left_delete';

function triggerName(metaTable: string, event: TriggerEvent): string {
  return quoteIdentifier(unquotedTriggerName(metaTable, event));
}

function unquotedTriggerName(metaTable: string, event: TriggerEvent): string {
  return `curio_master_${event}_${metaTable}`;
}

/**
 * The meta row a catch-up left out, as SQL over the stored row `row` (an alias, or OLD in a trigger): RxDB's
 * row with the stored document as its `docData` (a copy), its index columns left empty. SQLite reads them as
 * NULL, which no index range holds; a query of a meta table fills them first, as every open does.
 */
function leftOutRowSql(metaTable: string, row: string, leftOut: LeftOut): string {
  const rev = sqlText(leftOut.rev);
  const id = `${row}.id || '|${META_DOCUMENT_ROW}'`;
  const docData = `json(json_remove(${row}.data, ${STORED_ONLY.map((key) => `'$.${key}'`).join(', ')}))`;
  const data =
    `json_object('id', ${id}, 'isCheckpoint', '${META_DOCUMENT_ROW}', 'itemId', ${row}.id, 'docData', ${docData}, ` +
    `'_attachments', json('{}'), '_deleted', json('false'), '_rev', ${rev}, '_meta', json_object('lwt', ${row}.lwt))`;
  return (
    `INSERT INTO ${quoteIdentifier(metaTable)} (id, rev, deleted, lwt, data, base_rev) ` +
    `SELECT ${id}, ${rev}, 0, ${row}.lwt, ${data}, NULL`
  );
}

/** True in SQL for stored row `row` (an alias, or OLD) while it is live and as `leftOut`'s pull wrote it. */
function markedSql(row: string, leftOut: LeftOut): string {
  return `${row}.deleted = 0 AND ${row}.pulled_by = ${Math.trunc(leftOut.tag)}`;
}

const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Before a stored row changes or goes, however it is written, a row a catch-up left out for it is put back
 * (a copy), in the same statement: the server's version never outlives its only record.
 */
function createLeftOutTriggers(db: SqliteDatabase, metaTable: string, entityTable: string, leftOut: LeftOut): void {
  const entity = quoteIdentifier(entityTable);
  const when = `WHEN ${markedSql('OLD', leftOut)}`;
  const body =
    `BEGIN ${leftOutRowSql(metaTable, 'OLD', leftOut)} WHERE NOT EXISTS ` +
    `(SELECT 1 FROM ${quoteIdentifier(metaTable)} WHERE id = OLD.id || '|${META_DOCUMENT_ROW}'); END`;
  db.exec(
    `CREATE TRIGGER IF NOT EXISTS ${triggerName(metaTable, 'left_update')} BEFORE UPDATE OF rev, data ON ${entity} ${when} ${body}`,
  );
  db.exec(
    `CREATE TRIGGER IF NOT EXISTS ${triggerName(metaTable, 'left_delete')} BEFORE DELETE ON ${entity} ${when} ${body}`,
  );
}

/** Puts back every row a catch-up left out of `metaTable` (before its collection's table is dropped). */
function putBackLeftOut(db: SqliteDatabase, metaTable: string, entityTable: string, leftOut: LeftOut): void {
  db.exec(
    `${leftOutRowSql(metaTable, 'e', leftOut)} FROM ${quoteIdentifier(entityTable)} AS e WHERE ${markedSql('e', leftOut)} ` +
      `AND NOT EXISTS (SELECT 1 FROM ${quoteIdentifier(metaTable)} AS m WHERE m.id = e.id || '|${META_DOCUMENT_ROW}')`,
  );
}

/**
 * Before a table is dropped (its collection removed or migrated, a replication removed): a meta table's
 * triggers and link go; a collection table's references are first copied into every meta table that
 * holds some (a DROP fires no trigger). Returns the meta tables whose link ended.
 */
export function unlinkBeforeDrop(db: SqliteDatabase, table: string): string[] {
  const links = db
    .prepare(
      'SELECT meta_table, entity_table, pull_tag, left_out_rev FROM curio_meta_links WHERE meta_table = ? OR entity_table = ?',
    )
    .all(table, table) as {
    meta_table: string;
    entity_table: string;
    pull_tag: number | null;
    left_out_rev: string | null;
  }[];
  for (const link of links) {
    if (link.entity_table === table && link.pull_tag !== null && link.left_out_rev) {
      putBackLeftOut(db, link.meta_table, link.entity_table, { tag: link.pull_tag, rev: link.left_out_rev });
    }
    if (link.entity_table === table) {
      const entity = quoteIdentifier(link.entity_table);
      const master = `json(json_remove(e.data, ${STORED_ONLY.map((key) => `'$.${key}'`).join(', ')}))`;
      db.exec(
        `UPDATE ${quoteIdentifier(link.meta_table)} AS m SET data = json_set(m.data, '$.docData', ${master}), base_rev = NULL ` +
          `FROM ${entity} AS e WHERE m.base_rev IS NOT NULL AND m.id = e.id || '|${META_DOCUMENT_ROW}' AND m.base_rev = e.rev`,
      );
    }
    for (const event of ['update', 'delete', 'left_update', 'left_delete'] as const)
      db.exec(`DROP TRIGGER IF EXISTS ${triggerName(link.meta_table, event)}`);
    db.prepare('DELETE FROM curio_meta_links WHERE meta_table = ?').run(link.meta_table);
  }
  return links.map((link) => link.meta_table);
}
