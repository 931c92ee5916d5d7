import { ENTITY_TYPES, entities, type EntityType } from '../../shared/entities/registry';
import { quoteIdentifier, type SqliteInternals } from '../storage';
import type { ServiceContext } from './context';
import {
  fillInBulk,
  idsInOrder,
  mustRebuild,
  rebuilt,
  UNLESS_BULK_WRITE,
  waitingList,
  waitingListTables,
} from './derived-tables';
import { FIELD_BOOST, FOLDED_LETTERS, SEARCH_FIELDS } from './search-text';

/** The FTS5 table: what a hit shows (unindexed), then one indexed column per search field. */
const FTS = 'curio_search';
/**
 * Maps an entry id to its FTS rowid (`fts`): FTS5 finds rows by rowid only, and ids are text. Keyed
 * by id alone (WITHOUT ROWID), one b-tree, and an entry keeps its FTS rowid while it lives, so a save
 * writes one page here on a create and none on an update (docs/decisions.md, "Local save: ...").
 */
const ROWS = 'curio_search_rows';
/** The indexed words, to find the ones one typo away from a query word. */
const VOCAB = 'curio_search_vocab';
/**
 * Entries whose index rows are not brought up to date yet: a save writes one row here instead of the FTS
 * pages, a bulk write (a pulled page, an import) one per entry (see `catchUp`).
 */
const WAITING = 'curio_search_waiting';
const STATE = 'curio_search_state';
/** Prefixed: a search field may be named `title` too. */
const SHOWN = ['entry_type', 'entry_id', 'entry_title', 'in_trash'] as const;
/**
 * The indexed columns hold their text folded (`folded`); where that changed it ("Tromsø" indexed as
 * "Tromso"), this unindexed column holds the text as written, for the hit to show. NULL otherwise.
 */
const original = (field: string) => `entry_original_${field}`;
const UNINDEXED = [...SHOWN, ...SEARCH_FIELDS.map(original)];
/**
 * Prefix indexes for 1, 2 and 3 letters: a short prefix ("o", "be") reads one
 * stored list instead of merging the lists of every word it starts.
 * `columnsize = 0`: no table of token counts per row (one page less per save);
 * BM25 counts the tokens of the rows it ranks when it ranks them, with the same
 * scores (docs/decisions.md, "Local save: ...").
 */
const FTS_OPTIONS = `tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', columnsize = 0`;
/**
 * Ranked candidates per query: BM25 costs a read of every match's positions,
 * so a query matching half the catalog ("o") ranks the first this many
 * matches only. Past it, tiers (titles first, see search-index.ts) keep the
 * best kinds of match on top.
 */
const RANKED_CANDIDATES = 300;

const text = (value: string) => `'${value.replace(/'/g, "''")}'`;

export interface StoredHit {
  type: EntityType;
  id: string;
  title: string;
  inTrash: boolean;
  score: number;
  /** The indexed text by search field (NULL where the type has no such field). */
  fields: Record<string, string | null>;
}

export interface SearchStore {
  /**
   * Entries matching an FTS5 expression, best first among the first
   * `RANKED_CANDIDATES` matches; `columns` limits the match to those fields.
   */
  query(
    match: string,
    options: { types?: EntityType[]; includeTrash: boolean; limit: number; columns?: string[] },
  ): StoredHit[];
  /**
   * The live entries of `type` whose title holds one of `phrases` (FTS5 strings: a title's folded words in
   * order), found in one query, so many titles cost one statement rather than a search each.
   */
  titleHolders(type: EntityType, phrases: string[]): { id: string; title: string }[];
  /** Which of `candidates` are indexed words. */
  knownTerms(candidates: string[]): string[];
  /** Changes with every write to the profile's file (all go through its one writer connection). */
  version(): number;
  /** Indexes the entries waiting since their write; run before every search, so a search never misses one. */
  catchUp(): Promise<void>;
  close(): void;
}

/**
 * Full-text search kept inside the profile's SQLite file (FTS5), persistent
 * and needing no build at open; rebuilt once when the tables or the searched
 * fields change. A write only marks its entries waiting, in its transaction:
 * a save writes one page instead of the FTS pages (about six), a pulled page
 * leaves the index to after the sync. The waiting entries are indexed when
 * writes pause, or at once when a search comes first (`catchUp`), so a search
 * never misses a written entry, and a crash in between leaves them waiting
 * for the next open.
 */
export async function openSearchStore(ctx: ServiceContext): Promise<SearchStore> {
  const tables = ENTITY_TYPES.map((type) => {
    const internals = ctx.database.entities[type].storageInstance.internals as SqliteInternals;
    return { type, file: internals.file, table: internals.table.name, internals };
  });
  const file = tables[0]!.file;
  await file.waitForWriteTurn();
  const db = file.writer;
  const fingerprint = JSON.stringify({
    options: FTS_OPTIONS,
    // 2: the triggers pause during bulk writes, which fill the index themselves.
    triggers: 2,
    // 2: ROWS keyed by id (WITHOUT ROWID); an entry keeps its FTS rowid across updates.
    rows: 2,
    // An update that changes nothing the index holds leaves the FTS row alone.
    unchangedUpdates: 'skipped',
    // A write of one entry marks it waiting; `catchUp` indexes it.
    singleWrites: 'waiting',
    tables: tables.map(({ table }) => table),
    // The letters the indexed text has replaced, so "tromso" finds "Tromsø".
    folded: FOLDED_LETTERS,
    fields: ENTITY_TYPES.map((type) => [type, entities[type].titleField, entities[type].searchFields]),
  });
  const derived = { state: STATE, prefix: FTS, fingerprint, triggers: tables.length * 3 };
  if (mustRebuild(db, derived)) {
    db.transaction(() => {
      const waitingTables = Object.values(waitingListTables(WAITING));
      for (const name of [VOCAB, FTS, ROWS, ...waitingTables]) db.exec(`DROP TABLE IF EXISTS ${name}`);
      db.exec(`CREATE TABLE ${ROWS} (id TEXT PRIMARY KEY NOT NULL, fts INTEGER NOT NULL) WITHOUT ROWID`);
      db.exec(`CREATE TABLE ${WAITING} (id TEXT PRIMARY KEY NOT NULL, type TEXT NOT NULL) WITHOUT ROWID`);
      db.exec(
        `CREATE VIRTUAL TABLE ${FTS} USING fts5(${UNINDEXED.map((c) => `${quoteIdentifier(c)} UNINDEXED`).join(', ')}, ` +
          `${SEARCH_FIELDS.map(quoteIdentifier).join(', ')}, ${FTS_OPTIONS})`,
      );
      db.exec(`CREATE VIRTUAL TABLE ${VOCAB} USING fts5vocab(${FTS}, 'row')`);
      for (const { type, table } of tables) {
        for (const event of ['INSERT', 'UPDATE', 'DELETE'])
          db.exec(`DROP TRIGGER IF EXISTS ${quoteIdentifier(`${FTS}_${event}_${table}`)}`);
        createTriggers(db, type, table);
        for (const sql of addRows(type, table, 'TRUE')) db.exec(sql);
      }
      // One b-tree instead of the many segments a bulk insert leaves: fewer seeks per word looked up.
      db.exec(`INSERT INTO ${FTS} (${FTS}) VALUES ('optimize')`);
      rebuilt(db, derived);
    })();
  }
  const fills = new Map<string, (ids: string[]) => void>();
  for (const { type, table } of tables) {
    const only = `t.id IN (SELECT value FROM json_each(@ids))`;
    // What the entries had indexed goes (an update, a tombstone), as in the UPDATE trigger; live
    // entries keep their FTS rowid.
    const removals = [
      `DELETE FROM ${FTS} WHERE rowid IN (SELECT fts FROM ${ROWS} WHERE id IN (SELECT value FROM json_each(@ids)))`,
      `DELETE FROM ${ROWS} WHERE id IN (SELECT t.id FROM ${quoteIdentifier(table)} t WHERE t.deleted = 1 AND ${only})`,
    ].map((sql) => db.prepare(sql));
    const [assignSql, insertSql] = addRows(type, table, only);
    const assignRowids = db.prepare(assignSql);
    const insertRows = db.prepare(insertSql);
    const indexedAlready = db.prepare(`SELECT id FROM ${ROWS} WHERE id IN (SELECT value FROM json_each(@ids))`).pluck();
    const fill = (ids: string[]) => {
      const bound = { ids: JSON.stringify(ids) };
      // Only entries indexed before have rows to remove: after an initial sync, none of them.
      const replaced = indexedAlready.all(bound) as string[];
      /*
       * New entries take their rowids before the removals: a removal frees the highest rowid when it is
       * an edit of the newest entry, and a new entry numbered after it would then take the rowid the
       * edited entry keeps (its FTS row comes back under it below): a constraint failure.
       */
      assignRowids.run(bound);
      if (replaced.length > 0) {
        const removed = { ids: JSON.stringify(replaced) };
        for (const statement of removals) statement.run(removed);
      }
      insertRows.run(bound);
    };
    fills.set(type, fill);
  }

  const waiting = waitingList({
    file,
    table: WAITING,
    fill: (type, ids) => fills.get(type)?.(ids),
    idsAfter: idsInOrder(db, new Map(tables.map(({ type, table }) => [type, table]))),
    changes: tables.map(({ internals }) => internals.table.changes$),
    what: 'the search index',
  });
  for (const { type, internals } of tables) {
    // A bulk write (a pulled page, an import) lists its entries; they are indexed together once writes pause.
    fillInBulk(internals.table, FTS, (ids, _docs, _replaced, intoEmptyTable) =>
      waiting.mark(type, ids, intoEmptyTable),
    );
  }

  const weights = SEARCH_FIELDS.map((field) => FIELD_BOOST[field]!).join(', ');
  const shownFields = SEARCH_FIELDS.map(
    (field) => `coalesce(${quoteIdentifier(original(field))}, ${quoteIdentifier(field)}) AS ${quoteIdentifier(field)}`,
  ).join(', ');
  return {
    query(match, { types, includeTrash, limit, columns }) {
      const where = [`${FTS} MATCH ?`];
      if (!includeTrash) where.push('in_trash = 0');
      if (types && types.length > 0) where.push(`entry_type IN (${types.map(text).join(', ')})`);
      const matched = columns ? `{${columns.map(quoteIdentifier).join(' ')}} : (${match})` : match;
      // The inner LIMIT stops the scan (FTS5 yields matches in rowid order); only those get a BM25 score.
      const rows = file
        .readConnection()
        .prepare(
          `SELECT * FROM (
             SELECT entry_type, entry_id, entry_title, in_trash, ${shownFields}, bm25(${FTS}, ${UNINDEXED.map(() => 0).join(', ')}, ${weights}) AS score
             FROM ${FTS} WHERE ${where.join(' AND ')} LIMIT ${RANKED_CANDIDATES})
           ORDER BY score LIMIT ?`,
        )
        .all(matched, limit) as Record<string, string | number | null>[];
      return rows.map(({ entry_type, entry_id, entry_title, in_trash, score, ...fields }) => ({
        fields: fields as Record<string, string | null>,
        type: entry_type as EntityType,
        id: entry_id as string,
        title: entry_title as string,
        inTrash: in_trash === 1,
        // BM25 in FTS5 is lower for better matches.
        score: -(score as number),
      }));
    },
    titleHolders(type, phrases) {
      if (phrases.length === 0) return [];
      const inTitle = `{${quoteIdentifier(entities[type].titleField)}} : `;
      // One MATCH per phrase, each on the FTS index (the phrases are the outer loop), in one statement.
      return file
        .readConnection()
        .prepare(
          `SELECT DISTINCT entry_id AS id, entry_title AS title FROM json_each(?) AS wanted, ${FTS}
           WHERE ${FTS} MATCH wanted.value AND entry_type = ? AND in_trash = 0`,
        )
        .all(JSON.stringify(phrases.map((phrase) => inTitle + phrase)), type) as { id: string; title: string }[];
    },
    knownTerms(candidates) {
      if (candidates.length === 0) return [];
      const found = file
        .readConnection()
        .prepare(`SELECT term FROM ${VOCAB} WHERE term IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(candidates)) as { term: string }[];
      return found.map((row) => row.term);
    },
    version() {
      return file.writer.prepare('SELECT total_changes()').pluck().get() as number;
    },
    catchUp: waiting.catchUp,
    close: waiting.close,
  };
}

function columns(): string {
  return [...UNINDEXED, ...SEARCH_FIELDS].map(quoteIdentifier).join(', ');
}

/**
 * What the index holds of a stored document row `alias` (its `data` column holds the document as JSON):
 * the shown columns, then the text of each search field as written (null where the type has no such field).
 */
function indexed(type: EntityType, alias: string): { shown: string[]; fields: (string | null)[] } {
  const data = `${alias}.data`;
  const field = (name: string) =>
    name === 'aliases'
      ? `(SELECT group_concat(value, char(10)) FROM json_each(${data}, '$.aliases'))`
      : `json_extract(${data}, ${text(`$.${name}`)})`;
  const searched = new Set<string>(entities[type].searchFields);
  return {
    shown: [
      text(type),
      `${alias}.id`,
      field(entities[type].titleField),
      `json_extract(${data}, '$.deletedAt') IS NOT NULL`,
    ],
    fields: SEARCH_FIELDS.map((name) => (searched.has(name) ? field(name) : null)),
  };
}

/**
 * `value` with FOLDED_LETTERS replaced: the tokenizer folds case and the letters that decompose, not
 * these. Text of ASCII only (its length in characters is its length in bytes) skips the replacements.
 * NOTE: plain SQL rather than an application-defined function, which every connection writing the
 * file would need (docs/decisions.md, "Search: letters that do not decompose ...").
 */
export function folded(value: string): string {
  const replaced = Object.entries(FOLDED_LETTERS).reduce(
    (sql, [letter, replacement]) => `replace(${sql}, ${text(letter)}, ${text(replacement)})`,
    value,
  );
  return `CASE WHEN length(${value}) = octet_length(${value}) THEN ${value} ELSE ${replaced} END`;
}

/** The FTS row (`columns()`) of a stored document row `alias`. */
function values(type: EntityType, alias: string): string {
  const { shown, fields } = indexed(type, alias);
  const each = (sql: (field: string) => string) => fields.map((field) => (field === null ? 'NULL' : sql(field)));
  return [
    ...shown,
    ...each((field) => `CASE WHEN ${folded(field)} IS NOT ${field} THEN ${field} END`),
    ...each(folded),
  ].join(', ');
}

/** What the index holds of a row, as written: an update that changes none of it leaves the index alone. */
function indexedAsWritten(type: EntityType, alias: string): string {
  const { shown, fields } = indexed(type, alias);
  return [...shown, ...fields.map((field) => field ?? 'NULL')].join(', ');
}

/**
 * The statements indexing the live rows of `table` matching `where` (alias `t`), in order: new entries
 * get FTS rowids in ROWS, after the highest one, in the order the entity table first stored them (its
 * rowid): FTS5 yields matches, and so ties, in that order; then the FTS rows under those rowids.
 */
function addRows(type: EntityType, table: string, where: string): [assign: string, insert: string] {
  return [
    `INSERT INTO ${ROWS} (id, fts)
      SELECT t.id, (SELECT coalesce(max(rowid), 0) FROM ${FTS}) + row_number() OVER (ORDER BY t.rowid) FROM ${quoteIdentifier(table)} t
      WHERE t.deleted = 0 AND ${where} AND NOT EXISTS (SELECT 1 FROM ${ROWS} r WHERE r.id = t.id)`,
    `INSERT INTO ${FTS} (rowid, ${columns()}) SELECT r.fts, ${values(type, 't')}
      FROM ${quoteIdentifier(table)} t JOIN ${ROWS} r ON r.id = t.id WHERE t.deleted = 0 AND ${where}`,
  ];
}

/**
 * Keeps the index in step with one entity table, one row at a time: a written entry waits to be indexed
 * (`catchUp` then does what a bulk write's fill does for it); a removed row (a purge) takes its index
 * rows with it at once.
 */
function createTriggers(db: SqliteInternals['file']['writer'], type: EntityType, table: string): void {
  const remove = `DELETE FROM ${FTS} WHERE rowid = (SELECT fts FROM ${ROWS} WHERE id = old.id);
    DELETE FROM ${ROWS} WHERE id = old.id;
    DELETE FROM ${WAITING} WHERE id = old.id;`;
  const wait = `INSERT OR IGNORE INTO ${WAITING} (id, type) VALUES (new.id, ${text(type)});`;
  // An edit of what the index does not hold (a duration, a link, a date) leaves the index alone.
  const indexedChanged = `(new.deleted, ${indexedAsWritten(type, 'new')}) IS NOT (old.deleted, ${indexedAsWritten(type, 'old')})`;
  const body = {
    INSERT: [wait, UNLESS_BULK_WRITE],
    UPDATE: [wait, `${UNLESS_BULK_WRITE} AND ${indexedChanged}`],
    DELETE: [remove, UNLESS_BULK_WRITE],
  };
  for (const [event, [statements, when]] of Object.entries(body)) {
    db.exec(
      `CREATE TRIGGER ${quoteIdentifier(`${FTS}_${event}_${table}`)} AFTER ${event} ON ${quoteIdentifier(table)}
        WHEN ${when} BEGIN ${statements} END`,
    );
  }
}
